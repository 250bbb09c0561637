package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.EventFeedContract;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.io.TempDir;

class H2FileEventFeedContractTest extends EventFeedContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return H2Stores.file(dataDir);
  }

  /** A second connection in this process to the file database the store has open. */
  @Override
  protected OpenSeq holdSeqOpen() throws Exception {
    return new OpenFeedSeq(
        DriverManager.getConnection(
            "jdbc:h2:file:" + dataDir.resolve("taskmill") + ";DB_CLOSE_ON_EXIT=FALSE"));
  }
}
