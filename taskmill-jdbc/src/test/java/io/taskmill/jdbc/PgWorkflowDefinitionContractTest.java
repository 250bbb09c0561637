package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.WorkflowDefinitionContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgWorkflowDefinitionContractTest extends WorkflowDefinitionContract {
  @Override
  protected Store newStore() {
    return PgStores.fresh();
  }
}
