package io.taskmill.schedule;

import io.taskmill.job.JobId;
import java.time.Instant;

/**
 * A recurring job as stored: its trigger, the job each tick creates, its policies, and where it
 * stands.
 *
 * @param nextFireAt the earliest tick not yet handled (fired, skipped or missed)
 * @param lastFireAt the latest tick handled, or null before the first
 * @param lastJobId the job of the latest fired tick, or null; the overlap policy looks at it
 * @param version grows with every change, so concurrent writers cannot overwrite each other
 */
public record Schedule(
    String name,
    Trigger trigger,
    JobTemplate job,
    MisfirePolicy misfire,
    OverlapPolicy overlap,
    boolean paused,
    Instant nextFireAt,
    Instant lastFireAt,
    JobId lastJobId,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /** Whether {@code other} defines the same schedule: trigger, job and policies, not its state. */
  public boolean sameDefinition(Schedule other) {
    return trigger.equals(other.trigger)
        && job.equals(other.job)
        && misfire.equals(other.misfire)
        && overlap == other.overlap;
  }
}
