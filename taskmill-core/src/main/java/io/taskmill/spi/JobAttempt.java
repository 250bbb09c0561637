package io.taskmill.spi;

import io.taskmill.job.JobId;

/** A job and its attempt count: what the event of a change needs when the count stays. */
public record JobAttempt(JobId id, int attempt) {}
