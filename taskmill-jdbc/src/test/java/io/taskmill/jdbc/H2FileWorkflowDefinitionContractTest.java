package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.WorkflowDefinitionContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2FileWorkflowDefinitionContractTest extends WorkflowDefinitionContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return H2Stores.file(dataDir);
  }
}
