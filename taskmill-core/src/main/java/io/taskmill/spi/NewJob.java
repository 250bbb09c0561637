package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A validated job ready to insert; the engine has resolved every default.
 *
 * @param state {@code ENQUEUED} when due now, {@code SCHEDULED} when {@code runAt} is later
 * @param timeout per-attempt timeout, or null for none
 * @param idempotencyKey null when the caller gave none
 * @param schedule the schedule whose tick (or manual trigger) created the job, or null
 */
public record NewJob(
    JobId id,
    String type,
    String queue,
    JobState state,
    int priority,
    Instant runAt,
    String payloadJson,
    int maxAttempts,
    String retryPolicyJson,
    Duration timeout,
    String idempotencyKey,
    List<String> tags,
    String correlationId,
    Instant createdAt,
    String schedule) {

  public NewJob {
    tags = List.copyOf(tags);
    if (state != JobState.ENQUEUED && state != JobState.SCHEDULED) {
      throw new IllegalArgumentException("a new job starts ENQUEUED or SCHEDULED, not " + state);
    }
  }
}
