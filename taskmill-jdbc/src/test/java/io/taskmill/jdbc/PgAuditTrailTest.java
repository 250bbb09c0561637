package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.access.ApiKeys;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.access.Role;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.store.TestJobs;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the contract suite cannot see on PostgreSQL: the audit table refuses every change but an
 * insert, even from a session that goes around the store, and the key table refuses plaintext.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgAuditTrailTest {
  private String schema;
  private Store store;
  private long seq;

  @BeforeEach
  void openStoreWithOneEntry() {
    schema = PgStores.newSchema();
    store = new JdbcStoreProvider().open(new StoreSettings(null, null, PgStores.url(schema),
        PgStores.USER, PgStores.PASSWORD, 2));
    seq = store.auditAppend(new AuditEntry(0, TestJobs.T0, "aaaaaaaaaaaa", Role.ADMIN,
        "apikey.revoke", "apikeys/bbbbbbbbbbbb", "ok", "10.0.0.1", "req-1", null));
  }

  @AfterEach
  void dropSchema() {
    store.close();
    PgStores.dropSchema(schema);
  }

  @Test
  void refusesToUpdateAnEntry() {
    assertRefused("UPDATE tm_audit SET outcome = 'denied' WHERE seq = " + seq, "UPDATE");
  }

  @Test
  void refusesToDeleteAnEntry() {
    assertRefused("DELETE FROM tm_audit WHERE seq = " + seq, "DELETE");
  }

  @Test
  void refusesEvenAChangeThatMatchesNoRow() {
    assertRefused("DELETE FROM tm_audit WHERE seq < 0", "DELETE");
  }

  @Test
  void refusesToTruncateTheTrail() {
    assertRefused("TRUNCATE tm_audit", "TRUNCATE");
  }

  @Test
  void refusesAWriterThatPicksItsOwnSeq() {
    assertThatThrownBy(() -> execute("INSERT INTO tm_audit (seq, at, action, outcome) "
        + "VALUES (" + (seq + 1000) + ", now(), 'forged', 'ok')"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("GENERATED ALWAYS");
  }

  @Test
  void refusesASecretStoredInPlaceOfItsHash() {
    String secret = ApiKeys.generate("x", Role.ADMIN, TestJobs.T0, "test").secret();
    assertThatThrownBy(() -> execute("INSERT INTO tm_api_key (id, name, role, secret_hash, "
        + "created_at, created_by) VALUES ('cccccccccccc', 'x', 'ADMIN', '" + secret
        + "', now(), 'test')"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("tm_api_key_hash_is_sha256");
  }

  /** A refused statement fails with the trigger's message and leaves the entry as it was. */
  private void assertRefused(String sql, String operation) {
    assertThatThrownBy(() -> execute(sql))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("tm_audit is append-only: " + operation + " is not allowed")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
    assertThat(store.auditList(AuditQuery.latest(10)))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.seq()).isEqualTo(seq);
          assertThat(e.outcome()).isEqualTo("ok");
        });
    // Appending still works after a refusal.
    assertThat(store.auditAppend(new AuditEntry(0, TestJobs.T0, null, null, "auth", null,
        "denied", null, null, null))).isGreaterThan(seq);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = PgStores.connect(PgStores.url(schema)); var st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
