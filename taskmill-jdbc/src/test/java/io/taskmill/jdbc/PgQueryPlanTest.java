package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.spi.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plans PostgreSQL picks for claiming and completing a known set of jobs, when the statistics
 * were taken while no job waited and a backlog arrived since: the usual state of a queue table.
 * Through the primary key each job costs the same whatever the backlog; through a partial index of
 * ready or running jobs each claim or completion scans all of them, so a drain slows as it grows.
 *
 * <p>The table holds enough finished jobs that scanning it costs, in PostgreSQL's model at stock
 * settings, several times what 300 primary-key probes do. Near 55,000 rows the two cost the same
 * (within 2%), and the planner's pick between them flips with small differences in the table's
 * pages; either is cheap there, so a set-up of that size tests nothing but the coin. The rows are
 * made once per class: every test only plans, and none changes them.
 */
@ExtendWith(PgSessionTimeZone.class)
@TestInstance(Lifecycle.PER_CLASS)
class PgQueryPlanTest {
  private static final int FINISHED = 250_000;
  private static final int READY = 5_000;
  private static final int RUNNING = 1_000;

  private final String schema = PgStores.newSchema();
  private Store store;
  private final SqlFile jobsSql = SqlFile.load(Dialect.POSTGRES, "jobs");
  private Connection c;
  private String readyIds;
  private String runningIds;

  @BeforeAll
  void statisticsTakenWhenNoJobWaited() throws SQLException {
    store = PgStores.fresh(schema, 2);
    c = PgStores.connect(PgStores.url(schema));
    try (Statement st = c.createStatement()) {
      st.execute(insertJobs(FINISHED, "'SUCCEEDED'", "NULL", "NULL", "now()"));
      st.execute("ANALYZE tm_job");
      st.execute(insertJobs(READY, "'ENQUEUED'", "NULL", "NULL", "NULL"));
      st.execute(
          insertJobs(RUNNING, "'RUNNING'", "'node-a'", "now() + interval '1 minute'", "NULL"));
    }
    readyIds = idArray("ENQUEUED", 300);
    runningIds = idArray("RUNNING", 300);
  }

  @AfterAll
  void close() throws SQLException {
    c.close();
    store.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
  void claimFindsItsRowsByPrimaryKey(String planMode) throws SQLException {
    String plan =
        explain(
            jobsSql.get("claimJob").jdbcSql(),
            planMode,
            "'node-a'",
            "now() + interval '1 minute'",
            "now()",
            "now()",
            readyIds);

    assertThat(plan)
        .contains("tm_job_pk")
        .doesNotContain("tm_job_claim_idx")
        .doesNotContain("Seq Scan on tm_job");
  }

  @ParameterizedTest
  @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
  void completionFindsItsRowsByPrimaryKey(String planMode) throws SQLException {
    int n = 300;
    String plan =
        explain(
            jobsSql.get("completeAttempt").jdbcSql(),
            planMode,
            runningIds,
            array("bigint", n, "1"),
            array("varchar", n, "SUCCEEDED"),
            array("varchar", n, null),
            array("varchar", n, null),
            array("varchar", n, "2026-01-01T00:00:00Z"),
            array("varchar", n, null),
            array("integer", n, null),
            array("varchar", n, "2026-01-01T00:00:00Z"));

    assertThat(plan)
        .contains("tm_job_pk")
        .doesNotContain("tm_job_running_type_idx")
        .doesNotContain("tm_job_lease_idx")
        .doesNotContain("Seq Scan on tm_job");
  }

  @ParameterizedTest
  @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
  void leaseRenewalFindsItsRowByPrimaryKey(String planMode) throws SQLException {
    String id = runningIds.substring("CAST('{".length(), "CAST('{".length() + 36);
    String plan =
        explain(
            jobsSql.get("jobRenewLease").jdbcSql(),
            planMode,
            "now() + interval '1 minute'",
            "'" + id + "'",
            "'node-a'",
            "1");

    assertThat(plan)
        .contains("tm_job_pk")
        .doesNotContain("tm_job_running_type_idx")
        .doesNotContain("tm_job_lease_idx");
  }

  /** Every statement on known jobs keeps its state guard away from the partial indexes. */
  @Test
  void everyStateGuardOnKnownJobsIsWrittenSoNoPartialIndexServesIt() {
    var plainGuard = Pattern.compile("\\bstate\\s*=\\s*'");
    for (String name : jobsSql.names()) {
      String sql =
          jobsSql
              .get(name)
              .jdbcSql()
              .lines()
              .filter(l -> !l.strip().startsWith("--"))
              .collect(Collectors.joining("\n"));
      if (sql.startsWith("UPDATE") && sql.matches("(?s).*\\bid = (\\?|ANY\\(\\?\\)|u\\.id).*")) {
        assertThat(plainGuard.matcher(sql.substring(sql.indexOf("WHERE"))).find())
            .as(name + " guards state with a plain `state = '…'`; write `state || '' = '…'`")
            .isFalse();
      }
    }
  }

  /**
   * The hazard itself, so this class fails if its set-up stops reproducing it: the same update with
   * a plain {@code state = 'ENQUEUED'} guard is served by the partial index of ready jobs.
   */
  @Test
  void withAPlainStateGuardThePlannerTrustsTheStaleStatistics() throws SQLException {
    String plan =
        explain(
            "UPDATE tm_job SET version = version + 1 "
                + "WHERE id = ANY(?) AND state = 'ENQUEUED' RETURNING id",
            "force_generic_plan",
            readyIds);

    assertThat(plan).contains("tm_job_claim_idx");
  }

  private static String insertJobs(
      int n, String state, String owner, String expires, String finishedAt) {
    return "INSERT INTO tm_job (id, type, queue, state, priority, run_at, max_attempts, "
        + "lease_owner, lease_expires_at, created_by, created_at, updated_at, finished_at) "
        + "SELECT gen_random_uuid(), 'demo.noop', 'default', "
        + state
        + ", 0, now(), 3, "
        + owner
        + ", "
        + expires
        + ", 'test', now(), now(), "
        + finishedAt
        + " FROM generate_series(1, "
        + n
        + ")";
  }

  private String idArray(String state, int n) throws SQLException {
    var ids = new ArrayList<String>();
    try (Statement st = c.createStatement();
        var rs =
            st.executeQuery("SELECT id FROM tm_job WHERE state = '" + state + "' LIMIT " + n)) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return "CAST('{" + String.join(",", ids) + "}' AS uuid[])";
  }

  private static String array(String type, int n, String value) {
    String element = value == null ? "NULL" : "\"" + value + "\"";
    return "CAST('{" + String.join(",", Collections.nCopies(n, element)) + "}' AS " + type + "[])";
  }

  /**
   * EXPLAIN of {@code jdbcSql} prepared on the server with its {@code ?}s as {@code $n}, executed
   * with {@code args} (SQL expressions) under {@code plan_cache_mode = planMode}: the plan a pgjdbc
   * statement gets before it is server-prepared (custom) and after (possibly generic).
   */
  private String explain(String jdbcSql, String planMode, String... args) throws SQLException {
    String sql =
        jdbcSql.lines().filter(l -> !l.strip().startsWith("--")).collect(Collectors.joining("\n"));
    var numbered = new StringBuilder();
    int n = 0;
    for (char ch : sql.toCharArray()) {
      numbered.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
    }
    assertThat(n).as("parameters of the statement").isEqualTo(args.length);
    try (Statement st = c.createStatement()) {
      st.execute("SET plan_cache_mode = " + planMode);
      st.execute("PREPARE planned AS " + numbered);
      try (var rs = st.executeQuery("EXPLAIN EXECUTE planned(" + String.join(", ", args) + ")")) {
        List<String> lines = new ArrayList<>();
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
        return String.join("\n", lines);
      } finally {
        st.execute("DEALLOCATE planned");
      }
    }
  }
}
