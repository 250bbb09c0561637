package io.taskmill.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskmill.job.JobId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The effect ledger of docs/testing.md: the test handler's first act is an autocommitted {@code
 * INSERT INTO effects(job_id, attempt, node, lease_epoch, t)} on a pool of its own, so every
 * execution that got as far as its side effect is counted whatever later happens to the attempt,
 * its node or the engine's connections. From it and the store's tables, {@link #report} derives
 * lost jobs, executions, duplicates and stale commits.
 *
 * <p>{@code lease_epoch} is the epoch of the lease this node held for this attempt when the effect
 * was written, read in the same statement; NULL means the lease was already gone.
 */
final class EffectLedger {
  static final String DDL =
      """
      CREATE TABLE effects (
          job_id      uuid         NOT NULL,
          attempt     integer      NOT NULL,
          node        varchar(200) NOT NULL,
          lease_epoch bigint,
          t           timestamptz  NOT NULL
      );
      CREATE INDEX effects_job_idx ON effects (job_id);
      CREATE TABLE lease_losses (
          job_id  uuid         NOT NULL,
          attempt integer      NOT NULL,
          node    varchar(200) NOT NULL,
          t       timestamptz  NOT NULL
      );
      """;

  private static final String RECORD =
      """
      INSERT INTO effects (job_id, attempt, node, lease_epoch, t)
      SELECT ?, ?, ?, (SELECT lease_epoch FROM tm_job
                       WHERE id = ? AND lease_owner = ? AND attempt = ? AND state = 'RUNNING'),
             clock_timestamp()
      """;

  /**
   * Outcomes that applied under a lease that was not current. Per job, in commit order, keep the
   * lease events (a claim; a rescue or release, which end a lease) and the outcome events that
   * applied (from RUNNING to an outcome's state; late completions record the state unchanged and
   * are left out). Each outcome must directly follow a claim by the same node: anything else is an
   * outcome under a lease that was no longer current (a stale commit, docs/testing.md). Row locks
   * order one job's events, so {@code seq} is their commit order.
   */
  private static final String STALE_COMMITS =
      """
      WITH ev AS (
          SELECT seq, job_id, node, CASE
              WHEN from_state = 'ENQUEUED' AND to_state = 'RUNNING' THEN 'claim'
              WHEN from_state = 'RUNNING' AND to_state = 'ENQUEUED' THEN 'unlease'
              WHEN from_state = 'RUNNING' AND to_state = 'DEAD' AND message LIKE 'rescued%' THEN 'unlease'
              WHEN from_state = 'RUNNING' AND to_state IN ('SUCCEEDED', 'SCHEDULED', 'DEAD', 'CANCELLED')
                  THEN 'outcome'
              END AS kind
          FROM tm_job_event),
      ordered AS (
          SELECT job_id, node, kind, lag(kind) OVER w AS prev_kind, lag(node) OVER w AS prev_node
          FROM ev WHERE kind IS NOT NULL
          WINDOW w AS (PARTITION BY job_id ORDER BY seq))
      SELECT job_id, node, prev_kind, prev_node FROM ordered
      WHERE kind = 'outcome' AND (prev_kind IS DISTINCT FROM 'claim' OR prev_node <> node)
      """;

  /**
   * Succeeded jobs whose applied outcome came from an execution that did not hold the current
   * lease: the node named by the outcome event has no effect recorded under the job's final lease
   * epoch. This uses the epoch the ledger read when the attempt started, so it also catches a fence
   * failure that the event order alone would not show.
   */
  private static final String OUTCOMES_WITHOUT_CURRENT_EFFECT =
      """
      SELECT j.id, s.node, j.lease_epoch FROM tm_job j
      JOIN LATERAL (SELECT node FROM tm_job_event e
                    WHERE e.job_id = j.id AND e.from_state = 'RUNNING' AND e.to_state = 'SUCCEEDED'
                    ORDER BY seq DESC LIMIT 1) s ON TRUE
      WHERE j.state = 'SUCCEEDED' AND NOT EXISTS (
          SELECT 1 FROM effects f
          WHERE f.job_id = j.id AND f.node = s.node AND f.lease_epoch = j.lease_epoch)
      """;

  private final DataSource pool;

  EffectLedger(DataSource pool) {
    this.pool = pool;
  }

  /**
   * A small autocommit pool for a node's handlers, separate from the engine's. Without {@code
   * syncCommit}, effect commits do not wait for the WAL flush: still visible at once and durable
   * unless the server itself crashes.
   */
  static HikariDataSource pool(
      String url, String user, String password, int size, boolean syncCommit) {
    var config = new HikariConfig();
    config.setPoolName("effects");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setAutoCommit(true);
    if (!syncCommit) {
      config.setConnectionInitSql("SET synchronous_commit = off");
    }
    config.setConnectionTimeout(5_000);
    // The pool may start while the database is down (a node restarted during an outage).
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  static void createTables(Connection c) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(DDL);
    }
  }

  /** Records one execution; throws (failing the attempt) if the database cannot take it. */
  void record(JobId job, int attempt, String node) throws SQLException {
    try (Connection c = pool.getConnection();
        var ps = c.prepareStatement(RECORD)) {
      ps.setObject(1, job.value());
      ps.setInt(2, attempt);
      ps.setString(3, node);
      ps.setObject(4, job.value());
      ps.setString(5, node);
      ps.setInt(6, attempt);
      ps.executeUpdate();
    }
  }

  /**
   * Records that a running handler was told its lease was lost (best effort). The engine interrupts
   * a handler whose lease is gone, possibly while this insert runs, and an interrupted thread's
   * pool wait or socket write fails; so the insert runs on a thread of its own, and the handler's
   * interrupt is kept for it to see afterwards.
   */
  void leaseLost(JobId job, int attempt, String node) {
    Thread writer =
        Thread.ofPlatform()
            .daemon()
            .name("ledger-lease-loss")
            .start(() -> insertLeaseLoss(job, attempt, node));
    boolean interrupted = false;
    while (true) {
      try {
        writer.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void insertLeaseLoss(JobId job, int attempt, String node) {
    try (Connection c = pool.getConnection();
        var ps =
            c.prepareStatement(
                "INSERT INTO lease_losses (job_id, attempt, node, t) VALUES (?, ?, ?, clock_timestamp())")) {
      ps.setObject(1, job.value());
      ps.setInt(2, attempt);
      ps.setString(3, node);
      ps.executeUpdate();
    } catch (SQLException e) {
      System.err.println("could not record the lease loss of " + job + ": " + e);
    }
  }

  /**
   * What the ledger and the store say about a run.
   *
   * @param acknowledged enqueues the client saw succeed
   * @param terminal acknowledged jobs in a terminal state
   * @param succeeded jobs (of any origin) that succeeded
   * @param executions effects recorded: handler runs that reached their side effect
   * @param distinctJobs jobs with at least one effect
   * @param duplicatedJobs jobs with more than one effect
   * @param staleCommits outcomes applied under a lease that was not current, as "job: why", found
   *     from the event order and from the epochs the ledger recorded
   * @param succeededWithoutEffect succeeded jobs whose handler never recorded an effect
   */
  record Report(
      long acknowledged,
      long terminal,
      long succeeded,
      long executions,
      long distinctJobs,
      Set<UUID> duplicatedJobs,
      List<String> staleCommits,
      long succeededWithoutEffect) {

    /** Acknowledged enqueues that did not reach a terminal state. */
    long lost() {
      return acknowledged - terminal;
    }

    long duplicates() {
      return executions - distinctJobs;
    }

    @Override
    public String toString() {
      return "acknowledged="
          + acknowledged
          + " terminal="
          + terminal
          + " lost="
          + lost()
          + " succeeded="
          + succeeded
          + " executions="
          + executions
          + " duplicates="
          + duplicates()
          + " (jobs "
          + duplicatedJobs.size()
          + ") staleCommits="
          + staleCommits.size()
          + " succeededWithoutEffect="
          + succeededWithoutEffect;
    }
  }

  static Report report(Connection c, Collection<JobId> acknowledged) throws SQLException {
    UUID[] ids = acknowledged.stream().map(JobId::value).toArray(UUID[]::new);
    long terminal;
    try (var ps =
        c.prepareStatement(
            "SELECT count(*) FROM tm_job WHERE id = ANY(?) "
                + "AND state IN ('SUCCEEDED', 'CANCELLED', 'DEAD')")) {
      ps.setArray(1, c.createArrayOf("uuid", ids));
      terminal = single(ps);
    }
    long succeeded = single(c, "SELECT count(*) FROM tm_job WHERE state = 'SUCCEEDED'");
    long executions = single(c, "SELECT count(*) FROM effects");
    long distinct = single(c, "SELECT count(DISTINCT job_id) FROM effects");
    long withoutEffect =
        single(
            c,
            "SELECT count(*) FROM tm_job j WHERE state = 'SUCCEEDED' "
                + "AND NOT EXISTS (SELECT 1 FROM effects e WHERE e.job_id = j.id)");
    var duplicated = new HashSet<UUID>();
    try (var st = c.createStatement();
        var rs =
            st.executeQuery("SELECT job_id FROM effects GROUP BY job_id HAVING count(*) > 1")) {
      while (rs.next()) {
        duplicated.add(rs.getObject(1, UUID.class));
      }
    }
    var stale = new ArrayList<String>();
    try (var st = c.createStatement();
        var rs = st.executeQuery(STALE_COMMITS)) {
      while (rs.next()) {
        stale.add(
            rs.getString("job_id")
                + ": outcome from "
                + rs.getString("node")
                + " after "
                + rs.getString("prev_kind")
                + " by "
                + rs.getString("prev_node"));
      }
    }
    try (var st = c.createStatement();
        var rs = st.executeQuery(OUTCOMES_WITHOUT_CURRENT_EFFECT)) {
      while (rs.next()) {
        stale.add(
            rs.getString(1)
                + ": outcome from "
                + rs.getString(2)
                + ", which recorded no effect under the current lease epoch "
                + rs.getLong(3));
      }
    }
    return new Report(
        ids.length, terminal, succeeded, executions, distinct, duplicated, stale, withoutEffect);
  }

  static long single(Connection c, String sql) throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      return single(ps);
    }
  }

  private static long single(PreparedStatement ps) throws SQLException {
    try (var rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
