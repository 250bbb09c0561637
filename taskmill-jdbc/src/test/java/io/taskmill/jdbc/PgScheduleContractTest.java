package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.ScheduleContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgScheduleContractTest extends ScheduleContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh(RACERS);
  }
}
