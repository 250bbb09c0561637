package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobCancelContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgJobCancelContractTest extends JobCancelContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
