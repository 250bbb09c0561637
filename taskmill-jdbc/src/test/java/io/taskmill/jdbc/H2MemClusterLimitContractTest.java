package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.ClusterLimitContract;

class H2MemClusterLimitContractTest extends ClusterLimitContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
