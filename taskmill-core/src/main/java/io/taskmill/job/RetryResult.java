package io.taskmill.job;

/** What a manual retry request did. */
public enum RetryResult {
  /**
   * The job was {@code DEAD} or {@code CANCELLED} and is now {@code ENQUEUED} with a fresh attempt
   * budget.
   */
  RETRIED,
  /** No job has that id. */
  NOT_FOUND,
  /**
   * The job is in a state a retry does not apply to (waiting, running or succeeded); nothing
   * changed.
   */
  NOT_RETRYABLE
}
