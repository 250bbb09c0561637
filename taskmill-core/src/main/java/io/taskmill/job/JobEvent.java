package io.taskmill.job;

import java.time.Instant;

/**
 * One entry of a job's history, written in the same transaction as the change it records.
 *
 * @param seq store-assigned sequence number, increasing in commit order per store
 * @param from the state before, or null for the event that created the job
 * @param to the state after
 * @param node the node that made the change
 * @param attempt the job's attempt number at the time
 * @param error the error summary line, or null
 * @param message a human-readable note ("rescued from node X", "cancelled by user"), or null
 */
public record JobEvent(
    long seq,
    JobId jobId,
    Instant at,
    JobState from,
    JobState to,
    String node,
    int attempt,
    String error,
    String message) {}
