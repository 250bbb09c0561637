package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobClaimContract;

class H2MemJobClaimContractTest extends JobClaimContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
