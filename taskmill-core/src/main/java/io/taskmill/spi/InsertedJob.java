package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Instant;

/**
 * The result of inserting one job.
 *
 * @param created false when an existing job with the same idempotency key was returned instead
 * @param state the job's state now (the existing job's state when not created)
 */
public record InsertedJob(JobId id, boolean created, JobState state, Instant runAt) {}
