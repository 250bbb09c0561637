package io.taskmill.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job as stored: what to run, where it is in its life, and who holds it.
 *
 * @param payloadJson the payload as JSON, bound to the handler's payload type when it runs
 * @param resultJson the result as JSON once {@link JobState#SUCCEEDED}, else null
 * @param attempt how many attempts have started (0 before the first claim; a manual retry sets it
 *     back to 0)
 * @param retryPolicyJson the retry policy fixed at enqueue, as JSON
 * @param timeout the per-attempt timeout, or null for none
 * @param leaseOwner the node holding the lease while {@link JobState#RUNNING}, else null
 * @param leaseEpoch fencing token: incremented on every claim, checked by every outcome
 * @param cancelRequested set when a cancel arrived while the job was running
 * @param lastError the last attempt's error (headline and stack), or null; a manual retry keeps it
 *     until the next outcome replaces it, so a retried job still shows why it had died
 * @param startedAt when the latest attempt started (its claim), or null before the first claim and
 *     after a manual retry
 * @param version optimistic-concurrency counter, incremented by every change to the row
 * @param schedule the schedule that created the job, or null
 */
public record Job(
    JobId id,
    String type,
    String queue,
    JobState state,
    int priority,
    Instant runAt,
    String payloadJson,
    String resultJson,
    int attempt,
    int maxAttempts,
    String retryPolicyJson,
    Duration timeout,
    String idempotencyKey,
    List<String> tags,
    String correlationId,
    String leaseOwner,
    long leaseEpoch,
    Instant leaseExpiresAt,
    boolean cancelRequested,
    String lastError,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    long version,
    String schedule) {

  public Job {
    tags = List.copyOf(tags);
  }
}
