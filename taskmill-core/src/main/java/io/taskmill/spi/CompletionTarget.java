package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;

/**
 * A job an attempt's outcome targets, as read under its row lock.
 *
 * @param logCount the log lines the job has stored so far (past its cap once the cap's marker line
 *     was written)
 */
public record CompletionTarget(JobId id, JobState state, int logCount, int attempt) {}
