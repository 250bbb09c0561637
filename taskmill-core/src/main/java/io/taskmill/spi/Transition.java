package io.taskmill.spi;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of a job's state as its event records it; it can only be made for a move the state
 * machine ({@link JobState#canMoveTo}) allows, so no store writes one the engine did not choose.
 *
 * @param from the state the job left, or null when the job was created
 * @param to the state it is in now; equal to {@code from} for a note on a running job (a cancel
 *     request), which changes no state
 * @param attempt the job's attempt as the change left its row (the claim's new attempt, a
 *     completion's own, a release's one less)
 * @param error the error the change stored on the job, or null
 * @param message what happened, in words, or null
 */
public record Transition(
    JobId jobId,
    Instant at,
    JobState from,
    JobState to,
    String node,
    int attempt,
    String error,
    String message) {

  public Transition {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(to, "to");
    if (from != null && from != to) {
      from.checkMoveTo(to);
    }
  }
}
