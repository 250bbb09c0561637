package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.LeaseContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgLeaseContractTest extends LeaseContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
