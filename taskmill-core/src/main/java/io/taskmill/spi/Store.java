package io.taskmill.spi;

import io.taskmill.JobId;
import io.taskmill.access.ApiKey;
import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.job.Job;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobEvent;
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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
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
   * Runs {@code work} in one transaction that only reads; {@code op} names it. Its table
   * operations must not write.
   */
  <T> T read(StoreOp op, TxWork<T> work);

  /**
   * Runs {@code work} in one transaction that may write, as {@link #inTransaction} does, on
   * connections kept apart for proving liveness (lease and lock renewals, heartbeats,
   * leadership), so that those never queue behind a busy engine's claims and completions and a
   * node is not declared dead for being busy. Its work must stay a few short statements.
   */
  <T> T keepAlive(StoreOp op, TxWork<T> work);

  /** {@link StoreTx#jobRenewLeases} as a keep-alive of its own. */
  default LeaseRenewal jobRenewLeases(String node, List<LeaseRef> leases, Instant expiresAt) {
    return leases.isEmpty() ? new LeaseRenewal(Set.of(), Set.of())
        : keepAlive(StoreOp.RENEW, tx -> tx.jobRenewLeases(node, leases, expiresAt));
  }

  /** {@link StoreTx#nodeHeartbeat} as a keep-alive of its own. */
  default boolean nodeHeartbeat(Node node) {
    return keepAlive(StoreOp.HEARTBEAT, tx -> tx.nodeHeartbeat(node));
  }

  /** {@link StoreTx#leaderTry} as a keep-alive of its own. */
  default Leadership leaderTry(String node, Instant now, Duration ttl) {
    return keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(node, now, ttl));
  }

  /** {@link StoreTx#lockRenew} as a keep-alive of its own. */
  default List<Boolean> lockRenew(List<LockRef> locks, Instant now) {
    return locks.isEmpty() ? List.of() : keepAlive(StoreOp.LOCK, tx -> tx.lockRenew(locks, now));
  }

  /**
   * Inserts jobs in one transaction, in order. A job whose idempotency key is already taken is not
   * inserted; its result names the existing job with {@code created = false}. Concurrent callers
   * with the same key get the same job.
   */
  default List<InsertedJob> jobInsertMany(List<NewJob> jobs, String node) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    return inTransaction(StoreOp.INSERT, tx -> {
      List<InsertedJob> inserted = tx.jobInsert(jobs, node);
      var ready = new TreeSet<String>();
      for (int i = 0; i < inserted.size(); i++) {
        if (inserted.get(i).created() && jobs.get(i).state() == JobState.ENQUEUED) {
          ready.add(jobs.get(i).queue());
        }
      }
      tx.notifyReady(ready);
      return inserted;
    });
  }

  /** {@link StoreTx#jobNextScheduledAt} in a transaction of its own. */
  default Optional<Instant> jobNextScheduledAt() {
    return read(StoreOp.NEXT_SCHEDULED, tx -> tx.jobNextScheduledAt());
  }



  /** {@link StoreTx#jobGet} in a transaction of its own. */
  default Optional<Job> jobGet(JobId id) {
    return read(StoreOp.READ, tx -> tx.jobGet(id));
  }


  /** {@link StoreTx#jobGetAll} in a transaction of its own. */
  default List<Job> jobGetAll(Collection<JobId> ids) {
    return read(StoreOp.READ, tx -> tx.jobGetAll(ids));
  }


  /** {@link StoreTx#jobEvents} in a transaction of its own. */
  default List<JobEvent> jobEvents(JobId id) {
    return read(StoreOp.READ, tx -> tx.jobEvents(id));
  }


  /** {@link StoreTx#jobLogs} in a transaction of its own. */
  default List<JobLogLine> jobLogs(JobId id) {
    return read(StoreOp.READ, tx -> tx.jobLogs(id));
  }


  /** {@link StoreTx#jobList} in a transaction of its own. */
  default List<Job> jobList(JobQuery query) {
    return read(StoreOp.READ, tx -> tx.jobList(query));
  }


  /** {@link StoreTx#jobCounts} in a transaction of its own. */
  default List<JobCount> jobCounts() {
    return read(StoreOp.READ, tx -> tx.jobCounts());
  }


  /** {@link StoreTx#jobTallies} in a transaction of its own. */
  default List<JobTally> jobTallies(Instant now) {
    return read(StoreOp.READ, tx -> tx.jobTallies(now));
  }


  /** The time by the store's own clock, which every node sharing the store agrees on. */
  Instant storeTime();


  /** {@link StoreTx#nodeLeave} in a transaction of its own. */
  default void nodeLeave(String node, Instant now) {
    inTransaction(StoreOp.NODE, tx -> {
      tx.nodeLeave(node, now);
      return null;
    });
  }


  /** {@link StoreTx#nodeList} in a transaction of its own. */
  default List<Node> nodeList() {
    return read(StoreOp.NODE, tx -> tx.nodeList());
  }



  /** {@link StoreTx#leaderResign} in a transaction of its own. */
  default void leaderResign(LeaderTerm leader, Instant now) {
    inTransaction(StoreOp.LEADER, tx -> {
      tx.leaderResign(leader, now);
      return null;
    });
  }


  /** {@link StoreTx#leaderGet} in a transaction of its own. */
  default Optional<Leadership> leaderGet() {
    return read(StoreOp.LEADER, tx -> tx.leaderGet());
  }



  /** Records a queue as paused or running, visible to every node sharing this store. */
  default void queueSetPaused(String queue, boolean paused) {
    inTransaction(StoreOp.QUEUE, tx -> {
      tx.queueSetPaused(queue, paused);
      if (!paused) {
        // Other nodes resume at once instead of at their next poll.
        tx.notifyReady(Set.of(queue));
      }
      return null;
    });
  }

  /** {@link StoreTx#queuePausedNames} in a transaction of its own. */
  default Set<String> queuePausedNames() {
    return read(StoreOp.QUEUE, tx -> tx.queuePausedNames());
  }


  /** {@link StoreTx#queueStats} in a transaction of its own. */
  default List<QueueStat> queueStats(Instant finishedSince) {
    return read(StoreOp.QUEUE, tx -> tx.queueStats(finishedSince));
  }


  /** {@link StoreTx#lockAcquire} in a transaction of its own. */
  default OptionalLong lockAcquire(String name, LockHolder holder, Instant now, Duration ttl) {
    return inTransaction(StoreOp.LOCK, tx -> tx.lockAcquire(name, holder, now, ttl));
  }



  /**
   * Releases each lock still held by its holder under its token, so anyone may take it at once; a
   * lock since taken by another holder is left alone. Returns how many were released.
   */
  default int lockRelease(List<LockRef> locks) {
    if (locks.isEmpty()) {
      return 0;
    }
    // In name order, so concurrent writers of several rows lock them in one order.
    List<LockRef> sorted = locks.stream()
        .sorted(Comparator.comparing(LockRef::name).thenComparingLong(LockRef::token)).toList();
    return inTransaction(StoreOp.LOCK,
        tx -> (int) tx.lockRelease(sorted).stream().filter(Boolean::booleanValue).count());
  }

  // --- schedules ---

  /** {@link StoreTx#scheduleGet} in a transaction of its own. */
  default Optional<Schedule> scheduleGet(String name) {
    return read(StoreOp.SCHEDULE, tx -> tx.scheduleGet(name));
  }


  /** {@link StoreTx#scheduleList} in a transaction of its own. */
  default List<Schedule> scheduleList(String afterName, int limit) {
    return read(StoreOp.SCHEDULE, tx -> tx.scheduleList(afterName, limit));
  }


  /** {@link StoreTx#scheduleInsert} in a transaction of its own. */
  default boolean scheduleInsert(Schedule schedule) {
    return inTransaction(StoreOp.SCHEDULE, tx -> tx.scheduleInsert(schedule));
  }


  /** {@link StoreTx#scheduleUpdate} in a transaction of its own. */
  default boolean scheduleUpdate(Schedule schedule, long expectedVersion) {
    return inTransaction(StoreOp.SCHEDULE, tx -> tx.scheduleUpdate(schedule, expectedVersion));
  }


  /** {@link StoreTx#scheduleDelete} in a transaction of its own. */
  default boolean scheduleDelete(String name) {
    return inTransaction(StoreOp.SCHEDULE, tx -> tx.scheduleDelete(name));
  }


  /** {@link StoreTx#scheduleDue} in a transaction of its own. */
  default List<ScheduleDue> scheduleDue(Instant now, int limit) {
    return read(StoreOp.SCHEDULE, tx -> tx.scheduleDue(now, limit));
  }


  /** {@link StoreTx#scheduleNextFireAt} in a transaction of its own. */
  default Optional<Instant> scheduleNextFireAt() {
    return read(StoreOp.SCHEDULE, tx -> tx.scheduleNextFireAt());
  }


  /** {@link StoreTx#scheduleRuns} in a transaction of its own. */
  default List<ScheduleRun> scheduleRuns(String schedule, int limit) {
    return read(StoreOp.SCHEDULE, tx -> tx.scheduleRuns(schedule, limit));
  }


  // --- API keys and the audit trail ---

  /** {@link StoreTx#apiKeyInsert} in a transaction of its own. */
  default boolean apiKeyInsert(ApiKey key) {
    return inTransaction(StoreOp.API_KEY, tx -> tx.apiKeyInsert(key));
  }


  /** {@link StoreTx#apiKeyByHash} in a transaction of its own. */
  default Optional<ApiKey> apiKeyByHash(String secretHash) {
    return read(StoreOp.API_KEY, tx -> tx.apiKeyByHash(secretHash));
  }


  /** {@link StoreTx#apiKeyGet} in a transaction of its own. */
  default Optional<ApiKey> apiKeyGet(String id) {
    return read(StoreOp.API_KEY, tx -> tx.apiKeyGet(id));
  }


  /** {@link StoreTx#apiKeyList} in a transaction of its own. */
  default List<ApiKey> apiKeyList() {
    return read(StoreOp.API_KEY, tx -> tx.apiKeyList());
  }


  /** {@link StoreTx#apiKeyRevoke} in a transaction of its own. */
  default boolean apiKeyRevoke(String id, Instant now) {
    return inTransaction(StoreOp.API_KEY, tx -> tx.apiKeyRevoke(id, now));
  }


  /** {@link StoreTx#apiKeyCount} in a transaction of its own. */
  default int apiKeyCount() {
    return read(StoreOp.API_KEY, tx -> tx.apiKeyCount());
  }


  /**
   * Appends an entry to the audit trail and returns its seq, which is greater than the seq of
   * every entry appended before this call began; the entry's own seq is ignored. Entries are never
   * changed afterwards, and deleted only by retention ({@link StoreTx#prune}; on PostgreSQL the
   * table refuses the rest).
   */
  default long auditAppend(AuditEntry entry) {
    return auditAppendAll(List.of(entry)).getFirst();
  }

  /** {@link StoreTx#auditAppendAll} in a transaction of its own. */
  default List<Long> auditAppendAll(List<AuditEntry> entries) {
    return inTransaction(StoreOp.AUDIT, tx -> tx.auditAppendAll(entries));
  }


  /** {@link StoreTx#auditList} in a transaction of its own. */
  default List<AuditEntry> auditList(AuditQuery query) {
    return read(StoreOp.AUDIT, tx -> tx.auditList(query));
  }


  // --- event feed ---

  /**
   * Up to {@code limit} feed rows with {@code seq > afterSeq}, in seq order: every job transition
   * and every outbox row (a batch's created jobs), numbered by one sequence and each written in the
   * transaction of its change, as committed when read, with the store's clock at the read. Numbers
   * are taken before commit, so a row may appear later with a seq below one already read, and a
   * rolled-back transaction leaves a seq that never appears; readers settle that (EventFeed).
   * With {@code limit} 0 it reads only the clock and the head seq.
   */
  default FeedPage eventFeed(long afterSeq, int limit) {
    if (afterSeq < 0 || limit < 0) {
      throw new IllegalArgumentException("eventFeed needs afterSeq >= 0 and limit >= 0, not "
          + afterSeq + " and " + limit);
    }
    return read(StoreOp.FEED, tx -> tx.eventFeed(afterSeq, limit));
  }

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
