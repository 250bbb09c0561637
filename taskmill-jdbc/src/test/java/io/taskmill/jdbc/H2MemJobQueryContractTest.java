package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobQueryContract;

class H2MemJobQueryContractTest extends JobQueryContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
