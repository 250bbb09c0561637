package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobRetryContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgJobRetryContractTest extends JobRetryContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
