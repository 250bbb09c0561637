package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.EventFeedContract;
import java.sql.DriverManager;
import java.util.UUID;

class H2MemEventFeedContractTest extends EventFeedContract {
  private final String name = "feed-" + UUID.randomUUID();

  @Override
  protected Store newStore() {
    return H2Stores.inMemory(name, 4);
  }

  @Override
  protected OpenSeq holdSeqOpen() throws Exception {
    return new OpenFeedSeq(DriverManager.getConnection("jdbc:h2:mem:" + name));
  }
}
