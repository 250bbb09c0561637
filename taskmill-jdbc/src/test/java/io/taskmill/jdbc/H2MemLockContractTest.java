package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.LockContract;

class H2MemLockContractTest extends LockContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
