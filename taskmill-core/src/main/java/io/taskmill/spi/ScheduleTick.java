package io.taskmill.spi;

import io.taskmill.schedule.ScheduleRun;
import java.time.Instant;

/**
 * One tick a firing handles: the job it creates, or why it creates none.
 *
 * @param job the job, due at {@code fireAt}, when {@code outcome} is FIRED or MANUAL; else null
 * @param note why the tick was skipped or missed, or null
 */
public record ScheduleTick(Instant fireAt, ScheduleRun.Outcome outcome, NewJob job, String note) {
  public ScheduleTick {
    boolean creates = outcome == ScheduleRun.Outcome.FIRED || outcome == ScheduleRun.Outcome.MANUAL;
    if (creates != (job != null)) {
      throw new IllegalArgumentException(
          "a " + outcome + " tick " + (creates ? "needs" : "has no") + " job");
    }
  }
}
