package io.taskmill.handler;

import java.time.Duration;

/** Recorded as an attempt's error when it ran past its timeout; usable in retry filters. */
public class JobTimeoutException extends RuntimeException {
  public JobTimeoutException(Duration timeout) {
    super("attempt timed out after " + timeout);
  }
}
