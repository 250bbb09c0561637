package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.access.ApiKeys;
import io.taskmill.access.Role;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import io.taskmill.testkit.store.TestJobs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded file database: durability, and who may open it. */
class H2FileStoreTest {
  @TempDir Path dataDir;

  @Test
  void keepsJobsAcrossCloseAndReopen() {
    InsertedJob inserted;
    try (Store store = H2Stores.file(dataDir)) {
      inserted = TestJobs.aJob().insert(store);
    }

    try (Store reopened = H2Stores.file(dataDir)) {
      assertThat(
              reopened.read(
                  StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(inserted.id())))))
          .isPresent();
      assertThat(
              reopened.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(inserted.id()))))
          .hasSize(1);
    }
  }

  @Test
  void keepsAnAcknowledgedInsertWhenTheProcessIsKilled() throws Exception {
    String id;
    try (StoreProcess child = StoreProcess.start(dataDir, true)) {
      id = child.awaitReady(); // printed only after jobInsertMany returned
      child.kill();
    }

    try (Store store = H2Stores.file(dataDir)) {
      assertThat(
              store.read(
                  StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(JobId.parse(id))))))
          .get()
          .extracting(j -> j.state())
          .isEqualTo(JobState.ENQUEUED);
    }
  }

  @Test
  void recoversWhenTheEmbeddedDatabaseClosesUnderIt() throws Exception {
    try (JdbcStore store = (JdbcStore) H2Stores.file(dataDir)) {
      InsertedJob before = TestJobs.aJob().insert(store);
      shutDownImmediately(store);

      InsertedJob after =
          org.awaitility.Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .ignoreExceptions()
              .until(() -> TestJobs.aJob().insert(store), j -> true);
      assertThat(
              store.read(
                  StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(before.id())))))
          .isPresent();
      assertThat(
              store.read(
                  StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(after.id())))))
          .isPresent();
    }
  }

  @Test
  void refusesADataDirAnotherStoreInThisProcessHasOpen() {
    try (Store first = H2Stores.file(dataDir)) {
      assertThatThrownBy(() -> H2Stores.file(dataDir))
          .isInstanceOf(JdbcStoreException.class)
          .hasMessage(
              "the data dir "
                  + dataDir.toAbsolutePath().normalize()
                  + " is in use by "
                  + "another Taskmill store in this process; close that store first or choose "
                  + "another --data-dir");
      assertThat(first.read(StoreOp.READ, (StoreTx tx) -> tx.jobList(JobQuery.all(1)))).isEmpty();
    }
    try (Store again = H2Stores.file(dataDir)) {
      assertThat(again.info().name()).isEqualTo("h2-file");
    }
  }

  @Test
  void refusesADataDirAnotherProcessHasOpen() throws Exception {
    try (StoreProcess other = StoreProcess.start(dataDir, false)) {
      other.awaitReady();

      assertThatThrownBy(() -> H2Stores.file(dataDir))
          .isInstanceOf(JdbcStoreException.class)
          .hasMessage(
              "the data dir "
                  + dataDir.toAbsolutePath().normalize()
                  + " is in use by "
                  + "another Taskmill process (H2 file lock); stop it or choose another --data-dir");
    }
    try (Store afterwards = H2Stores.file(dataDir)) {
      assertThat(afterwards.info().exclusive()).isTrue();
    }
  }

  @Test
  void migratesAnEmptyDatabaseToTheCurrentSchema() throws Exception {
    H2Stores.file(dataDir).close();

    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("taskmill");
    try (var c = DriverManager.getConnection(url)) {
      var tables = new ArrayList<String>();
      try (var rs =
          c.createStatement()
              .executeQuery(
                  "SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC' "
                      + "ORDER BY table_name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables)
          .containsExactly(
              "TM_API_KEY",
              "TM_AUDIT",
              "TM_JOB",
              "TM_JOB_EVENT",
              "TM_JOB_LOG",
              "TM_LEADER",
              "TM_LOCK",
              "TM_NODE",
              "TM_OUTBOX",
              "TM_QUEUE",
              "TM_RATE_WINDOW",
              "TM_SCHEDULE",
              "TM_SCHEDULE_RUN",
              "TM_WORKFLOW_DEFINITION",
              "tm_schema_history");

      var versions = new ArrayList<String>();
      try (var rs =
          c.createStatement()
              .executeQuery(
                  "SELECT \"version\", \"success\" FROM \"tm_schema_history\" WHERE \"type\" = 'SQL' "
                      + "ORDER BY \"installed_rank\"")) {
        while (rs.next()) {
          assertThat(rs.getBoolean(2)).isTrue();
          versions.add(rs.getString(1));
        }
      }
      assertThat(versions)
          .containsExactly(
              "1", "2", "3", "4", "5", "6", "7", "8", "10", "11", "12", "13", "14", "15", "16");

      var indexes = new ArrayList<String>();
      try (var rs =
          c.createStatement()
              .executeQuery(
                  "SELECT index_name FROM information_schema.indexes WHERE table_name = 'TM_JOB'")) {
        while (rs.next()) {
          indexes.add(rs.getString(1));
        }
      }
      assertThat(indexes).contains("TM_JOB_CLAIM_IDX", "TM_JOB_DUE_IDX");
      // Pruning reads tm_job_due_idx; a finished-at index cost a fifth of the drain rate (V7). The
      // reads of running jobs do too; a lease index cost 13% of the CPU per drained job (V14).
      assertThat(indexes).doesNotContain("TM_JOB_FINISHED_IDX", "TM_JOB_LEASE_IDX");
      // A job names its schedule, and when its attempt started (V11), without an index: nothing
      // hot reads them, and every insert or claim would pay.
      try (var rs =
          c.createStatement()
              .executeQuery(
                  "SELECT COUNT(*) FROM "
                      + "information_schema.index_columns WHERE table_name = 'TM_JOB' "
                      + "AND column_name IN ('SCHEDULE_NAME', 'STARTED_AT')")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }

  @Test
  void theSchemaRejectsRowsThatBreakTheStateRules() throws Exception {
    H2Stores.file(dataDir).close();
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("taskmill");
    String insert =
        "INSERT INTO tm_job (id, type, queue, state, priority, run_at, max_attempts, "
            + "lease_owner, lease_expires_at, created_by, created_at, updated_at, finished_at) VALUES "
            + "(RANDOM_UUID(), 't', 'q', '%s', 0, CURRENT_TIMESTAMP, 1, %s, %s, 'n', CURRENT_TIMESTAMP, "
            + "CURRENT_TIMESTAMP, %s)";
    try (var c = DriverManager.getConnection(url)) {
      for (String bad :
          List.of(
              insert.formatted("SUCCEEDED", "NULL", "NULL", "NULL"),
              insert.formatted("ENQUEUED", "NULL", "NULL", "CURRENT_TIMESTAMP"),
              insert.formatted("RUNNING", "NULL", "CURRENT_TIMESTAMP", "NULL"),
              insert.formatted("RUNNING", "'n'", "NULL", "NULL"),
              insert.formatted("LOST", "NULL", "NULL", "NULL"))) {
        assertThatThrownBy(() -> c.createStatement().executeUpdate(bad))
            .as(bad)
            .hasMessageContaining("Check constraint");
      }
      c.createStatement()
          .executeUpdate(insert.formatted("RUNNING", "'n'", "CURRENT_TIMESTAMP", "NULL"));
    }
  }

  @Test
  void theKeyTableTakesOnlyHashesOfSecrets() throws Exception {
    H2Stores.file(dataDir).close();
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("taskmill");
    String secret = ApiKeys.generate("x", Role.ADMIN, TestJobs.T0, "test").secret();
    String insert =
        "INSERT INTO tm_api_key (id, name, role, secret_hash, created_at, created_by) "
            + "VALUES ('%s', 'x', '%s', '%s', CURRENT_TIMESTAMP, 'test')";
    try (var c = DriverManager.getConnection(url)) {
      for (String bad :
          List.of(
              insert.formatted("aaaaaaaaaaaa", "ADMIN", secret),
              insert.formatted("aaaaaaaaaaaa", "ADMIN", ApiKeys.hash(secret).toUpperCase()),
              insert.formatted("aaaaaaaaaaaa", "ROOT", ApiKeys.hash(secret)))) {
        assertThatThrownBy(() -> c.createStatement().executeUpdate(bad))
            .as(bad)
            .hasMessageContaining("Check constraint");
      }
      c.createStatement()
          .executeUpdate(insert.formatted("aaaaaaaaaaaa", "ADMIN", ApiKeys.hash(secret)));
    }
  }

  /** Closes the database as an MVStore panic does: at once, its connections left broken. */
  private static void shutDownImmediately(JdbcStore store) throws SQLException {
    Connection c = store.mainPool().connection();
    try (var st = c.createStatement()) {
      st.execute("SHUTDOWN IMMEDIATELY");
    }
    try {
      c.close();
    } catch (SQLException expected) {
      // the pool's rollback on return meets the closed database
    }
  }
}
