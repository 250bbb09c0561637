package io.taskmill.schedule;

/**
 * A cron expression, time zone or interval was refused; the message says where it is wrong and what
 * is allowed instead.
 */
public class InvalidScheduleException extends IllegalArgumentException {
  /** A refusal whose message already names the culprit and the remedy. */
  public InvalidScheduleException(String message) {
    super(message);
  }
}
