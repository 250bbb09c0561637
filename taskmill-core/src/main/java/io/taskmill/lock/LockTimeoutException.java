package io.taskmill.lock;

import java.time.Duration;

/** {@link Locks#acquire} waited its whole wait timeout while another job held the lock. */
public class LockTimeoutException extends RuntimeException {
  private final String lockName;
  private final Duration waitTimeout;

  public LockTimeoutException(String lockName, Duration waitTimeout) {
    super(
        "could not acquire lock '"
            + lockName
            + "' within "
            + waitTimeout
            + ": another job held it the whole time");
    this.lockName = lockName;
    this.waitTimeout = waitTimeout;
  }

  /** The lock that was asked for. */
  public String lockName() {
    return lockName;
  }

  /** How long the caller waited. */
  public Duration waitTimeout() {
    return waitTimeout;
  }
}
