package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.LockContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgLockContractTest extends LockContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
