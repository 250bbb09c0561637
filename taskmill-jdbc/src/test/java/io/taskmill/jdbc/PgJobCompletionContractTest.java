package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.JobCompletionContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgJobCompletionContractTest extends JobCompletionContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
