package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobQueryContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgJobQueryContractTest extends JobQueryContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
