package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobInsertContract;

class H2MemJobInsertContractTest extends JobInsertContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
