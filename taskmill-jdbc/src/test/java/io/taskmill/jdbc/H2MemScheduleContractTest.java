package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.ScheduleContract;

class H2MemScheduleContractTest extends ScheduleContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory(RACERS);
  }
}
