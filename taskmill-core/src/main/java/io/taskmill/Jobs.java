package io.taskmill;

import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobLogLine;
import io.taskmill.spi.JobCount;
import io.taskmill.spi.JobQuery;
import io.taskmill.spi.JobTally;
import java.util.List;
import java.util.Optional;

/** Looks up and controls jobs. */
public interface Jobs {
  /** The job, if it exists. */
  Optional<Job> get(JobId id);

  /** The jobs among {@code ids} that exist, in no particular order, read at once. */
  List<Job> getAll(java.util.Collection<JobId> ids);

  /** The job's result decoded as {@code type}, when it succeeded with a result. */
  <R> Optional<R> result(JobId id, Class<R> type);

  /**
   * Cancels a job: a waiting one at once; a running one cooperatively (its thread is interrupted
   * and {@link JobContext#isCancelled()} turns true).
   */
  CancelResult cancel(JobId id);

  /**
   * Runs a {@code DEAD} or {@code CANCELLED} job again: it becomes {@code ENQUEUED}, due now, with a
   * fresh attempt budget (attempt back to 0); its result, start and finish times are cleared, its
   * last error is kept until the next outcome, and one job event records the retry. Any other
   * state is {@link RetryResult#NOT_RETRYABLE} and changes nothing.
   */
  RetryResult retry(JobId id);

  /**
   * Cancels, as {@link #cancel} does one by one, the jobs of one page of {@code query}: at most its
   * {@code limit}, newest first, after its cursor. Waiting jobs are cancelled; running ones asked to
   * stop (counted as changed once, when asked); finished ones left alone. To cover every match,
   * call again with {@link JobQuery#before} set to the result's {@link BulkResult#next()} until it
   * is null:
   *
   * <pre>{@code
   * JobQuery q = JobQuery.all(500).withTag("import-42");
   * for (BulkResult r = jobs.cancelAll(q); r.hasNext(); r = jobs.cancelAll(q = q.before(r.next()))) {}
   * }</pre>
   */
  BulkResult cancelAll(JobQuery query);

  /**
   * Retries, as {@link #retry} does one by one, the {@code DEAD} and {@code CANCELLED} jobs of one
   * page of {@code query}: at most its {@code limit} examined, newest first, after its cursor. Loop
   * with the cursor as for {@link #cancelAll}; calling again without it could retry a job that
   * failed again meanwhile.
   */
  BulkResult retryAll(JobQuery query);

  /** The job's history, oldest first. */
  List<JobEvent> events(JobId id);

  /** Log lines the job's handler wrote, oldest first. */
  List<JobLogLine> logs(JobId id);

  /** Jobs matching a query, newest first, at most its limit after its cursor. */
  List<Job> list(JobQuery query);

  /** Counts by type and state. */
  List<JobCount> counts();

  /**
   * Counts by queue, type and state, each with how many of its jobs finished within each of the
   * recent {@link JobTally#WINDOWS}, as of the engine's clock: throughput and failure rates.
   */
  List<JobTally> tallies();
}
