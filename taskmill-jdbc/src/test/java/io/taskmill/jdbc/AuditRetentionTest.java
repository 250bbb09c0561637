package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.Taskmill;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.access.Role;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.FakeClock;
import io.taskmill.testkit.ManualEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader's retention duty prunes audit entries older than {@code retainAudit} and keeps the
 * rest, on H2 and on PostgreSQL (whose V13 trigger lets only entries older than 30 days go).
 */
class AuditRetentionTest {
  private static final Duration RETAIN = Duration.ofDays(90);

  @Test
  void theLeaderPrunesOldAuditEntriesOnH2() {
    try (Store store = H2Stores.inMemory()) {
      prunesOnlyWhatIsOlderThanTheRetention(store);
    }
  }

  @Test
  void theLeaderPrunesOldAuditEntriesOnPostgres() {
    String schema = PgStores.newSchema();
    try (Store store =
        new JdbcStoreProvider()
            .open(
                new StoreSettings(
                    null, null, PgStores.url(schema), PgStores.USER, PgStores.PASSWORD, 4))) {
      prunesOnlyWhatIsOlderThanTheRetention(store);
    } finally {
      PgStores.dropSchema(schema);
    }
  }

  private static void prunesOnlyWhatIsOlderThanTheRetention(Store store) {
    FakeClock clock = FakeClock.create();
    Instant now = clock.instant();
    long old =
        store
            .inTransaction(
                StoreOp.AUDIT,
                tx -> tx.auditAppendAll(List.of(entry(now.minus(RETAIN).minusSeconds(1)))))
            .getFirst();
    long kept =
        store
            .inTransaction(
                StoreOp.AUDIT,
                tx -> tx.auditAppendAll(List.of(entry(now.minus(RETAIN).plusSeconds(60)))))
            .getFirst();
    try (var engine =
        ManualEngine.start(Taskmill.builder().store(store).retainAudit(RETAIN), clock)) {
      engine.heartbeat();
      engine.runRescuer(); // the leader's duties, the first prune among them

      List<Long> left =
          store.read(StoreOp.AUDIT, tx -> tx.auditList(AuditQuery.latest(10))).stream()
              .map(AuditEntry::seq)
              .toList();
      assertThat(left).contains(kept).doesNotContain(old);
    }
  }

  private static AuditEntry entry(Instant at) {
    return new AuditEntry(
        0, at, "aaaaaaaaaaaa", Role.ADMIN, "job.cancel", "job x", "ok", null, null, null);
  }
}
