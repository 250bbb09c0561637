package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Instant;

/**
 * The row changes one attempt's outcome makes, as the engine decided them; applied only to a job
 * still {@code RUNNING} under {@code leaseEpoch}.
 *
 * @param to the state the outcome chose ({@link io.taskmill.job.Outcome#nextState()})
 * @param result the result as JSON, or null
 * @param lastError the error with its stack, as stored, or null to keep the row's
 * @param finishedAt when the job finished, or null when it will run again
 * @param retryAt when a retried job is due, or null
 * @param logCount the job's stored log lines afterwards, or null to keep the row's count
 * @param at when the outcome happened
 */
public record OutcomeWrite(
    JobId id,
    long leaseEpoch,
    JobState to,
    String result,
    String lastError,
    Instant finishedAt,
    Instant retryAt,
    Integer logCount,
    Instant at) {}
