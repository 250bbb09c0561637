package io.taskmill.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Fires at {@code anchor + k × every} for k = 0, 1, 2, …: a fixed interval in real time, blind to
 * time zones and daylight saving.
 */
public record IntervalTrigger(Duration every, Instant anchor) implements Trigger {
  /** What {@link #text()} starts with, and what separates its two parts. */
  static final String PREFIX = "every ";

  static final String FROM = " from ";

  /** Schedules are not for sub-second work; that is a loop in a handler. */
  private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /** Longer than a leap year is almost certainly a unit mistake. */
  private static final Duration MAX_INTERVAL = Duration.ofDays(366);

  /**
   * Checks the interval is between 1 second and 366 days.
   *
   * @throws InvalidScheduleException if it is not
   */
  public IntervalTrigger {
    Objects.requireNonNull(anchor, "anchor");
    if (every == null) {
      throw new InvalidScheduleException("interval is null: give a duration such as PT5M");
    }
    if (every.compareTo(MIN_INTERVAL) < 0) {
      throw new InvalidScheduleException(
          "interval " + every + " is too short: it must be at" + " least 1 second (PT1S)");
    }
    if (every.compareTo(MAX_INTERVAL) > 0) {
      throw new InvalidScheduleException(
          "interval "
              + every
              + " is too long: it must be at most"
              + " 366 days (P366D); use a cron expression for yearly schedules");
    }
  }

  /**
   * The smallest tick strictly after {@code after}; the anchor itself if {@code after} is earlier.
   */
  @Override
  public Optional<Instant> next(Instant after) {
    Objects.requireNonNull(after, "after");
    if (after.isBefore(anchor)) return Optional.of(anchor);
    // Ticks are counted from the anchor, never from the previous tick, so nothing accumulates.
    Duration since = Duration.between(anchor, after);
    long ticks;
    try {
      ticks = since.toNanos() / every.toNanos();
    } catch (ArithmeticException moreThan292Years) {
      ticks = since.dividedBy(every);
    }
    try {
      return Optional.of(anchor.plus(every.multipliedBy(ticks + 1)));
    } catch (DateTimeException | ArithmeticException pastTheEndOfTime) {
      return Optional.empty();
    }
  }

  /** {@code every <duration> from <anchor>}, both in ISO-8601, the anchor to the nanosecond. */
  @Override
  public String text() {
    return PREFIX + every + FROM + anchor;
  }
}
