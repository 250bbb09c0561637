package io.taskmill.job;

/** What a cancel request did. */
public enum CancelResult {
  /** The job was waiting and is now {@code CANCELLED}. */
  CANCELLED,
  /**
   * The job is running; its handler was asked to stop and the job ends {@code CANCELLED} if it
   * does.
   */
  CANCEL_REQUESTED,
  /** The job had already finished; nothing changed. */
  ALREADY_FINISHED,
  /** No job has that id. */
  NOT_FOUND
}
