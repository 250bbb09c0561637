package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.QueueContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgQueueContractTest extends QueueContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
