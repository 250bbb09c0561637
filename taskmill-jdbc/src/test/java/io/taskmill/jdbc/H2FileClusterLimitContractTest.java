package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.ClusterLimitContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2FileClusterLimitContractTest extends ClusterLimitContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return H2Stores.file(dataDir);
  }
}
