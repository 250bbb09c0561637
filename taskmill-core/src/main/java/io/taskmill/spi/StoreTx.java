package io.taskmill.spi;

import io.taskmill.access.ApiKey;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.job.Job;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import io.taskmill.job.JobTally;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.queue.QueueStat;
import io.taskmill.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The table operations of one store transaction ({@link Store#inTransaction}): each binds its
 * arguments, runs one statement (a batch is one statement), and maps the rows; none decides
 * anything. Which jobs move, to which state, and what their events say is the engine's choice; the
 * operations only keep the guards that make a lost race change nothing.
 *
 * <p>Writes that move a job take the state they leave and the one they write, as chosen by the
 * engine through {@link JobState#canMoveTo}, and are guarded by the version the engine read, so a
 * row changed since is left alone: the result says which were applied.
 *
 * <p>The operations that are one statement each are data: the records of {@link Ops}, run by {@link
 * #query}, {@link #first}, {@link #change} and {@link #changeEach}. The methods below those four
 * are the set-based and multi-statement ones, whose binding is each store's own.
 */
public interface StoreTx {

  /** Runs a read of {@link Ops}: every row it maps, in the statement's order. */
  <R> List<R> query(Query<R> query);

  /** Runs a read of {@link Ops} and answers its first row, if it has one. */
  default <R> Optional<R> first(Query<R> query) {
    return query(query).stream().findFirst();
  }

  /** Runs a write of {@link Ops}; returns its row count. */
  int change(Change change);

  /**
   * Runs writes of one {@link Ops} type in one batch, in order; for each, whether it changed
   * exactly one row (every such write is a guarded single-row write).
   */
  List<Boolean> changeEach(List<? extends Change> changes);

  /**
   * Records a node's heartbeat: inserts or updates its row as {@code ALIVE} with the figures in
   * {@code node}. Returns false when the row had been declared {@code DEAD} (the node was presumed
   * gone and its jobs taken back), so the node knows its leases are lost.
   */
  boolean nodeHeartbeat(Node node);

  /**
   * Tries to lead: renews {@code node}'s leadership, or takes it over with the next term when the
   * current one lapsed before {@code now}; otherwise leaves it alone. Returns the leadership as it
   * is afterwards, whoever holds it.
   */
  Leadership leaderTry(String node, Instant now, Duration ttl);

  /**
   * Up to {@code limit} ready jobs of {@code queue} and {@code types} due at {@code now}, in claim
   * order (highest priority, then oldest {@code runAt}, then id), after skipping {@code offset};
   * whole rows. Where several processes share the store, rows another claim holds are skipped and
   * those returned stay locked for this transaction.
   */
  List<Job> jobClaimCandidates(
      String queue, Instant now, Collection<String> types, int limit, int offset);

  /**
   * Claims candidates read in this transaction for {@code node}: each becomes {@code RUNNING} with
   * {@code attempt + 1}, a new lease epoch, a lease until {@code leaseExpiresAt} and {@code now} as
   * its start. One statement. Returns the claimed ones in the order given, as the claim left their
   * rows; a candidate changed since it was read is left out.
   */
  List<Job> jobClaim(List<Job> candidates, String node, Instant now, Instant leaseExpiresAt);

  /**
   * Locks the types, which have cluster-wide limits, for the rest of the transaction, so concurrent
   * claims never both count the same room (in one sorted round, so claims wanting several types
   * cannot deadlock); then reads what each has in use: its running jobs where its limit has
   * maxRunning, and its starts in the window starting at {@code windowStarts} (absent: no rate).
   */
  List<LimitUsage> limitLockAndCount(
      Map<String, ClusterLimit> limits, Map<String, Instant> windowStarts);

  /**
   * Applies outcomes, each only to a job still {@code RUNNING} under its lease epoch, in the order
   * given (one statement, or one batch).
   *
   * @return for each write in order, whether it was applied
   */
  List<Boolean> jobCompleteAttempts(List<OutcomeWrite> writes);

  /** Stores log lines, in order, in one statement. */
  void logInsert(List<LogEntry> entries);

  /**
   * Jobs matching every filter of a query, newest id first, after the query's cursor. A tag matches
   * a job that carries exactly that tag among its tags, never a part of one.
   */
  List<Job> jobList(JobQuery query);

  /**
   * Jobs counted by queue, type and state in one pass, each count with how many of its jobs
   * finished within each of {@link JobTally#WINDOWS} before {@code now}.
   */
  List<JobTally> jobTallies(Instant now);

  /**
   * Every queue that holds jobs, with its jobs counted by state, the due time of its oldest ready
   * job, and how many of its jobs finished at or after {@code finishedSince}; by queue name.
   */
  List<QueueStat> queueStats(Instant finishedSince);

  /**
   * Takes the lock {@code name} for {@code holder} until {@code now + ttl}, if nobody holds it: it
   * was never taken, was released, or expired before {@code now}. Atomic: of concurrent callers for
   * a free lock exactly one gets it. Each acquisition of a name gets a fencing token greater than
   * every earlier one of that name (the first is 1), so a store keeps a released name's last token.
   *
   * @return the acquisition's fencing token, or empty when another holder's lock has not expired
   */
  OptionalLong lockAcquire(String name, LockHolder holder, Instant now, Duration ttl);

  /**
   * Inserts a new schedule, with its version 0; false (and nothing written) when one of that name
   * exists. Its createdAt and updatedAt are taken as given.
   */
  boolean scheduleInsert(Schedule schedule);

  /**
   * Inserts run rows in one batch; false when any of them has a key recorded before, and then the
   * caller rolls the transaction back (on PostgreSQL the others were inserted).
   */
  boolean scheduleRunsInsert(String schedule, List<RunRecord> runs, Instant recordedAt);

  /**
   * Stores a new key; false (and nothing written) when its id or its secret's hash is taken, as
   * decided by the table's unique constraints. Nothing but the hash of the secret is stored.
   */
  boolean apiKeyInsert(ApiKey key);

  /**
   * Appends entries to the audit trail, in list order, and returns their seqs, each greater than
   * the seq of every entry appended before this transaction began; the entries' own seqs are
   * ignored. Entries are never changed afterwards, and deleted only by retention ({@link
   * Ops.AuditPrune}; on PostgreSQL the table refuses the rest). A server groups concurrent
   * requests' entries so they share one commit.
   */
  List<Long> auditAppendAll(List<AuditEntry> entries);

  /** Audit entries matching the query, highest seq (newest) first, below its cursor. */
  List<AuditEntry> auditList(AuditQuery query);

  /**
   * Inserts jobs in order. A job whose idempotency key is already taken is not inserted; its result
   * names the existing job with {@code created = false}. Concurrent callers with the same key get
   * the same job. One statement where the dialect allows.
   */
  List<InsertedJob> jobInsert(List<NewJob> jobs, String node);

  /**
   * Up to {@code limit} feed rows with {@code seq > afterSeq}, in seq order: every job transition
   * and every outbox row (a batch's created jobs), numbered by one sequence and each written in the
   * transaction of its change, as committed when read, with the store's clock at the read. Numbers
   * are taken before commit, so a row may appear later with a seq below one already read, and a
   * rolled-back transaction leaves a seq that never appears; readers settle that (EventFeed). With
   * {@code limit} 0 it reads only the clock and the head seq; a negative argument is refused with
   * {@link IllegalArgumentException}.
   */
  FeedPage eventFeed(long afterSeq, int limit);

  /** Appends the transitions' events, in order, in one statement. */
  void eventInsert(List<Transition> transitions);

  /**
   * Tells other processes sharing the store, once this transaction commits, that these queues have
   * ready jobs; a store without push does nothing.
   */
  void notifyReady(Collection<String> queues);
}
