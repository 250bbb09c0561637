package io.taskmill.spi;

/** Rows besides jobs that retention deletes once they are old enough. */
public enum Retained {
  /** Rows of nodes that are not {@code ALIVE}, by their last heartbeat; all at once. */
  NODES,
  /** Run rows of schedule ticks whose job is gone or never existed, by the tick's time. */
  SCHEDULE_RUNS,
  /** Outbox rows of the event feed (a batch's created jobs), by when they were written. */
  OUTBOX,
  /** Audit entries, oldest seq first, by when they were recorded. */
  AUDIT
}
