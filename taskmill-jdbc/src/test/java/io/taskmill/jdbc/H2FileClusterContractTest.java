package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.ClusterContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2FileClusterContractTest extends ClusterContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return H2Stores.file(dataDir);
  }
}
