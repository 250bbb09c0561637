package io.taskmill.jdbc;

import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import io.taskmill.job.JobTally;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.OutcomeWrite;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The {@code tm_job} table: binds, runs and maps the queries of {@code jobs.sql}, nothing more. */
final class JdbcJobs {
  private final NamedSql insertJob;
  private final NamedSql findByIdempotencyKey;
  private final NamedSql listJobs;
  private final NamedSql tallyJobs;
  private final NamedSql claimCandidates;
  private final NamedSql claimJob;
  private final NamedSql completeAttempt;
  private final Dialect dialect;

  JdbcJobs(SqlFile sql, Dialect dialect) {
    this.dialect = dialect;
    insertJob = sql.get("insertJob");
    findByIdempotencyKey = sql.get("findByIdempotencyKey");
    listJobs = sql.get("listJobs");
    tallyJobs = sql.get("tallyJobs");
    claimCandidates = sql.get("claimCandidates");
    claimJob = sql.get("claimJob");
    completeAttempt = sql.get("completeAttempt");
  }

  /** Inserts jobs in one batch; a duplicate key fails the batch, so callers pass keyless jobs. */
  void insertAll(Connection c, List<NewJob> jobs, String node) throws SQLException {
    if (dialect == Dialect.POSTGRES) {
      insertJob.update(c, insertArrays(jobs, node));
      return;
    }
    insertJob.batch(c, jobs.stream().map(j -> insertParams(j, node)).toList());
  }

  /** Inserts one job; throws on a duplicate key (or returns 0 where the dialect skips it). */
  int insert(Connection c, NewJob job, String node) throws SQLException {
    return insertJob.update(
        c,
        dialect == Dialect.POSTGRES ? insertArrays(List.of(job), node) : insertParams(job, node));
  }

  /** PostgreSQL's set-based insertJob: one element per job in each parallel array. */
  private static Params insertArrays(List<NewJob> jobs, String node) {
    int n = jobs.size();
    var ids = new UUID[n];
    var types = new String[n];
    var queues = new String[n];
    var states = new String[n];
    var priorities = new Integer[n];
    var runAts = new String[n];
    var payloads = new String[n];
    var maxAttempts = new Integer[n];
    var retryPolicies = new String[n];
    var timeoutsMs = new Long[n];
    var idempotencyKeys = new String[n];
    var tags = new String[n];
    var correlationIds = new String[n];
    var createdAts = new String[n];
    var schedules = new String[n];
    for (int k = 0; k < n; k++) {
      NewJob job = jobs.get(k);
      ids[k] = job.id().value();
      types[k] = job.type();
      queues[k] = job.queue();
      states[k] = job.state().name();
      priorities[k] = job.priority();
      runAts[k] = NamedSql.isoText(job.runAt());
      payloads[k] = job.payloadJson();
      maxAttempts[k] = job.maxAttempts();
      retryPolicies[k] = job.retryPolicyJson();
      timeoutsMs[k] = job.timeout() == null ? null : job.timeout().toMillis();
      idempotencyKeys[k] = job.idempotencyKey();
      tags[k] = TagsJson.encode(job.tags());
      correlationIds[k] = job.correlationId();
      createdAts[k] = NamedSql.isoText(job.createdAt());
      schedules[k] = job.schedule();
    }
    return Params.of("ids", ids)
        .set("node", node)
        .set("types", types)
        .set("queues", queues)
        .set("states", states)
        .set("priorities", priorities)
        .set("runAts", runAts)
        .set("payloads", payloads)
        .set("maxAttempts", maxAttempts)
        .set("retryPolicies", retryPolicies)
        .set("timeoutsMs", timeoutsMs)
        .set("idempotencyKeys", idempotencyKeys)
        .set("tags", tags)
        .set("correlationIds", correlationIds)
        .set("createdAts", createdAts)
        .set("schedules", schedules);
  }

  private static Params insertParams(NewJob job, String node) {
    return Params.of("id", job.id())
        .set("node", node)
        .set("type", job.type())
        .set("queue", job.queue())
        .set("state", job.state())
        .set("priority", job.priority())
        .set("runAt", job.runAt())
        .set("payload", job.payloadJson())
        .set("maxAttempts", job.maxAttempts())
        .set("retryPolicy", job.retryPolicyJson())
        .set("timeoutMs", job.timeout() == null ? null : job.timeout().toMillis())
        .set("idempotencyKey", job.idempotencyKey())
        .set("tags", TagsJson.encode(job.tags()))
        .set("correlationId", job.correlationId())
        .set("createdAt", job.createdAt())
        .set("schedule", job.schedule());
  }

  Optional<InsertedJob> findByIdempotencyKey(Connection c, String key) throws SQLException {
    return findByIdempotencyKey
        .query(
            c,
            Params.of("idempotencyKey", key),
            rs ->
                new InsertedJob(
                    JobRows.id(rs, "id"),
                    false,
                    JobState.valueOf(rs.getString("state")),
                    JobRows.instant(rs, "run_at")))
        .stream()
        .findFirst();
  }

  List<Job> list(Connection c, JobQuery q) throws SQLException {
    var params =
        Params.of("state", q.state())
            .set("type", q.type())
            .set("queue", q.queue())
            .set("queues", q.queues() == null ? null : q.queues().toArray(String[]::new))
            .set("tagPattern", q.tag() == null ? null : TagsJson.containsPattern(q.tag()))
            .set("createdFrom", q.createdFrom())
            .set("createdTo", q.createdTo())
            .set("before", q.before() == null ? null : q.before().value())
            .set("limit", q.limit());
    return listJobs.query(c, params, JobRows::job);
  }

  List<JobTally> tallies(Connection c, Instant now) throws SQLException {
    var params = Params.of();
    for (int i = 0; i < JobTally.WINDOWS.size(); i++) {
      params.set("since" + i, now.minus(JobTally.WINDOWS.get(i)));
    }
    return tallyJobs.query(
        c,
        params,
        rs -> {
          var finished = new ArrayList<Long>(JobTally.WINDOWS.size());
          for (int i = 0; i < JobTally.WINDOWS.size(); i++) {
            finished.add(rs.getLong("finished" + i));
          }
          return new JobTally(
              rs.getString("queue"),
              rs.getString("type"),
              JobState.valueOf(rs.getString("state")),
              rs.getLong("job_count"),
              finished);
        });
  }

  /**
   * Ready jobs in claim order, whole rows: a claim builds its jobs from them, not by reading again.
   */
  List<Job> claimCandidates(
      Connection c, String queue, Instant now, Collection<String> types, int limit, int offset)
      throws SQLException {
    var params =
        Params.of("queue", queue)
            .set("now", now)
            .set("types", types.toArray(String[]::new))
            .set("limit", limit)
            .set("offset", offset);
    return claimCandidates.query(c, params, JobRows::job);
  }

  /**
   * Claims candidates read in this transaction; returns the claimed ones, in the order given, as
   * the claim left their rows. Each is the candidate as read with the claim's changes applied: on
   * H2 the update is guarded by the version read, so a row it changes is the row that was read; on
   * PostgreSQL the candidates are locked (FOR UPDATE), so nothing changed them meanwhile.
   */
  List<Job> claim(
      Connection c, List<Job> candidates, String node, Instant now, Instant leaseExpiresAt)
      throws SQLException {
    int[] counts;
    if (dialect == Dialect.POSTGRES) {
      // One set-based update of all the ids; its RETURNING ids are the rows it changed.
      var ids = candidates.stream().map(Job::id).toList();
      var params =
          Params.of("ids", uuids(ids))
              .set("node", node)
              .set("now", now)
              .set("leaseExpiresAt", leaseExpiresAt);
      counts = counts(ids, new HashSet<>(claimJob.query(c, params, rs -> JobRows.id(rs, "id"))));
    } else {
      counts =
          claimJob.batch(
              c,
              candidates.stream()
                  .map(
                      j ->
                          Params.of("id", j.id())
                              .set("version", j.version())
                              .set("node", node)
                              .set("now", now)
                              .set("leaseExpiresAt", leaseExpiresAt))
                  .toList());
    }
    var claimed = new ArrayList<Job>(candidates.size());
    Instant at = NamedSql.micros(now);
    Instant expiresAt = NamedSql.micros(leaseExpiresAt);
    for (int i = 0; i < candidates.size(); i++) {
      if (counts[i] == 1) {
        claimed.add(claimedRow(candidates.get(i), node, at, expiresAt));
      }
    }
    return claimed;
  }

  /** The row claimJob makes of {@code j}: the SET clause of both dialects' claimJob, in Java. */
  private static Job claimedRow(Job j, String node, Instant now, Instant leaseExpiresAt) {
    return new Job(
        j.id(),
        j.type(),
        j.queue(),
        JobState.RUNNING,
        j.priority(),
        j.runAt(),
        j.payloadJson(),
        j.resultJson(),
        j.attempt() + 1,
        j.maxAttempts(),
        j.retryPolicyJson(),
        j.timeout(),
        j.idempotencyKey(),
        j.tags(),
        j.correlationId(),
        node,
        j.leaseEpoch() + 1,
        leaseExpiresAt,
        j.cancelRequested(),
        j.lastError(),
        j.createdAt(),
        now,
        now,
        j.finishedAt(),
        j.version() + 1,
        j.schedule());
  }

  int[] completeAttempts(Connection c, List<OutcomeWrite> writes) throws SQLException {
    if (dialect == Dialect.POSTGRES) {
      return completeAttemptsSetBased(c, writes);
    }
    return completeAttempt.batch(
        c,
        writes.stream()
            .map(
                w ->
                    Params.of("id", w.id())
                        .set("leaseEpoch", w.leaseEpoch())
                        .set("toState", w.to())
                        .set("result", w.result())
                        .set("lastError", w.lastError())
                        .set("finishedAt", w.finishedAt())
                        .set("retryAt", w.retryAt())
                        .set("logCount", w.logCount())
                        .set("at", w.at()))
            .toList());
  }

  /**
   * PostgreSQL: one guarded {@code UPDATE ... FROM unnest(...)} per round. An update changes a row
   * at most once, so a job completed twice in one call goes into a later round, which meets the row
   * as the earlier round left it, as consecutive batch entries would.
   */
  private int[] completeAttemptsSetBased(Connection c, List<OutcomeWrite> writes)
      throws SQLException {
    var counts = new int[writes.size()];
    var pending = new ArrayList<Integer>();
    for (int i = 0; i < writes.size(); i++) {
      pending.add(i);
    }
    while (!pending.isEmpty()) {
      var round = new ArrayList<Integer>();
      var later = new ArrayList<Integer>();
      var seen = new HashSet<JobId>();
      for (int i : pending) {
        (seen.add(writes.get(i).id()) ? round : later).add(i);
      }
      int n = round.size();
      var ids = new UUID[n];
      var epochs = new Long[n];
      var toStates = new String[n];
      var results = new String[n];
      var lastErrors = new String[n];
      var finishedAts = new String[n];
      var retryAts = new String[n];
      var logCounts = new Integer[n];
      var ats = new String[n];
      for (int k = 0; k < n; k++) {
        OutcomeWrite w = writes.get(round.get(k));
        ids[k] = w.id().value();
        epochs[k] = w.leaseEpoch();
        toStates[k] = w.to().name();
        results[k] = w.result();
        lastErrors[k] = w.lastError();
        finishedAts[k] = NamedSql.isoText(w.finishedAt());
        retryAts[k] = NamedSql.isoText(w.retryAt());
        logCounts[k] = w.logCount();
        ats[k] = NamedSql.isoText(w.at());
      }
      var params =
          Params.of("ids", ids)
              .set("leaseEpochs", epochs)
              .set("toStates", toStates)
              .set("results", results)
              .set("lastErrors", lastErrors)
              .set("finishedAts", finishedAts)
              .set("retryAts", retryAts)
              .set("logCounts", logCounts)
              .set("ats", ats);
      var done = new HashSet<>(completeAttempt.query(c, params, rs -> JobRows.id(rs, "id")));
      for (int i : round) {
        counts[i] = done.contains(writes.get(i).id()) ? 1 : 0;
      }
      pending = later;
    }
    return counts;
  }

  /** Row counts in the shape of a batch's: 1 for each id in {@code changed}, else 0. */
  private static int[] counts(List<JobId> ids, Set<JobId> changed) {
    var counts = new int[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      counts[i] = changed.contains(ids.get(i)) ? 1 : 0;
    }
    return counts;
  }

  private static UUID[] uuids(Collection<JobId> ids) {
    return ids.stream().map(JobId::value).toArray(UUID[]::new);
  }
}
