package io.taskmill.job;

/**
 * One submitted job: its id, and whether this call created it.
 *
 * @param created false when the request's idempotency key was taken, so {@code id} names the job
 *     that already held it and nothing new was stored
 */
public record Enqueued(JobId id, boolean created) {}
