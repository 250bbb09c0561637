package io.taskmill.schedule;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Instant;

/**
 * One handled tick of a schedule (or a manual trigger), for its history.
 *
 * @param jobId the job the tick created, or null when it was skipped or missed
 * @param jobState that job's state now, or null when there is none (or it was pruned)
 * @param note why a tick was skipped or missed, or null
 */
public record ScheduleRun(
    String schedule,
    Instant fireAt,
    Outcome outcome,
    JobId jobId,
    JobState jobState,
    String note,
    Instant recordedAt) {

  /** What became of a tick. */
  public enum Outcome {
    /** A job was created, due at the tick. */
    FIRED,
    /** The overlap policy skipped it: the previous run had not finished. */
    SKIPPED,
    /** It was missed by more than the misfire threshold and the misfire policy dropped it. */
    MISSED,
    /** Not a tick: someone triggered the schedule by hand. */
    MANUAL
  }
}
