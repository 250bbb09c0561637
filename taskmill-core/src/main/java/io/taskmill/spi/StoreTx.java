package io.taskmill.spi;

import io.taskmill.JobId;
import io.taskmill.job.Job;
import io.taskmill.job.JobState;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table operations of one store transaction ({@link Store#inTransaction}): each binds its
 * arguments, runs one statement (a batch is one statement), and maps the rows; none decides
 * anything. Which jobs move, to which state, and what their events say is the engine's choice;
 * the operations only keep the guards that make a lost race change nothing.
 *
 * <p>Writes that move a job take the state they leave and the one they write, as chosen by the
 * engine through {@link JobState#canMoveTo}, and are guarded by the version the engine read, so a
 * row changed since is left alone: the result says which were applied.
 */
public interface StoreTx {

  /** Whether {@code leader} still holds its term at {@code now}; a leader-only duty asks first. */
  boolean leaderHolds(LeaderTerm leader, Instant now);

  /** The ids of the nodes declared dead. */
  Set<String> nodeDeadIds();

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

  /** Deletes up to {@code limit} rows of {@code what} older than {@code before}; returns how many. */
  int prune(Retained what, Instant before, int limit);

  /** One job, if it exists. */
  Optional<Job> jobGet(JobId id);

  /** The jobs among {@code ids} that exist, in no particular order. */
  List<Job> jobGetAll(Collection<JobId> ids);

  /**
   * Up to {@code limit} scheduled jobs due at {@code now}, earliest first; where several processes
   * share the store, rows another transaction is promoting are skipped.
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
  List<Job> jobClaimCandidates(String queue, Instant now, Collection<String> types, int limit,
      int offset);

  /**
   * Claims candidates read in this transaction for {@code node}: each becomes {@code RUNNING} with
   * {@code attempt + 1}, a new lease epoch, a lease until {@code leaseExpiresAt} and {@code now}
   * as its start. One statement. Returns the claimed ones in the order given, as the claim left
   * their rows; a candidate changed since it was read is left out.
   */
  List<Job> jobClaim(List<Job> candidates, String node, Instant now, Instant leaseExpiresAt);

  /**
   * Locks the types, which have cluster-wide limits, for the rest of the transaction, so
   * concurrent claims never both count the same room (in one sorted round, so claims wanting
   * several types cannot deadlock); then reads what each has in use: its running jobs where its
   * limit has maxRunning, and its starts in the window starting at {@code windowStarts} (absent:
   * no rate).
   */
  List<LimitUsage> limitLockAndCount(Map<String, ClusterLimit> limits,
      Map<String, Instant> windowStarts);

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
   * Ends the leases of running jobs, as read, moving each to the terminal state {@code to} with
   * its error ({@code errors}, in the same order) and {@code now} as its finish. One batch.
   *
   * @return for each job in order, whether it was applied
   */
  List<Boolean> jobFinishLeases(List<Job> jobs, JobState to, List<String> errors, Instant now);

  /** Sets the cancel request of a job still {@code RUNNING} at {@code version}; false if not. */
  boolean jobRequestCancel(JobId id, long version, Instant now);

  /**
   * Moves a waiting job still in {@code from} at {@code version} to the terminal state {@code
   * to}, finished at {@code now}; false if it changed.
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

  /** Whether {@code node} already recorded attempt {@code attempt} of the job ending in {@code to}. */
  boolean eventOutcomeRecorded(JobId id, int attempt, String node, JobState to);

  /** Stores log lines, in order, in one statement. */
  void logInsert(List<LogEntry> entries);

  /** Appends the transitions' events, in order, in one statement. */
  void eventInsert(List<Transition> transitions);

  /**
   * Tells other processes sharing the store, once this transaction commits, that these queues
   * have ready jobs; a store without push does nothing.
   */
  void notifyReady(Collection<String> queues);

  /** As {@link #notifyReady}, for the queues of these jobs. */
  void notifyReadyJobs(Collection<JobId> ids);
}
