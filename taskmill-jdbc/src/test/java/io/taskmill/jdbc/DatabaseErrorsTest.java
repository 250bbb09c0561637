package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskmill.spi.Ops.QueuePausedNames;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import io.taskmill.spi.StoreUnavailableException;
import io.taskmill.testkit.store.TestJobs;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database is unavailable" and which name the failed operation. */
class DatabaseErrorsTest {
  private static final String URL = "jdbc:h2:mem:errors-test;DB_CLOSE_DELAY=-1";

  private static Pool pool(int size) {
    var config = new HikariConfig();
    config.setJdbcUrl(URL);
    config.setMaximumPoolSize(size);
    config.setAutoCommit(false);
    config.setConnectionTimeout(250); // Hikari's minimum: the test waits for a timeout, not a sleep
    return Pool.fixed(new HikariDataSource(config));
  }

  @Test
  void connectionFailuresMeanUnavailable() {
    try (var db = new Database(pool(1), pool(1), Dialect.H2, URL, false)) {
      for (SQLException e :
          new SQLException[] {
            new SQLException("refused", "08001"),
            new SQLTransientConnectionException("pool timeout"),
            new SQLException("Database is already closed", "90098", 90098),
            new SQLException("wrapped", "HY000", new SQLException("lost", "08006"))
          }) {
        assertThat(db.translate("jobClaim", e))
            .as(e.getMessage())
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageStartingWith("jobClaim: the database " + URL + " is unavailable");
      }
    }
  }

  @Test
  void postgresShutdownsAndConnectionLimitsMeanUnavailable() {
    try (var db = new Database(pool(1), pool(1), Dialect.POSTGRES, URL, false)) {
      for (SQLException e :
          new SQLException[] {
            new SQLException("An I/O error occurred while sending to the backend", "08006"),
            new SQLException("This connection has been closed.", "08003"),
            new SQLException("terminating connection due to administrator command", "57P01"),
            new SQLException("the database system is starting up", "57P03"),
            new SQLException("sorry, too many clients already", "53300")
          }) {
        assertThat(db.translate("jobClaim", e))
            .as(e.getMessage())
            .isInstanceOf(StoreUnavailableException.class);
      }
      assertThat(db.translate("jobInsertMany", new SQLException("duplicate key", "23505")))
          .isInstanceOf(JdbcStoreException.class);
      assertThat(Dialect.POSTGRES.isUniqueViolation(new SQLException("duplicate key", "23505")))
          .isTrue();
    }
  }

  @Test
  void postgresDeadlocksAndSerializationFailuresAreRetried() {
    try (var db = new Database(pool(1), pool(1), Dialect.POSTGRES, URL, false)) {
      for (String state : List.of("40P01", "40001")) {
        var tries = new AtomicInteger();
        String result =
            db.write(
                "jobClaim",
                c -> {
                  if (tries.incrementAndGet() == 1) {
                    throw new SQLException("deadlock detected", state);
                  }
                  return "done";
                });
        assertThat(result).as(state).isEqualTo("done");
        assertThat(tries).as(state).hasValue(2);
      }
    }
  }

  @Test
  void h2RetriesOnlyItsOwnDeadlockState() {
    assertThat(Dialect.H2.isRetryable(new SQLException("deadlock", "40001"))).isTrue();
    assertThat(Dialect.H2.isRetryable(new SQLException("deadlock", "40P01"))).isFalse();
  }

  @Test
  void otherFailuresNameTheOperation() {
    try (var db = new Database(pool(1), pool(1), Dialect.H2, URL, false)) {
      assertThat(db.translate("jobCancel", new SQLException("Value too long\nSQL: x", "22001")))
          .isInstanceOf(JdbcStoreException.class)
          .hasMessage("jobCancel failed on " + URL + ": Value too long");
    }
  }

  @Test
  void anExhaustedMainPoolLeavesTheReservedPoolForHeartbeatsAndRenewals() {
    try (var db = new Database(pool(1), pool(1), Dialect.H2, URL, false)) {
      db.write(
          "longClaim",
          held -> {
            // The main pool's one connection is busy; proving the node alive still works.
            assertThat(db.<Integer>reservedWrite("nodeHeartbeat", c -> 1)).isEqualTo(1);
            assertThat(db.<Integer>reservedRead("storeTime", c -> 2)).isEqualTo(2);
            return null;
          });
    }
  }

  @Test
  void anExhaustedPoolMeansUnavailable() throws Exception {
    try (var db = new Database(pool(1), pool(1), Dialect.H2, URL, false)) {
      db.read(
          "hold",
          held -> {
            assertThatThrownBy(() -> db.read("jobGet", c -> 1))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("jobGet: the database " + URL + " is unavailable");
            return null;
          });
    }
  }

  @Test
  void aClosedStoreIsUnavailable() {
    Store store = H2Stores.inMemory();
    store.close();

    assertThatThrownBy(() -> TestJobs.aJob().insert(store))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("INSERT: the store on jdbc:h2:mem:")
        .hasMessageEndingWith("is closed");
  }

  @Test
  void aFailedWriteNamesTheOperationAndChangesNothing() {
    try (Store store = H2Stores.inMemory()) {
      assertThatThrownBy(() -> TestJobs.aJob().type("t".repeat(300)).insert(store))
          .isInstanceOf(JdbcStoreException.class)
          .hasMessageStartingWith("INSERT failed on jdbc:h2:mem:");
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new QueuePausedNames())))
          .isEmpty();
    }
  }
}
