package io.taskmill.spi;

import io.taskmill.JobId;
import io.taskmill.access.ApiKey;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobLogLine;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one seam between the engine and persistence; every implementation passes the contract suite
 * in {@code taskmill-testkit} unchanged.
 *
 * <p>The engine's decisions run in {@link #inTransaction}, over the table operations of {@link
 * StoreTx}, which decide nothing; the other methods are operations not yet moved there.
 *
 * <p>Rules every implementation keeps:
 *
 * <ul>
 *   <li>Each method, and each {@link #inTransaction} call, is one transaction: the row changes and
 *       the {@link JobEvent}s that record them commit together or not at all.
 *   <li>Every state change is guarded in the write itself ({@code WHERE state = …}, and {@code AND
 *       lease_epoch = …} for attempt outcomes), so a lost race changes nothing instead of
 *       overwriting; every change increments the row's {@code version}.
 *   <li>Uniqueness (idempotency keys) is enforced by a constraint, never by check-then-insert.
 *   <li>Time comes from the {@code now} parameters, never from the JVM. By default the engine's
 *       clock follows {@link #storeTime()}, so every node sharing a store judges due times, leases,
 *       heartbeats and leader terms by one clock, the database's, whatever its own clock says.
 *   <li>A failure to reach the database surfaces as {@link StoreUnavailableException}.
 * </ul>
 *
 * <p>Methods are grouped noun-first ({@code job…}, {@code queue…}, {@code lock…}, {@code node…},
 * {@code leader…}, {@code schedule…}, {@code apiKey…}, {@code audit…}) so they sort
 * together.
 */
public interface Store extends AutoCloseable {

  /** What this store is, for logs and the benchmark's configuration line. */
  StoreInfo info();

  /**
   * Runs {@code work} in one transaction that may write, and commits it: when this returns, what
   * it wrote is durable. {@code op} names the transaction. A transaction the database aborts to
   * break a deadlock may be run again; a failure to reach the database surfaces as {@link
   * StoreUnavailableException}, and then nothing was written unless the commit itself was lost.
   */
  <T> T inTransaction(StoreOp op, TxWork<T> work);

  /**
   * Inserts jobs in one transaction, in order. A job whose idempotency key is already taken is not
   * inserted; its result names the existing job with {@code created = false}. Concurrent callers
   * with the same key get the same job.
   */
  List<InsertedJob> jobInsertMany(List<NewJob> jobs, String node);

  /** The earliest {@code runAt} among {@code SCHEDULED} jobs, if any. */
  Optional<Instant> jobNextScheduledAt();

  /**
   * Extends the leases {@code node} still holds to {@code expiresAt}; reports which it still holds
   * and which of those have a pending cancel request.
   */
  LeaseRenewal jobRenewLeases(String node, List<LeaseRef> leases, Instant expiresAt);

  /** One job, if it exists. */
  Optional<Job> jobGet(JobId id);

  /** The jobs among {@code ids} that exist, in no particular order; one read for all of them. */
  List<Job> jobGetAll(java.util.Collection<JobId> ids);

  /** A job's events, oldest first. */
  List<JobEvent> jobEvents(JobId id);

  /** A job's stored log lines, oldest first. */
  List<JobLogLine> jobLogs(JobId id);

  /**
   * Jobs matching every filter of a query, newest id first, after the query's cursor. A tag
   * matches a job that carries exactly that tag among its tags, never a part of one.
   */
  List<Job> jobList(JobQuery query);

  /** Job counts grouped by type and state. */
  List<JobCount> jobCounts();

  /**
   * Jobs counted by queue, type and state in one pass, each count with how many of its jobs
   * finished within each of {@link JobTally#WINDOWS} before {@code now}.
   */
  List<JobTally> jobTallies(Instant now);

  /** The time by the store's own clock, which every node sharing the store agrees on. */
  Instant storeTime();

  /**
   * Records a node's heartbeat: inserts or updates its row as {@code ALIVE} with the figures in
   * {@code node}. Returns false when the row had been declared {@code DEAD} (the node was presumed
   * gone and its jobs taken back), so the node knows its leases are lost.
   */
  boolean nodeHeartbeat(Node node);

  /** Marks a node as having left gracefully. */
  void nodeLeave(String node, Instant now);

  /** Every node row, alive or not, by id. */
  List<Node> nodeList();

  /**
   * Tries to lead: renews {@code node}'s leadership, or takes it over with the next term when the
   * current one lapsed before {@code now}; otherwise leaves it alone. Returns the leadership as it
   * is afterwards, whoever holds it.
   */
  Leadership leaderTry(String node, Instant now, Duration ttl);

  /** Gives up leadership at once if {@code leader} still holds it, so another node takes over. */
  void leaderResign(LeaderTerm leader, Instant now);

  /** The current leadership, lapsed or not; empty before any node ever led. */
  Optional<Leadership> leaderGet();


  /** Records a queue as paused or running, visible to every node sharing this store. */
  void queueSetPaused(String queue, boolean paused);

  /** Names of paused queues. */
  Set<String> queuePausedNames();

  /**
   * Every queue that holds jobs, with its jobs counted by state, the due time of its oldest ready
   * job, and how many of its jobs finished at or after {@code finishedSince}; by queue name.
   */
  List<QueueStat> queueStats(Instant finishedSince);

  /**
   * Takes the lock {@code name} for {@code holder} until {@code now + ttl}, if nobody holds it: it
   * was never taken, was released, or expired before {@code now}. Atomic: of concurrent callers
   * for a free lock exactly one gets it. Each acquisition of a name gets a fencing token greater
   * than every earlier one of that name (the first is 1), so a store keeps a released name's last
   * token.
   *
   * @return the acquisition's fencing token, or empty when another holder's lock has not expired
   */
  OptionalLong lockAcquire(String name, LockHolder holder, Instant now, Duration ttl);

  /**
   * Extends each lock to {@code now + ttl} if it is still held by its holder under its token and
   * has not expired before {@code now}; a lock that lapsed stays lost even if nobody took it.
   *
   * @return for each lock in order, whether it is still held (and was extended)
   */
  List<Boolean> lockRenew(List<LockRef> locks, Instant now);

  /**
   * Releases each lock still held by its holder under its token, so anyone may take it at once; a
   * lock since taken by another holder is left alone. Returns how many were released.
   */
  int lockRelease(List<LockRef> locks);

  // --- schedules ---

  /** The schedule named {@code name}, if it exists. */
  Optional<Schedule> scheduleGet(String name);

  /**
   * Schedules in name order, after {@code afterName} (null: from the first), at most {@code
   * limit}.
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

  /** Deletes a schedule and its run history (not the jobs it created); false if it did not exist. */
  boolean scheduleDelete(String name);

  /**
   * Unpaused schedules whose next tick is at or before {@code now}, earliest first, at most {@code
   * limit}, each with the state of its latest fired tick's job.
   */
  List<ScheduleDue> scheduleDue(Instant now, int limit);

  /** The earliest next tick of any unpaused schedule; empty when there is none. */
  Optional<Instant> scheduleNextFireAt();

  /**
   * Writes what the leader decided for one due schedule, in one transaction fenced by {@code
   * leader}'s term: for each tick a run row (and its job, if it fires) under the unique key
   * {@code (schedule, fireAt)} (manual triggers have a key of their own), then the schedule's
   * nextFireAt, lastFireAt (the latest tick), lastJobId (the latest job) and version. Nothing is
   * written, and false returned, when the term is stale, the schedule's version is no longer
   * {@code firing.expectedVersion()}, or a tick was handled before: a tick can never create two
   * jobs, also under two leaders.
   */
  boolean scheduleFire(LeaderTerm leader, Instant now, ScheduleFiring firing);

  /**
   * Creates the job of a manual trigger ({@code tick}, outcome MANUAL, fireAt = its job's runAt)
   * with its run row; the schedule's ticks and version are untouched. False if the schedule does
   * not exist.
   */
  boolean scheduleTriggerNow(String schedule, ScheduleTick tick, Instant now);

  /** The latest {@code limit} runs of a schedule, newest first, each with its job's state now. */
  List<ScheduleRun> scheduleRuns(String schedule, int limit);

  // --- API keys and the audit trail ---

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

  /** The key with this id, revoked or not. */
  Optional<ApiKey> apiKeyGet(String id);

  /** Every key, revoked ones included, newest first (then by id). */
  List<ApiKey> apiKeyList();

  /**
   * Revokes a key at {@code now}, for good; false when no key has this id or it was revoked
   * already (the first revocation time stays).
   */
  boolean apiKeyRevoke(String id, Instant now);

  /** How many keys are active (not revoked); 0 tells a server it must create the first one. */
  int apiKeyCount();

  /**
   * Appends an entry to the audit trail and returns its seq, which is greater than the seq of
   * every entry appended before this call began; the entry's own seq is ignored. Entries are never
   * changed afterwards, and deleted only by retention ({@link StoreTx#prune}; on PostgreSQL the
   * table refuses the rest).
   */
  default long auditAppend(AuditEntry entry) {
    return auditAppendAll(List.of(entry)).getFirst();
  }

  /**
   * Appends entries in one transaction, in list order, and returns their seqs; otherwise as {@link
   * #auditAppend}. A server groups concurrent requests' entries so they share one commit.
   */
  List<Long> auditAppendAll(List<AuditEntry> entries);

  /** Audit entries matching the query, highest seq (newest) first, below its cursor. */
  List<AuditEntry> auditList(AuditQuery query);

  // --- event feed ---

  /**
   * Up to {@code limit} feed rows with {@code seq > afterSeq}, in seq order: every job transition
   * and every outbox row (a batch's created jobs), numbered by one sequence and each written in the
   * transaction of its change, as committed when read, with the store's clock at the read. Numbers
   * are taken before commit, so a row may appear later with a seq below one already read, and a
   * rolled-back transaction leaves a seq that never appears; readers settle that (EventFeed).
   * With {@code limit} 0 it reads only the clock and the head seq.
   */
  FeedPage eventFeed(long afterSeq, int limit);

  /**
   * Calls {@code queueReady} with a queue name when another process may have made jobs ready in it,
   * until the returned handle is closed; best effort, so polling stays the fallback, and stores
   * without push keep this default, which never calls it.
   */
  default AutoCloseable jobSubscribe(Consumer<String> queueReady) {
    return () -> {};
  }

  /** Closes connections; the store is unusable afterwards. */
  @Override
  void close();
}
