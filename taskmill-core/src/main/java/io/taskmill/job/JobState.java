package io.taskmill.job;

/**
 * Where a job is in its life; the one table of allowed transitions lives in {@link #canMoveTo}.
 *
 * <p>Each state says which component moves a job out of it, so a job found "stuck" points at the
 * component to look at.
 */
public enum JobState {
  /** Waiting for its {@code runAt}; the dispatcher promotes it to {@link #ENQUEUED} when due. */
  SCHEDULED,
  /**
   * Ready to run; a node with a free slot on its queue claims it, moving it to {@link #RUNNING}.
   */
  ENQUEUED,
  /**
   * Claimed by a node under a lease; left by the attempt's outcome, by a cancel, by the node
   * releasing it at shutdown, or by the rescuer once the lease has expired.
   */
  RUNNING,
  /** Finished; its handler returned normally. Terminal. */
  SUCCEEDED,
  /**
   * Cancelled by a user before or while it ran. Terminal: only a user's manual retry ({@code
   * Jobs.retry}) moves it back to {@link #ENQUEUED}.
   */
  CANCELLED,
  /**
   * Failed and will not be retried: attempts exhausted or the error was not retryable. Terminal:
   * only a user's manual retry ({@code Jobs.retry}) moves it back to {@link #ENQUEUED}.
   */
  DEAD;

  /**
   * True for finished states: the engine never moves a job out of them (retention prunes them);
   * only a user's manual retry may, see {@link #isRetryable()}.
   */
  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, CANCELLED, DEAD -> true;
      case SCHEDULED, ENQUEUED, RUNNING -> false;
    };
  }

  /** Whether a job in this state may move to {@code next}; the single source of the rules. */
  public boolean canMoveTo(JobState next) {
    return switch (this) {
      case SCHEDULED -> next == ENQUEUED || next == CANCELLED;
      case ENQUEUED -> next == RUNNING || next == CANCELLED;
      case RUNNING ->
          next == SUCCEEDED
              || next == SCHEDULED // failed attempt that will be retried
              || next == DEAD
              || next == CANCELLED
              || next == ENQUEUED; // released at shutdown, or rescued after its lease expired
      case SUCCEEDED -> false;
      case CANCELLED, DEAD -> next == ENQUEUED; // manual retry with a fresh attempt budget
    };
  }

  /** Whether a user may retry a job in this state by hand: a finished job that may run again. */
  public boolean isRetryable() {
    return isTerminal() && canMoveTo(ENQUEUED);
  }

  /** Throws if {@code this -> next} is not allowed; the message names both states. */
  public void checkMoveTo(JobState next) {
    if (!canMoveTo(next)) {
      throw new IllegalStateException("a job cannot move from " + this + " to " + next);
    }
  }
}
