package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobPromoteContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgJobPromoteContractTest extends JobPromoteContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
