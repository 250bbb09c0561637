package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobPromoteContract;

class H2MemJobPromoteContractTest extends JobPromoteContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
