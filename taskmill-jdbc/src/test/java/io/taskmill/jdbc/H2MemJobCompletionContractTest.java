package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobCompletionContract;

class H2MemJobCompletionContractTest extends JobCompletionContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
