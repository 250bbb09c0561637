package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.QueueContract;

class H2MemQueueContractTest extends QueueContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
