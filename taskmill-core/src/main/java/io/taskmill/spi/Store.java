package io.taskmill.spi;

import io.taskmill.CancelResult;
import io.taskmill.JobId;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobLogLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one seam between the engine and persistence; every implementation passes the contract suite
 * in {@code taskmill-testkit} unchanged.
 *
 * <p>Rules every implementation keeps:
 *
 * <ul>
 *   <li>Each method is one transaction: the row changes and the {@link JobEvent}s that record them
 *       commit together or not at all.
 *   <li>Every state change is guarded in the write itself ({@code WHERE state = …}, and {@code AND
 *       lease_epoch = …} for attempt outcomes), so a lost race changes nothing instead of
 *       overwriting; every change increments the row's {@code version}.
 *   <li>Uniqueness (idempotency keys) is enforced by a constraint, never by check-then-insert.
 *   <li>Time comes from the {@code now} parameters (the engine's clock), never from the JVM.
 *   <li>A failure to reach the database surfaces as {@link StoreUnavailableException}.
 * </ul>
 *
 * <p>Methods are grouped noun-first ({@code job…}, {@code queue…}) so they sort together.
 */
public interface Store extends AutoCloseable {

  /** What this store is, for logs and the benchmark's configuration line. */
  StoreInfo info();

  /**
   * Inserts jobs in one transaction, in order. A job whose idempotency key is already taken is not
   * inserted; its result names the existing job with {@code created = false}. Concurrent callers
   * with the same key get the same job.
   */
  List<InsertedJob> jobInsertMany(List<NewJob> jobs, String node);

  /**
   * Moves up to {@code limit} {@code SCHEDULED} jobs whose {@code runAt <= now} to {@code
   * ENQUEUED}, appending an event for each; returns how many moved.
   */
  int jobPromoteDue(Instant now, int limit, String node);

  /** The earliest {@code runAt} among {@code SCHEDULED} jobs, if any. */
  Optional<Instant> jobNextScheduledAt();

  /**
   * Claims ready jobs of one queue for {@code claim.node()}: highest priority first, then oldest
   * {@code runAt}, then id. Each claimed job becomes {@code RUNNING} with {@code attempt + 1}, a
   * new lease epoch and a lease expiring at {@code now + leaseTtl}. Returns the claimed jobs as
   * they are after the claim.
   *
   * <p>For a type with {@linkplain JobClaim#clusterLimits() cluster limits}, the claim starts no
   * more than the room left across every node sharing the store: {@code maxRunning} minus the
   * type's {@code RUNNING} jobs, and the rate's {@code starts} minus the starts already recorded in
   * the current aligned window (which the claim records in the same transaction). Concurrent
   * claims of a limited type are serialized, so the room is never counted twice. When a rate
   * limit ran out, the result says when its next window opens.
   */
  ClaimedJobs jobClaim(JobClaim claim);

  /**
   * Applies attempt outcomes, each only if the job is still {@code RUNNING} under the given lease
   * epoch. Writes the outcome's state, result or error, an event and the attempt's log lines. A
   * completion whose lease was lost changes nothing but an event noting the superseded attempt.
   *
   * @return for each completion in order, whether it was applied
   */
  List<Boolean> jobCompleteMany(List<JobCompletion> completions);

  /**
   * Extends the leases {@code node} still holds to {@code expiresAt}; reports which it still holds
   * and which of those have a pending cancel request.
   */
  LeaseRenewal jobRenewLeases(String node, List<LeaseRef> leases, Instant expiresAt);

  /**
   * Releases leases {@code node} holds back to {@code ENQUEUED} without counting the attempt (used
   * at graceful shutdown). Returns how many were released.
   */
  int jobRelease(String node, List<LeaseRef> leases, Instant now, String reason);

  /**
   * Rescues up to {@code limit} {@code RUNNING} jobs whose lease expired before {@code now}: back to
   * {@code ENQUEUED} (the attempt stays counted), or {@code DEAD} when it was the last attempt.
   * Returns the jobs as they were before the rescue.
   */
  List<Job> jobRescueExpired(Instant now, int limit, String node);

  /**
   * Rescues every {@code RUNNING} job not leased by {@code node}, whatever its expiry. Only for a
   * store that is {@link StoreInfo#exclusive() exclusive}, where any other owner is provably dead.
   */
  List<Job> jobRescueForeign(Instant now, String node);

  /**
   * Cancels a job: a waiting job becomes {@code CANCELLED}; a running one gets its cancel flag set
   * (its node stops it); a finished one is left alone.
   */
  CancelResult jobCancel(JobId id, Instant now, String node, String reason);

  /** One job, if it exists. */
  Optional<Job> jobGet(JobId id);

  /** A job's events, oldest first. */
  List<JobEvent> jobEvents(JobId id);

  /** A job's stored log lines, oldest first. */
  List<JobLogLine> jobLogs(JobId id);

  /** Jobs matching a query, newest id first, after the query's cursor. */
  List<Job> jobList(JobQuery query);

  /** Job counts grouped by type and state. */
  List<JobCount> jobCounts();


  /** Records a queue as paused or running, visible to every node sharing this store. */
  void queueSetPaused(String queue, boolean paused);

  /** Names of paused queues. */
  Set<String> queuePausedNames();

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
