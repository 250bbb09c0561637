package io.taskmill.cluster;

import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.job.JobId;
import io.taskmill.job.JobRequest;
import io.taskmill.job.Retry;
import io.taskmill.testkit.FakeClock;
import io.taskmill.testkit.ManualEngine;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The fixture of a cluster test: a fresh schema on a {@link PgTarget}, migrated and given the
 * {@link EffectLedger} tables; a client that enqueues without running anything (a {@link
 * ManualEngine} that is never driven); the node JVMs the test starts; and the queries the tests
 * assert on. Closing it kills every node still running and drops the schema.
 */
final class Cluster implements AutoCloseable {
  /** Stored with every job at enqueue: fast retries, so a failed attempt does not stall a test. */
  static final Retry RETRY = Retry.fixed(Duration.ofMillis(200)).maxAttempts(25);

  private static final int ENQUEUE_BATCH = 1000;

  private final PgTarget db;
  private final String schema;
  private final ManualEngine client;
  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();

  /** Every process started, including ones whose id was reused, so close() reaches them all. */
  private final List<NodeProcess> processes = new ArrayList<>();

  private Cluster(PgTarget db, String schema, ManualEngine client) {
    this.db = db;
    this.schema = schema;
    this.client = client;
  }

  /** A new schema on {@code db}, migrated, with a client that knows {@code types}. */
  static Cluster create(PgTarget db, String... types) throws SQLException {
    String schema = db.newSchema();
    try {
      TaskmillBuilder builder =
          Taskmill.builder()
              .jdbcUrl(db.url(schema), db.user(), db.password())
              .nodeId("client")
              .poolSize(2)
              .defaultRetry(RETRY);
      for (String type : types.length == 0 ? new String[] {Work.TYPE} : types) {
        builder.handler(
            type,
            Work.class,
            (w, ctx) -> {
              throw new IllegalStateException("the cluster client never runs jobs");
            });
      }
      // A manual engine has no dispatcher, so the client only writes. Its clock is frozen at the
      // real start time: run_at is then now or earlier for every node.
      var client = ManualEngine.start(builder, FakeClock.at(Instant.now()));
      try (Connection c = db.connect(schema)) {
        EffectLedger.createTables(c);
      }
      return new Cluster(db, schema, client);
    } catch (RuntimeException | SQLException e) {
      db.dropSchema(schema);
      throw e;
    }
  }

  PgTarget db() {
    return db;
  }

  String schema() {
    return schema;
  }

  Taskmill client() {
    return client.taskmill();
  }

  /** Settings of a node on this cluster's schema, with the test defaults. */
  NodeSettings settings(String nodeId) {
    return NodeSettings.defaults(nodeId, db, schema);
  }

  /** Starts node JVMs in parallel and waits until each is ready. */
  List<NodeProcess> start(NodeSettings... all) throws Exception {
    var started = new ArrayList<NodeProcess>();
    for (NodeSettings s : all) {
      NodeProcess p = NodeProcess.start(s);
      nodes.put(s.nodeId(), p);
      processes.add(p);
      started.add(p);
    }
    for (NodeProcess p : started) {
      p.awaitReady(Duration.ofSeconds(60));
    }
    return started;
  }

  NodeProcess node(String nodeId) {
    return nodes.get(nodeId);
  }

  /**
   * SIGKILLs the nodes and returns once PostgreSQL has ended every session they had. A backend that
   * had already received the dead node's COMMIT finishes it after the process is gone, so until
   * then the rows the node leases may still change: a job read as in flight could yet commit as
   * done by the dead node, and never be claimed again.
   */
  void kill9(String... nodeIds) throws InterruptedException {
    for (String n : nodeIds) {
      nodes.get(n).kill9();
    }
    for (String n : nodeIds) {
      String sessions =
          "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
              + NodeSettings.applicationName(n)
              + "'";
      await("the sessions of killed node " + n + " ended")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> count(sessions) == 0);
    }
  }

  /** Enqueues {@code count} jobs of {@code type} in batches; returns the acknowledged ids. */
  List<JobId> enqueue(String type, int count, IntFunction<Work> payload) {
    var ids = new ArrayList<JobId>(count);
    for (int from = 0; from < count; from += ENQUEUE_BATCH) {
      var batch = new ArrayList<JobRequest>();
      for (int i = from; i < Math.min(count, from + ENQUEUE_BATCH); i++) {
        batch.add(JobRequest.of(type, payload.apply(i)));
      }
      ids.addAll(client().enqueueAll(batch));
    }
    return ids;
  }

  List<JobId> enqueue(int count, IntFunction<Work> payload) {
    return enqueue(Work.TYPE, count, payload);
  }

  Connection connect() throws SQLException {
    return db.connect(schema);
  }

  long count(String sql) {
    try (Connection c = connect()) {
      return EffectLedger.single(c, sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e, e);
    }
  }

  /** Rows of a query as text, one line per row, for diagnostics printed by tests. */
  List<String> rows(String sql) {
    try (Connection c = connect();
        var st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      var out = new ArrayList<String>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var line = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          line.append(i > 1 ? " | " : "").append(rs.getString(i));
        }
        out.add(line.toString());
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e, e);
    }
  }

  /** The database's clock now: the time events, leases and effects are written in. */
  Instant dbNow() {
    return Instant.ofEpochMilli(
        count("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint"));
  }

  long succeeded() {
    return count("SELECT count(*) FROM tm_job WHERE state = 'SUCCEEDED'");
  }

  long nonTerminal() {
    return count(
        "SELECT count(*) FROM tm_job WHERE state NOT IN ('SUCCEEDED', 'CANCELLED', 'DEAD')");
  }

  /** Jobs RUNNING under a lease of {@code node} now. */
  Set<UUID> runningOn(String node) {
    var ids = new HashSet<UUID>();
    try (Connection c = connect();
        var ps =
            c.prepareStatement(
                "SELECT id FROM tm_job WHERE state = 'RUNNING' AND lease_owner = ?")) {
      ps.setString(1, node);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }

  /**
   * For each job, when a node other than {@code notBy} first claimed it after {@code after}; jobs
   * not claimed again are absent.
   */
  Map<UUID, Instant> reclaims(Collection<UUID> jobs, String notBy, Instant after) {
    var found = new LinkedHashMap<UUID, Instant>();
    try (Connection c = connect();
        var ps =
            c.prepareStatement(
                """
        SELECT job_id, min(at) FROM tm_job_event
        WHERE job_id = ANY(?) AND from_state = 'ENQUEUED' AND to_state = 'RUNNING'
          AND node <> ? AND at >= ?
        GROUP BY job_id""")) {
      ps.setArray(1, c.createArrayOf("uuid", jobs.toArray()));
      ps.setString(2, notBy);
      ps.setObject(3, OffsetDateTime.ofInstant(after, ZoneOffset.UTC));
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class).toInstant());
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  /** Waits until no job is left non-terminal. */
  void awaitAllTerminal(Duration max) {
    await("every job terminal")
        .atMost(max)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> nonTerminal() == 0);
  }

  EffectLedger.Report report(Collection<JobId> acknowledged) throws SQLException {
    try (Connection c = connect()) {
      return EffectLedger.report(c, acknowledged);
    }
  }

  List<String> invariantViolations(Duration lease) throws SQLException {
    try (Connection c = connect()) {
      return InvariantChecker.violations(c, lease);
    }
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (NodeProcess p : processes) {
      try {
        p.close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    try {
      client.close();
    } finally {
      try {
        db.dropSchema(schema);
      } catch (RuntimeException e) {
        // The database may be the private one, already stopped by the test.
        System.out.println("could not drop " + schema + ": " + e.getMessage());
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
