package io.taskmill.spi;

import io.taskmill.access.ApiKey;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.JobState;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun;
import java.time.Instant;
import java.util.Collection;

/**
 * The table operations that are one statement each, as records run by {@link StoreTx#query}, {@link
 * StoreTx#first}, {@link StoreTx#change} and {@link StoreTx#changeEach}. A new one is a record here
 * and a statement of the same name in each dialect's SQL files; a component that is a record (other
 * than {@link JobId}) binds its own components by name.
 *
 * <p>Writes that move a job take the state they leave and the one they write, as chosen by the
 * engine through {@link JobState#canMoveTo}, and are guarded by the version or lease epoch the
 * engine read, so a row changed since is left alone.
 */
public interface Ops {

  // ---- jobs ----

  /** The jobs with these ids, in no particular order; unknown ids are left out. */
  record JobGetAll(Collection<JobId> ids) implements Query<Job> {}

  /** Up to {@code limit} scheduled jobs whose run time has come, earliest first. */
  record JobDueScheduled(Instant now, int limit) implements Query<JobAttempt> {}

  /** The earliest run time of a scheduled job, if there is one. */
  record JobNextScheduledAt() implements Query<Instant> {}

  /** Moves a due job between states if it is still in {@code from} (one entry of a batch). */
  record JobPromote(JobId id, JobState from, JobState to, Instant now) implements Change {}

  /** Up to {@code limit} running jobs whose lease ran out before {@code now}, oldest first. */
  record JobExpiredLeases(Instant now, int limit) implements Query<Job> {}

  /** The running jobs leased by another node than {@code node}. */
  record JobForeignLeases(String node) implements Query<Job> {}

  /**
   * Extends a lease {@code node} still holds (same owner and epoch, still running) to {@code
   * leaseExpiresAt} (one entry of a batch).
   */
  record JobRenewLease(LeaseRef lease, String node, Instant leaseExpiresAt) implements Change {}

  /** The jobs among {@code ids} a user asked to cancel. */
  record JobCancelRequestedAmong(Collection<JobId> ids) implements Query<JobId> {}

  /** Ends the leases of every job {@code node} holds, so that rescue takes them at once. */
  record JobExpireLeasesOf(String node, Instant now) implements Change {}

  /**
   * Gives back a lease the node still holds (same owner and epoch), moving the job to {@code to}
   * (one entry of a batch).
   */
  record JobReleaseLease(LeaseRef lease, String node, JobState to, Instant now) implements Change {}

  /** Ends a lease, moving the job to {@code to} if it is at this version (one entry of a batch). */
  record JobEndLease(JobId id, long version, JobState from, JobState to, Instant now)
      implements Change {}

  /**
   * Ends a lease and finishes the job in {@code to} with {@code lastError}, if it is at this
   * version (one entry of a batch).
   */
  record JobFinishLease(
      JobId id, long version, JobState from, JobState to, String lastError, Instant now)
      implements Change {}

  /** Flags a running job at this version for its handler to stop. */
  record JobRequestCancel(JobId id, long version, Instant now) implements Change {}

  /** Finishes a job that is not running (waiting or scheduled), if it is at this version. */
  record JobFinishWaiting(JobId id, long version, JobState from, JobState to, Instant now)
      implements Change {}

  /** Starts a finished job over with a fresh attempt count, if it is at this version. */
  record JobRestart(JobId id, long version, JobState from, JobState to, Instant now)
      implements Change {}

  /** Locks the jobs that outcomes target, in id order, and reads what completion needs. */
  record JobLockCompletionTargets(Collection<JobId> ids) implements Query<CompletionTarget> {}

  /**
   * Up to {@code limit} jobs in the terminal {@code state} that finished before {@code before},
   * oldest first.
   */
  record JobPrunable(JobState state, Instant before, int limit) implements Query<JobId> {}

  /** Deletes jobs with their events and log lines. */
  record JobDelete(Collection<JobId> ids) implements Change {}

  // ---- job history ----

  /** A job's history: its creation first, then every stored transition in order. */
  record JobEvents(JobId jobId) implements Query<JobEvent> {}

  /** A row if {@code node} already recorded the outcome of this attempt as {@code toState}. */
  record EventOutcomeRecorded(JobId jobId, int attempt, String node, JobState toState)
      implements Query<Long> {}

  /** A job's captured log lines, in order. */
  record JobLogs(JobId jobId) implements Query<JobLogLine> {}

  // ---- nodes and the leader ----

  /** A row, locking the leadership, while {@code leader} still holds its term at {@code now}. */
  record LeaderHolds(LeaderTerm leader, Instant now) implements Query<Long> {}

  /** The current leadership, if anyone ever led. */
  record LeaderGet() implements Query<Leadership> {}

  /** Gives up a term at once, so that another node need not wait for it to lapse. */
  record LeaderResign(LeaderTerm leader) implements Change {}

  /** Every known node, alive or not. */
  record NodeList() implements Query<Node> {}

  /** The alive nodes whose last heartbeat is older than {@code before}. */
  record NodeOverdue(Instant before) implements Query<String> {}

  /** Marks a node dead. */
  record NodeDeclareDead(String id) implements Change {}

  /** Marks a node as gone by its own shutdown. */
  record NodeLeave(String id, Instant now) implements Change {}

  /**
   * Deletes nodes that are gone (dead or left) whose last heartbeat is older than {@code before}.
   */
  record NodePrune(Instant before) implements Change {}

  // ---- queues ----

  /** The names of the paused queues. */
  record QueuePausedNames() implements Query<String> {}

  /** Pauses or resumes a queue, creating its row if needed. */
  record QueueSetPaused(String name, boolean paused) implements Change {}

  // ---- cluster-wide limits ----

  /** Adds {@code started} starts of a type to its rate window starting at {@code windowStart}. */
  record LimitAddStarts(String type, Instant windowStart, int started) implements Change {}

  /** Deletes a type's rate windows that start before {@code before}. */
  record LimitPruneWindow(String type, Instant before) implements Change {}

  // ---- event outbox and audit ----

  /** Deletes up to {@code limit} of the oldest outbox rows written before {@code before}. */
  record OutboxPrune(Instant before, int limit) implements Change {}

  /** Deletes up to {@code limit} of the oldest audit entries recorded before {@code before}. */
  record AuditPrune(Instant before, int limit) implements Change {}

  // ---- locks ----

  /**
   * Extends a lock to {@code expiresAt} if its holder still holds it under its token and it has not
   * expired before {@code now}: a lock that lapsed stays lost even if nobody took it (one entry of
   * a batch).
   */
  record LockRenew(LockRef lock, Instant now, Instant expiresAt) implements Change {}

  /** Releases a lock its holder still holds under this token (one entry of a batch). */
  record LockRelease(LockRef lock) implements Change {}

  // ---- schedules ----

  /** The schedule called {@code name}. */
  record ScheduleGet(String name) implements Query<Schedule> {}

  /**
   * Up to {@code limit} schedules named after {@code afterName} (null: from the start), by name.
   */
  record ScheduleList(String afterName, int limit) implements Query<Schedule> {}

  /** Replaces a schedule's definition and state if its version is still {@code expectedVersion}. */
  record ScheduleUpdate(Schedule schedule, long expectedVersion) implements Change {}

  /** Deletes a schedule. */
  record ScheduleDelete(String name) implements Change {}

  /** Up to {@code limit} unpaused schedules due at {@code now}, with their last job's state. */
  record SchedulesDue(Instant now, int limit) implements Query<ScheduleDue> {}

  /** The earliest next fire time of an unpaused schedule. */
  record ScheduleNextFireAt() implements Query<Instant> {}

  /** A schedule's most recent {@code limit} runs, newest first. */
  record ScheduleRuns(String schedule, int limit) implements Query<ScheduleRun> {}

  /** Locks a schedule's row against deletion for the transaction; no row if it does not exist. */
  record ScheduleLock(String name) implements Query<String> {}

  /**
   * Records a firing if the version is still {@code expectedVersion}; a null {@code lastFireAt} or
   * {@code lastJobId} keeps the stored one.
   */
  record ScheduleAdvance(
      String name, long expectedVersion, Instant nextFireAt, Instant lastFireAt, JobId lastJobId)
      implements Change {}

  /** Deletes up to {@code limit} runs older than {@code before} that never had a job. */
  record ScheduleRunPrune(Instant before, int limit) implements Change {}

  // ---- workflows ----

  /** Adds a definition's version; nothing when another registration took that version first. */
  record WorkflowDefinitionInsert(String name, int version, String body, Instant createdAt)
      implements Insert {}

  /** The newest version of the definition called {@code name}. */
  record WorkflowDefinitionNewest(String name) implements Query<StoredDefinition> {}

  /** One version of a definition. */
  record WorkflowDefinitionGet(String name, int version) implements Query<StoredDefinition> {}

  /** Every version of a definition, oldest first. */
  record WorkflowDefinitionVersions(String name) implements Query<StoredDefinition> {}

  /**
   * The newest version of up to {@code limit} definitions named after {@code afterName}, by name.
   */
  record WorkflowDefinitionList(String afterName, int limit) implements Query<StoredDefinition> {}

  // ---- API keys ----

  /** The key whose secret hashes to {@code secretHash}, revoked or not. */
  record ApiKeyByHash(String secretHash) implements Query<ApiKey> {}

  /** Every key, by creation time. */
  record ApiKeyList() implements Query<ApiKey> {}

  /** Revokes an active key. */
  record ApiKeyRevoke(String id, Instant now) implements Change {}
}
