package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.WorkflowDefinitionContract;

class H2MemWorkflowDefinitionContractTest extends WorkflowDefinitionContract {
  @Override
  protected Store newStore() {
    return H2Stores.inMemory();
  }
}
