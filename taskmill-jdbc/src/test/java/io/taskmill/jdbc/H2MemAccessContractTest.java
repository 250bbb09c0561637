package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.AccessContract;

class H2MemAccessContractTest extends AccessContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory(APPENDERS);
  }
}
