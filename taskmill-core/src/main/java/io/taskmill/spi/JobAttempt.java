package io.taskmill.spi;

import io.taskmill.job.JobId;

/**
 * A job, its attempt count and its queue: what the event of a change needs when the count stays,
 * and whom to wake when it becomes ready.
 */
public record JobAttempt(JobId id, int attempt, String queue) {}
