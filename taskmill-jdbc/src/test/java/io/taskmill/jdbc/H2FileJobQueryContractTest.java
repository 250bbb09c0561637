package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobQueryContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2FileJobQueryContractTest extends JobQueryContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return H2Stores.file(dataDir);
  }
}
