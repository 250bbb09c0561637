package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.ClusterContract;

class H2MemClusterContractTest extends ClusterContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
