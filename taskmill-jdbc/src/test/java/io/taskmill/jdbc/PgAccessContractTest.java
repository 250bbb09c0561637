package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.AccessContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgAccessContractTest extends AccessContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh(APPENDERS);
  }
}
