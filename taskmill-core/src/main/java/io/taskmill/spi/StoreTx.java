package io.taskmill.spi;

import io.taskmill.access.ApiKey;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import io.taskmill.job.JobTally;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.queue.QueueStat;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The table operations of one store transaction ({@link Store#inTransaction}): each binds its
 * arguments, runs one statement (a batch is one statement), and maps the rows; none decides
 * anything. Which jobs move, to which state, and what their events say is the engine's choice; the
 * operations only keep the guards that make a lost race change nothing.
 *
 * <p>Writes that move a job take the state they leave and the one they write, as chosen by the
 * engine through {@link JobState#canMoveTo}, and are guarded by the version the engine read, so a
 * row changed since is left alone: the result says which were applied.
 */
public interface StoreTx {

  /** Whether {@code leader} still holds its term at {@code now}; a leader-only duty asks first. */
  boolean leaderHolds(LeaderTerm leader, Instant now);

  /**
   * Extends the leases {@code node} still holds to {@code expiresAt}; reports which it still holds
   * and which of those have a pending cancel request.
   */
  LeaseRenewal jobRenewLeases(String node, List<LeaseRef> leases, Instant expiresAt);

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
   * Extends each lock to {@code now + ttl} if it is still held by its holder under its token and
   * has not expired before {@code now}; a lock that lapsed stays lost even if nobody took it.
   *
   * @return for each lock in order, whether it is still held (and was extended)
   */
  List<Boolean> lockRenew(List<LockRef> locks, Instant now);

  /** The ids of {@code ALIVE} nodes whose last heartbeat is before {@code before}, locked. */
  List<String> nodeOverdue(Instant before);

  /** Declares an {@code ALIVE} node dead; false if it was not alive. */
  boolean nodeDeclareDead(String id);

  /**
   * Ends at {@code now} the unexpired leases of every running job of {@code node}, so the rescuer,
   * which judges by expiry alone, takes them back on its next pass.
   */
  void jobExpireLeasesOf(String node, Instant now);

  /**
   * Deletes up to {@code limit} jobs in the terminal {@code state} that finished before {@code
   * finishedBefore}, oldest first, with their events and log lines; returns how many.
   */
  int jobPrune(JobState state, Instant finishedBefore, int limit);

  /**
   * Deletes up to {@code limit} rows of {@code what} older than {@code before}; returns how many.
   */
  int prune(Retained what, Instant before, int limit);

  /** The jobs among {@code ids} that exist, in no particular order. */
  List<Job> jobGetAll(Collection<JobId> ids);

  /**
   * Up to {@code limit} scheduled jobs due at {@code now} (with their queues), earliest first;
   * where several processes share the store, rows another transaction is promoting are skipped.
   */
  List<JobAttempt> jobDueScheduled(Instant now, int limit);

  /**
   * Moves each job still in {@code from} to {@code to}. One batch.
   *
   * @return for each job in order, whether it was applied
   */
  List<Boolean> jobPromote(List<JobAttempt> due, JobState from, JobState to, Instant now);

  /**
   * Gives back leases {@code node} still holds under their epochs: each job moves to the waiting
   * state {@code to} with its attempt given back (it did not run to an outcome). One batch.
   *
   * @return for each lease in order, whether it was applied
   */
  List<Boolean> jobReleaseLeases(String node, List<LeaseRef> leases, JobState to, Instant now);

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

  /** Adds {@code started} starts of each type to its window starting at {@code windowStarts}. */
  void limitRecordStarts(Map<String, Instant> windowStarts, Map<String, Integer> started);

  /** Deletes each type's rate windows that start before its instant. */
  void limitPruneWindows(Map<String, Instant> before);

  /** Up to {@code limit} running jobs whose lease expired before {@code now}, soonest first. */
  List<Job> jobExpiredLeases(Instant now, int limit);

  /** Every running job leased by a node other than {@code node}. */
  List<Job> jobForeignLeases(String node);

  /**
   * Ends the leases of running jobs, as read, moving each to the waiting state {@code to}; the
   * attempt stays counted. One batch.
   *
   * @return for each job in order, whether it was applied
   */
  List<Boolean> jobEndLeases(List<Job> jobs, JobState to, Instant now);

  /**
   * Ends the leases of running jobs, as read, moving each to the terminal state {@code to} with its
   * error ({@code errors}, in the same order) and {@code now} as its finish. One batch.
   *
   * @return for each job in order, whether it was applied
   */
  List<Boolean> jobFinishLeases(List<Job> jobs, JobState to, List<String> errors, Instant now);

  /** Sets the cancel request of a job still {@code RUNNING} at {@code version}; false if not. */
  boolean jobRequestCancel(JobId id, long version, Instant now);

  /**
   * Moves a waiting job still in {@code from} at {@code version} to the terminal state {@code to},
   * finished at {@code now}; false if it changed.
   */
  boolean jobFinishWaiting(JobId id, long version, JobState from, JobState to, Instant now);

  /**
   * Starts a finished job still in {@code from} at {@code version} afresh in {@code to}: due at
   * {@code now}, attempt 0, no result, start, finish, lease or cancel request, its last error kept;
   * false if it changed.
   */
  boolean jobRestart(JobId id, long version, JobState from, JobState to, Instant now);

  /**
   * Locks the jobs among {@code ids} that exist for the rest of the transaction, in id order, and
   * reads what a completion needs of them.
   */
  List<CompletionTarget> jobLockCompletionTargets(Collection<JobId> ids);

  /**
   * Applies outcomes, each only to a job still {@code RUNNING} under its lease epoch, in the order
   * given (one statement, or one batch).
   *
   * @return for each write in order, whether it was applied
   */
  List<Boolean> jobCompleteAttempts(List<OutcomeWrite> writes);

  /**
   * Whether {@code node} already recorded attempt {@code attempt} of the job ending in {@code to}.
   */
  boolean eventOutcomeRecorded(JobId id, int attempt, String node, JobState to);

  /** Stores log lines, in order, in one statement. */
  void logInsert(List<LogEntry> entries);

  /** The earliest {@code runAt} among {@code SCHEDULED} jobs, if any. */
  Optional<Instant> jobNextScheduledAt();

  /** A job's events, oldest first. */
  List<JobEvent> jobEvents(JobId id);

  /** A job's stored log lines, oldest first. */
  List<JobLogLine> jobLogs(JobId id);

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

  /** Marks a node as having left gracefully. */
  void nodeLeave(String node, Instant now);

  /** Every node row, alive or not, by id. */
  List<Node> nodeList();

  /** Gives up leadership at once if {@code leader} still holds it, so another node takes over. */
  void leaderResign(LeaderTerm leader, Instant now);

  /** The current leadership, lapsed or not; empty before any node ever led. */
  Optional<Leadership> leaderGet();

  /** Names of paused queues. */
  Set<String> queuePausedNames();

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

  /** The schedule named {@code name}, if it exists. */
  Optional<Schedule> scheduleGet(String name);

  /**
   * Schedules in name order, after {@code afterName} (null: from the first), at most {@code limit}.
   */
  List<Schedule> scheduleList(String afterName, int limit);

  /**
   * Inserts a new schedule, with its version 0; false (and nothing written) when one of that name
   * exists. Its createdAt and updatedAt are taken as given.
   */
  boolean scheduleInsert(Schedule schedule);

  /**
   * Replaces a schedule's definition and state (trigger, job, policies, paused, nextFireAt,
   * updatedAt) if its version is still {@code expectedVersion}, and bumps the version; false when
   * it changed meanwhile or is gone. Its run history and createdAt stay.
   */
  boolean scheduleUpdate(Schedule schedule, long expectedVersion);

  /**
   * Deletes a schedule and its run history (not the jobs it created); false if it did not exist.
   */
  boolean scheduleDelete(String name);

  /**
   * Unpaused schedules whose next tick is at or before {@code now}, earliest first, at most {@code
   * limit}, each with the state of its latest fired tick's job.
   */
  List<ScheduleDue> scheduleDue(Instant now, int limit);

  /** The earliest next tick of any unpaused schedule; empty when there is none. */
  Optional<Instant> scheduleNextFireAt();

  /** The latest {@code limit} runs of a schedule, newest first, each with its job's state now. */
  List<ScheduleRun> scheduleRuns(String schedule, int limit);

  /** Locks the schedule's row against change for the transaction; false if it does not exist. */
  boolean scheduleLock(String name);

  /**
   * Records a firing on the schedule if its version is still {@code expectedVersion}, and moves the
   * version on; null {@code lastFireAt} or {@code lastJobId} keep the stored ones.
   */
  boolean scheduleAdvance(
      String name, long expectedVersion, Instant nextFireAt, Instant lastFireAt, JobId lastJobId);

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
   * The key whose secret hashes to {@code secretHash}, revoked or not (the caller checks {@link
   * ApiKey#active()}), found through a unique index in one lookup.
   */
  Optional<ApiKey> apiKeyByHash(String secretHash);

  /** Every key, revoked ones included, newest first (then by id). */
  List<ApiKey> apiKeyList();

  /**
   * Revokes a key at {@code now}, for good; false when no key has this id or it was revoked already
   * (the first revocation time stays).
   */
  boolean apiKeyRevoke(String id, Instant now);

  /**
   * Appends entries to the audit trail, in list order, and returns their seqs, each greater than
   * the seq of every entry appended before this transaction began; the entries' own seqs are
   * ignored. Entries are never changed afterwards, and deleted only by retention ({@link #prune};
   * on PostgreSQL the table refuses the rest). A server groups concurrent requests' entries so they
   * share one commit.
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

  /** Records a queue as paused or running, for every node sharing the store. */
  void queueSetPaused(String queue, boolean paused);

  /**
   * Releases each lock still held by its holder under its token; a lock since taken by another is
   * left alone.
   *
   * @return for each lock in order, whether it was released
   */
  List<Boolean> lockRelease(List<LockRef> locks);

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
