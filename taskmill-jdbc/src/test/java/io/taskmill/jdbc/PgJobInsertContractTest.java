package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobInsertContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgJobInsertContractTest extends JobInsertContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
