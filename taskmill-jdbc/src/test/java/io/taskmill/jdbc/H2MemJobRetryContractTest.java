package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobRetryContract;

class H2MemJobRetryContractTest extends JobRetryContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
