package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.LeaseContract;

class H2MemLeaseContractTest extends LeaseContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
