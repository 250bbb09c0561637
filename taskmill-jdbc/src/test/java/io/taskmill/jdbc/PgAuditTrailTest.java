package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.access.ApiKeys;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.access.Role;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.spi.StoreTx;
import io.taskmill.testkit.store.TestJobs;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the contract suite cannot see on PostgreSQL: the audit table refuses every change but an
 * insert and the deletion of entries older than 30 days (retention), even from a session that goes
 * around the store, and the key table refuses plaintext.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgAuditTrailTest {
  private String schema;
  private Store store;
  private long seq;
  private long recentSeq;

  @BeforeEach
  void openStoreWithOneEntry() {
    schema = PgStores.newSchema();
    store =
        new JdbcStoreProvider()
            .open(
                new StoreSettings(
                    null, null, PgStores.url(schema), PgStores.USER, PgStores.PASSWORD, 2));
    seq =
        store
            .inTransaction(
                StoreOp.AUDIT,
                tx ->
                    tx.auditAppendAll(
                        List.of(
                            new AuditEntry(
                                0,
                                TestJobs.T0,
                                "aaaaaaaaaaaa",
                                Role.ADMIN,
                                "apikey.revoke",
                                "apikeys/bbbbbbbbbbbb",
                                "ok",
                                "10.0.0.1",
                                "req-1",
                                null))))
            .getFirst();
    recentSeq =
        store
            .inTransaction(
                StoreOp.AUDIT,
                tx ->
                    tx.auditAppendAll(
                        List.of(
                            new AuditEntry(
                                0,
                                Instant.now().minus(Duration.ofDays(29)),
                                "aaaaaaaaaaaa",
                                Role.ADMIN,
                                "job.cancel",
                                "job x",
                                "ok",
                                "10.0.0.1",
                                "req-2",
                                null))))
            .getFirst();
  }

  @AfterEach
  void dropSchema() {
    store.close();
    PgStores.dropSchema(schema);
  }

  @Test
  void refusesToUpdateAnEntryOldOrRecent() {
    assertRefused(
        "UPDATE tm_audit SET outcome = 'denied' WHERE seq = " + seq,
        "tm_audit is append-only: UPDATE is not allowed");
    assertRefused(
        "UPDATE tm_audit SET outcome = 'denied' WHERE seq = " + recentSeq,
        "tm_audit is append-only: UPDATE is not allowed");
  }

  @Test
  void refusesToDeleteAnEntryYoungerThan30Days() {
    assertRefused("DELETE FROM tm_audit WHERE seq = " + recentSeq, "tm_audit keeps 30 days");
  }

  @Test
  void refusesADeleteOfOldAndRecentEntriesAsAWhole() {
    assertRefused("DELETE FROM tm_audit", "tm_audit keeps 30 days");
  }

  @Test
  void refusesEvenAnUpdateThatMatchesNoRow() {
    assertRefused(
        "UPDATE tm_audit SET outcome = 'x' WHERE seq < 0",
        "tm_audit is append-only: UPDATE is not allowed");
  }

  @Test
  void refusesToTruncateTheTrail() {
    assertRefused("TRUNCATE tm_audit", "tm_audit is append-only: TRUNCATE is not allowed");
  }

  @Test
  void deletesAnEntryOlderThan30Days() throws SQLException {
    execute("DELETE FROM tm_audit WHERE seq = " + seq);

    assertThat(store.read(StoreOp.AUDIT, (StoreTx tx) -> tx.auditList(AuditQuery.latest(10))))
        .extracting(AuditEntry::seq)
        .containsExactly(recentSeq);
  }

  @Test
  void refusesAWriterThatPicksItsOwnSeq() {
    assertThatThrownBy(
            () ->
                execute(
                    "INSERT INTO tm_audit (seq, at, action, outcome) "
                        + "VALUES ("
                        + (seq + 1000)
                        + ", now(), 'forged', 'ok')"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("GENERATED ALWAYS");
  }

  @Test
  void refusesASecretStoredInPlaceOfItsHash() {
    String secret = ApiKeys.generate("x", Role.ADMIN, TestJobs.T0, "test").secret();
    assertThatThrownBy(
            () ->
                execute(
                    "INSERT INTO tm_api_key (id, name, role, secret_hash, "
                        + "created_at, created_by) VALUES ('cccccccccccc', 'x', 'ADMIN', '"
                        + secret
                        + "', now(), 'test')"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("tm_api_key_hash_is_sha256");
  }

  /** A refused statement fails with the trigger's message and leaves every entry as it was. */
  private void assertRefused(String sql, String message) {
    List<AuditEntry> before = store.read(StoreOp.AUDIT, tx -> tx.auditList(AuditQuery.latest(10)));
    assertThatThrownBy(() -> execute(sql))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("42501");
    assertThat(store.read(StoreOp.AUDIT, (StoreTx tx) -> tx.auditList(AuditQuery.latest(10))))
        .isEqualTo(before)
        .extracting(AuditEntry::seq)
        .contains(recentSeq, seq);
    // Appending still works after a refusal.
    assertThat(
            store
                .inTransaction(
                    StoreOp.AUDIT,
                    tx ->
                        tx.auditAppendAll(
                            List.of(
                                new AuditEntry(
                                    0,
                                    TestJobs.T0,
                                    null,
                                    null,
                                    "auth",
                                    null,
                                    "denied",
                                    null,
                                    null,
                                    null))))
                .getFirst())
        .isGreaterThan(recentSeq);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = PgStores.connect(PgStores.url(schema));
        var st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
