package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobCancelContract;

class H2MemJobCancelContractTest extends JobCancelContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
