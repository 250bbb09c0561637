package io.taskmill.schedule;

/** No schedule of the given name exists (never created, or deleted). */
public class UnknownScheduleException extends IllegalArgumentException {
  private final String schedule;

  public UnknownScheduleException(String schedule) {
    super("no schedule named '" + schedule + "'; list the schedules to see their names");
    this.schedule = schedule;
  }

  /** The name that was asked for. */
  public String schedule() {
    return schedule;
  }
}
