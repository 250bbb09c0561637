package io.taskmill.jdbc;

import io.taskmill.access.ApiKey;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.job.Job;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobTally;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.queue.QueueStat;
import io.taskmill.schedule.Schedule;
import io.taskmill.spi.Change;
import io.taskmill.spi.ClusterLimit;
import io.taskmill.spi.FeedPage;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.LimitUsage;
import io.taskmill.spi.LockHolder;
import io.taskmill.spi.LogEntry;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.OutcomeWrite;
import io.taskmill.spi.Query;
import io.taskmill.spi.RunRecord;
import io.taskmill.spi.StoreTx;
import io.taskmill.spi.Transition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@link StoreTx} on one JDBC connection inside a transaction: each operation hands its arguments
 * to a table class and maps the row counts; what they mean is the engine's business.
 */
final class JdbcTx implements StoreTx {
  /** A failed statement, carried out of the engine's code to the transaction's retry loop. */
  static final class Failure extends RuntimeException {
    Failure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  /** One statement against the connection. */
  @FunctionalInterface
  private interface Statement<T> {
    T run() throws SQLException;
  }

  /** Tells listening processes, on commit, that queues have ready jobs. */
  @FunctionalInterface
  interface ReadyNotifier {
    void notify(Connection c, Collection<String> queues) throws SQLException;
  }

  private final Connection c;
  private final OpStatements ops;
  private final JdbcJobs jobs;
  private final JdbcJobHistory history;
  private final JdbcCluster cluster;
  private final JdbcLimits limits;
  private final JdbcSchedules schedules;
  private final JdbcFeed feed;
  private final JdbcAudit audit;
  private final JdbcQueues queues;
  private final JdbcLocks locks;
  private final JdbcApiKeys apiKeys;
  private final JobInserter inserter;
  private final ReadyNotifier notifier;

  JdbcTx(Connection c, Tables t, ReadyNotifier notifier) {
    this.c = c;
    this.ops = t.ops();
    this.jobs = t.jobs();
    this.history = t.history();
    this.cluster = t.cluster();
    this.limits = t.limits();
    this.schedules = t.schedules();
    this.feed = t.feed();
    this.audit = t.audit();
    this.queues = t.queues();
    this.locks = t.locks();
    this.apiKeys = t.apiKeys();
    this.inserter = t.inserter();
    this.notifier = notifier;
  }

  /** The table classes of one store, each bound to its dialect's SQL. */
  record Tables(
      OpStatements ops,
      JdbcJobs jobs,
      JdbcJobHistory history,
      JdbcCluster cluster,
      JdbcLimits limits,
      JdbcSchedules schedules,
      JdbcFeed feed,
      JdbcAudit audit,
      JdbcQueues queues,
      JdbcLocks locks,
      JdbcApiKeys apiKeys,
      JobInserter inserter) {}

  @Override
  public <R> List<R> query(Query<R> query) {
    return run(() -> ops.query(c, query));
  }

  @Override
  public int change(Change change) {
    return run(() -> ops.change(c, change));
  }

  @Override
  public List<Boolean> changeEach(List<? extends Change> changes) {
    return changes.isEmpty() ? List.of() : applied(run(() -> ops.changeEach(c, changes)));
  }

  @Override
  public boolean nodeHeartbeat(Node node) {
    return run(() -> cluster.heartbeat(c, node));
  }

  @Override
  public Leadership leaderTry(String node, Instant now, Duration ttl) {
    return run(() -> cluster.tryLead(c, node, now, now.plus(ttl)));
  }

  @Override
  public List<Job> jobClaimCandidates(
      String queue, Instant now, Collection<String> types, int limit, int offset) {
    return run(() -> jobs.claimCandidates(c, queue, now, types, limit, offset));
  }

  @Override
  public List<Job> jobClaim(
      List<Job> candidates, String node, Instant now, Instant leaseExpiresAt) {
    return candidates.isEmpty()
        ? List.of()
        : run(() -> jobs.claim(c, candidates, node, now, leaseExpiresAt));
  }

  @Override
  public List<LimitUsage> limitLockAndCount(
      Map<String, ClusterLimit> limitsByType, Map<String, Instant> windowStarts) {
    return run(() -> limits.lockAndCount(c, limitsByType, windowStarts));
  }

  @Override
  public List<Boolean> jobCompleteAttempts(List<OutcomeWrite> writes) {
    return writes.isEmpty() ? List.of() : applied(run(() -> jobs.completeAttempts(c, writes)));
  }

  @Override
  public void logInsert(List<LogEntry> entries) {
    run(
        () -> {
          history.insertLogs(c, entries);
          return null;
        });
  }

  @Override
  public List<Job> jobList(JobQuery query) {
    return run(() -> jobs.list(c, query));
  }

  @Override
  public List<JobTally> jobTallies(Instant now) {
    return run(() -> jobs.tallies(c, now));
  }

  @Override
  public List<QueueStat> queueStats(Instant finishedSince) {
    return run(() -> queues.stats(c, finishedSince));
  }

  @Override
  public OptionalLong lockAcquire(String name, LockHolder holder, Instant now, Duration ttl) {
    return run(() -> locks.take(c, name, holder, now, now.plus(ttl)));
  }

  @Override
  public boolean scheduleInsert(Schedule schedule) {
    return run(() -> schedules.insert(c, schedule));
  }

  @Override
  public boolean scheduleRunsInsert(String schedule, List<RunRecord> runs, Instant recordedAt) {
    return !runs.isEmpty() && run(() -> schedules.insertRuns(c, schedule, runs, recordedAt));
  }

  @Override
  public boolean apiKeyInsert(ApiKey key) {
    return run(() -> apiKeys.insert(c, key));
  }

  @Override
  public List<Long> auditAppendAll(List<AuditEntry> entries) {
    return run(() -> audit.appendAll(c, entries));
  }

  @Override
  public List<AuditEntry> auditList(AuditQuery query) {
    return run(() -> audit.list(c, query));
  }

  @Override
  public List<InsertedJob> jobInsert(List<NewJob> newJobs, String node) {
    return run(() -> inserter.insertMany(c, newJobs, node));
  }

  @Override
  public FeedPage eventFeed(long afterSeq, int limit) {
    if (afterSeq < 0 || limit < 0) {
      throw new IllegalArgumentException(
          "eventFeed needs afterSeq >= 0 and limit >= 0, not " + afterSeq + " and " + limit);
    }
    return run(() -> feed.page(c, afterSeq, limit));
  }

  @Override
  public void eventInsert(List<Transition> transitions) {
    run(
        () -> {
          history.insertTransitions(c, transitions);
          return null;
        });
  }

  @Override
  public void notifyReady(Collection<String> queues) {
    run(
        () -> {
          notifier.notify(c, queues);
          return null;
        });
  }

  private static <T> T run(Statement<T> statement) {
    try {
      return statement.run();
    } catch (SQLException e) {
      throw new Failure(e);
    }
  }

  /** A batch's row counts as applied or not: every write is a guarded single-row update. */
  private static List<Boolean> applied(int[] counts) {
    var applied = new ArrayList<Boolean>(counts.length);
    for (int n : counts) {
      applied.add(n == 1);
    }
    return applied;
  }
}
