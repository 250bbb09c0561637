package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.ClusterLimitContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgClusterLimitContractTest extends ClusterLimitContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
