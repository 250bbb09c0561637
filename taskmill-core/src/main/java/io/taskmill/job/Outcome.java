package io.taskmill.job;

import java.time.Instant;

/** What one attempt produced; {@link #nextState()} is the only place an outcome picks a state. */
public sealed interface Outcome {
  /** The handler returned; {@code resultJson} is its result as JSON, or null for none. */
  record Succeeded(String resultJson) implements Outcome {}

  /** The attempt failed and the job runs again at {@code retryAt}. */
  record Retrying(ErrorSummary error, Instant retryAt) implements Outcome {}

  /** The attempt failed and the job will not run again. */
  record Dead(ErrorSummary error) implements Outcome {}

  /** The job was cancelled while it ran and its handler stopped. */
  record Cancelled(String reason) implements Outcome {}

  /** The state this outcome moves a running job to. */
  default JobState nextState() {
    return switch (this) {
      case Succeeded s -> JobState.SUCCEEDED;
      case Retrying r -> JobState.SCHEDULED;
      case Dead d -> JobState.DEAD;
      case Cancelled c -> JobState.CANCELLED;
    };
  }

  /** The error behind this outcome, or null when there was none. */
  default ErrorSummary error() {
    return switch (this) {
      case Succeeded s -> null;
      case Retrying r -> r.error();
      case Dead d -> d.error();
      case Cancelled c -> null;
    };
  }
}
