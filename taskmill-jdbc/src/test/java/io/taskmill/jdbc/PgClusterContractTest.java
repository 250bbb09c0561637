package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.ClusterContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgClusterContractTest extends ClusterContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
