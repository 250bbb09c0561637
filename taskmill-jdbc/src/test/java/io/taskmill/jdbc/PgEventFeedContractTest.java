package io.taskmill.jdbc;

import io.taskmill.spi.Store;
import io.taskmill.testkit.store.EventFeedContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PgSessionTimeZone.class)
class PgEventFeedContractTest extends EventFeedContract {
  private String schema;

  @Override
  protected Store newStore() {
    schema = PgStores.newSchema();
    return PgStores.fresh(schema, 4);
  }

  @Override
  protected OpenSeq holdSeqOpen() throws Exception {
    return new OpenFeedSeq(PgStores.connect(PgStores.url(schema)));
  }
}
