package io.taskmill.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron expression in Vixie cron's syntax, with optional seconds, that computes its next fire
 * time in a time zone.
 *
 * <pre>{@code
 * CronExpression daily = CronExpression.parse("30 2 * * *");
 * daily.next(Instant.parse("2026-03-28T12:00:00Z"), ZoneId.of("Europe/Berlin"));
 *     // 2026-03-29T01:00:00Z: 02:30 does not exist that night, so it fires when the gap ends
 * }</pre>
 *
 * <p><b>Syntax.</b> Five fields {@code minute hour day-of-month month day-of-week}, or six with
 * {@code second} first; or one of the macros {@code @yearly} ({@code @annually}), {@code
 * @monthly}, {@code @weekly}, {@code @daily} ({@code @midnight}), {@code @hourly}. Each field is
 * a comma-separated list of {@code *}, {@code n}, {@code a-b}, <code>&#42;/n</code>, {@code a/n} (from a
 * to the field's end) and {@code a-b/n}. Months may be written {@code JAN}-{@code DEC}, weekdays
 * {@code SUN}-{@code SAT} or 0-7 (0 and 7 are Sunday), in any case. Day-of-month also takes
 * {@code L} (the month's last day); day-of-week takes {@code nL} (the month's last weekday n, e.g.
 * {@code 5L} or {@code FRIL}) and {@code n#k} (its k-th weekday n, e.g. {@code MON#2}); both take
 * {@code ?} as a synonym of {@code *}.
 *
 * <p><b>Day-of-month and day-of-week</b> combine as in Vixie cron: if either field starts with
 * {@code *} (or is {@code ?}), a day must match both; otherwise a day matches when either
 * matches. So {@code 0 0 1,15 * MON} fires on the 1st, the 15th and every Monday, while <code>0 0 &#42;/2 &#42; MON</code> fires on Mondays that fall on odd days.
 *
 * <p><b>Impossible schedules are refused</b> by {@link #parse}: {@code 0 0 30 2 *} never fires,
 * so it is an error, not a schedule that silently stays idle. February 29 is possible.
 *
 * <p><b>Daylight saving time.</b> The fields describe wall-clock times in the schedule's zone.
 *
 * <ul>
 *   <li>A wall time that does not exist because clocks spring forward (a gap) fires at the first
 *       instant after the gap, and all the times of one gap fire there <em>once</em>: in
 *       Europe/Berlin on 2026-03-29, {@code 30 2 * * *} fires at 03:00 CEST (01:00Z), and <code>&#42;/15 2 &#42; &#42; &#42;</code> fires once, at the same instant.
 *   <li>A wall time that occurs twice because clocks fall back (an overlap) fires once, at its
 *       first occurrence, unless the hour field is {@code *} or has a step (<code>&#42;/2</code>, {@code
 *       1-23/2}, {@code 1/12}): such expressions follow real time and fire in both passes of the
 *       repeated hour. So {@code 30 1 * * *} in America/New_York on 2026-11-01 fires at 01:30 EDT
 *       only, while {@code 0 * * * *} fires at 01:00 EDT and again at 01:00 EST: an hourly job runs
 *       every real hour, none lost and none doubled.
 * </ul>
 *
 * <p><b>Search bound.</b> {@link #next} looks at most 400 years ahead, the length of the
 * Gregorian cycle after which dates and weekdays repeat. Since {@link #parse} refuses expressions
 * that match no day in a cycle, a result is always found unless it would lie past the year
 * 999,999,999. Rare schedules are cheap: months and days that cannot match are skipped whole (the
 * 29th of February on a Monday, {@code 0 0 * 2 MON#5}, comes every 28 to 40 years).
 *
 * <p>Instances are immutable. Two expressions are equal when their normalized text ({@link
 * #toString}) is equal.
 */
public final class CronExpression {
  /** The Gregorian calendar repeats (dates and weekdays) every 400 years. */
  private static final int SEARCH_YEARS = 400;

  private final String text;
  private final long seconds;
  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final boolean lastDayOfMonth;
  private final long months;
  private final long weekdays;
  private final long nthWeekdays;
  private final int lastWeekdays;
  private final boolean dayOfMonthUnrestricted;
  private final boolean dayOfWeekUnrestricted;
  private final boolean hoursFollowRealTime;

  CronExpression(
      String text,
      long seconds,
      long minutes,
      long hours,
      long daysOfMonth,
      boolean lastDayOfMonth,
      long months,
      long weekdays,
      long nthWeekdays,
      int lastWeekdays,
      boolean dayOfMonthUnrestricted,
      boolean dayOfWeekUnrestricted,
      boolean hoursFollowRealTime) {
    this.text = text;
    this.seconds = seconds;
    this.minutes = minutes;
    this.hours = hours;
    this.daysOfMonth = daysOfMonth;
    this.lastDayOfMonth = lastDayOfMonth;
    this.months = months;
    this.weekdays = weekdays;
    this.nthWeekdays = nthWeekdays;
    this.lastWeekdays = lastWeekdays;
    this.dayOfMonthUnrestricted = dayOfMonthUnrestricted;
    this.dayOfWeekUnrestricted = dayOfWeekUnrestricted;
    this.hoursFollowRealTime = hoursFollowRealTime;
  }

  /**
   * Parses an expression (see the class description for the syntax).
   *
   * @throws InvalidScheduleException if it is malformed or can never fire; the message names the
   *     field, its 1-based position and the offending token, and a caret line points at it
   */
  public static CronExpression parse(String expression) {
    return CronParser.parse(expression);
  }

  /** The same schedule under the macro's name, so {@code @daily} prints as {@code @daily}. */
  CronExpression named(String macro) {
    return new CronExpression(
        macro,
        seconds,
        minutes,
        hours,
        daysOfMonth,
        lastDayOfMonth,
        months,
        weekdays,
        nthWeekdays,
        lastWeekdays,
        dayOfMonthUnrestricted,
        dayOfWeekUnrestricted,
        hoursFollowRealTime);
  }

  /**
   * The first fire time strictly after {@code after}, in {@code zone}, following the class's
   * daylight-saving policy.
   *
   * @return empty only if the next fire time would lie past the year 999,999,999
   */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(zone, "zone");
    try {
      return Optional.ofNullable(nextInstant(after, zone.getRules()));
    } catch (DateTimeException beyondTheCalendar) {
      return Optional.empty();
    }
  }

  /**
   * The first fire time strictly after {@code after}, in {@code after}'s zone; the result carries
   * the offset in force then (in an overlap, which of the two passes it is).
   *
   * @return empty only if the next fire time would lie past the year 999,999,999
   */
  public Optional<ZonedDateTime> next(ZonedDateTime after) {
    Objects.requireNonNull(after, "after");
    return next(after.toInstant(), after.getZone()).map(i -> i.atZone(after.getZone()));
  }

  private Instant nextInstant(Instant after, ZoneRules rules) {
    var now = LocalDateTime.ofInstant(after, rules.getOffset(after));
    LocalDateTime found = nextWallTime(now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
    ZoneOffsetTransition here = rules.getTransition(now);
    if (here == null || here.isGap()) return found == null ? null : firstInstant(found, rules);

    // `after` is inside a fall-back overlap: wall times repeat, so wall order is not time order.
    LocalDateTime overlapEnd = here.getDateTimeBefore();
    boolean secondPass = rules.getOffset(after).equals(here.getOffsetAfter());
    if (secondPass) {
      // First-pass instants of every repeated wall time are already behind us.
      if (found != null && found.isBefore(overlapEnd)) {
        if (hoursFollowRealTime) return found.toInstant(here.getOffsetAfter());
        found = nextWallTime(overlapEnd);
      }
      return found == null ? null : firstInstant(found, rules);
    }
    if (found != null && found.isBefore(overlapEnd)) return found.toInstant(here.getOffsetBefore());
    if (hoursFollowRealTime) {
      // Nothing more in the first pass: the second pass starts over at the overlap's first wall
      // time, before anything after the overlap.
      LocalDateTime again = nextWallTime(here.getDateTimeAfter());
      if (again != null && again.isBefore(overlapEnd)) {
        return again.toInstant(here.getOffsetAfter());
      }
    }
    return found == null ? null : firstInstant(found, rules);
  }

  /** A wall time's fire instant outside a second pass: a gap's end, or an overlap's first pass. */
  private static Instant firstInstant(LocalDateTime wall, ZoneRules rules) {
    ZoneOffsetTransition transition = rules.getTransition(wall);
    if (transition == null) return wall.toInstant(rules.getOffset(wall));
    if (transition.isGap()) return transition.getInstant();
    return wall.toInstant(transition.getOffsetBefore());
  }

  /**
   * The first wall time at or after {@code start} (whole seconds) that the fields match, or null if
   * none within the search bound. Field by field: a month, day, hour or minute that cannot match is
   * skipped whole, so this takes a handful of steps, not one per second.
   */
  private LocalDateTime nextWallTime(LocalDateTime start) {
    int year = start.getYear();
    int month = start.getMonthValue();
    int day = start.getDayOfMonth();
    int hour = start.getHour();
    int minute = start.getMinute();
    int second = start.getSecond();
    int lastYear = (int) Math.min((long) year + SEARCH_YEARS, Year.MAX_VALUE);
    while (year <= lastYear) {
      int m = nextBit(months, month);
      if (m < 0) {
        year++;
        month = 1;
        day = 1;
        hour = minute = second = 0;
        continue;
      }
      if (m != month) {
        month = m;
        day = 1;
        hour = minute = second = 0;
      }
      int d = nextBit(daysOf(year, month), day);
      if (d < 0) {
        month++;
        day = 1;
        hour = minute = second = 0;
        if (month > 12) {
          year++;
          month = 1;
        }
        continue;
      }
      if (d != day) {
        day = d;
        hour = minute = second = 0;
      }
      int h = nextBit(hours, hour);
      if (h < 0) {
        day++;
        hour = minute = second = 0;
        continue;
      }
      if (h != hour) {
        hour = h;
        minute = second = 0;
      }
      int mi = nextBit(minutes, minute);
      if (mi < 0) {
        hour++;
        minute = second = 0;
        continue;
      }
      if (mi != minute) {
        minute = mi;
        second = 0;
      }
      int s = nextBit(seconds, second);
      if (s < 0) {
        minute++;
        second = 0;
        continue;
      }
      return LocalDateTime.of(year, month, day, hour, minute, s);
    }
    return null;
  }

  /** The lowest set bit at or above {@code from}, or -1. */
  private static int nextBit(long bits, int from) {
    if (from > 63) return -1;
    long rest = bits & (-1L << from);
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }

  private long daysOf(int year, int month) {
    int length = Month.of(month).length(Year.isLeap(year));
    int firstWeekday = LocalDate.of(year, month, 1).getDayOfWeek().getValue() % 7;
    return daysOfMonth(length, firstWeekday);
  }

  /**
   * The days (bits 1..length) of a month of {@code length} days whose first day is {@code
   * firstWeekday} (0 = Sunday) on which the expression fires.
   */
  long daysOfMonth(int length, int firstWeekday) {
    long month = (1L << (length + 1)) - 2;
    long byDate = daysOfMonth & month;
    if (lastDayOfMonth) byDate |= 1L << length;
    long byWeekday = 0;
    for (int weekday = 0; weekday < 7; weekday++) {
      int first = 1 + Math.floorMod(weekday - firstWeekday, 7);
      if ((weekdays >>> weekday & 1) != 0) {
        for (int day = first; day <= length; day += 7) byWeekday |= 1L << day;
      }
      long nth = nthWeekdays >>> (weekday * 5) & 0x1F;
      for (int k = 0; k < 5; k++) {
        int day = first + 7 * k;
        if ((nth >>> k & 1) != 0 && day <= length) byWeekday |= 1L << day;
      }
      if ((lastWeekdays >>> weekday & 1) != 0) {
        byWeekday |= 1L << (first + 7 * ((length - first) / 7));
      }
    }
    return dayOfMonthUnrestricted || dayOfWeekUnrestricted
        ? byDate & byWeekday
        : byDate | byWeekday;
  }

  boolean inMonth(int month) {
    return (months >>> month & 1) != 0;
  }

  boolean isDayOfWeekUnrestricted() {
    return dayOfWeekUnrestricted;
  }

  /**
   * The expression as parsed, normalized: fields separated by one space, names in upper case,
   * macros in lower case.
   */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
