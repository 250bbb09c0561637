package io.taskmill.workflow;

/** What a run does when a step fails for good. */
public enum OnFailure {
  /** The run ends {@code FAILED}; completed steps stay as they are. */
  FAIL,
  /**
   * The compensations of the completed steps run in reverse order of completion; the run ends
   * {@code COMPENSATED}, or {@code FAILED} if a compensation fails.
   */
  COMPENSATE,
  /** The run waits in {@code SUSPENDED} for an operator to retry, skip, complete or compensate. */
  SUSPEND
}
