package io.taskmill;

import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobLogLine;
import io.taskmill.spi.JobCount;
import io.taskmill.spi.JobQuery;
import java.util.List;
import java.util.Optional;

/** Looks up and controls jobs. */
public interface Jobs {
  /** The job, if it exists. */
  Optional<Job> get(JobId id);

  /** The job's result decoded as {@code type}, when it succeeded with a result. */
  <R> Optional<R> result(JobId id, Class<R> type);

  /**
   * Cancels a job: a waiting one at once; a running one cooperatively (its thread is interrupted
   * and {@link JobContext#isCancelled()} turns true).
   */
  CancelResult cancel(JobId id);

  /** The job's history, oldest first. */
  List<JobEvent> events(JobId id);

  /** Log lines the job's handler wrote, oldest first. */
  List<JobLogLine> logs(JobId id);

  /** Jobs matching a query, newest first. */
  List<Job> list(JobQuery query);

  /** Counts by type and state. */
  List<JobCount> counts();
}
