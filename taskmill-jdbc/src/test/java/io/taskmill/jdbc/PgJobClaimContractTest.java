package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobClaimContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgJobClaimContractTest extends JobClaimContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
