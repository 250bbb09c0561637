package io.taskmill.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a schedule fires: on a cron expression in a time zone, or at a fixed interval in real time.
 *
 * <pre>{@code
 * Trigger nightly = Trigger.cron("30 2 * * *", "Europe/Berlin");
 * Trigger often = Trigger.every(Duration.ofMinutes(5), Instant.parse("2026-01-01T00:00:00Z"));
 * Instant next = nightly.next(lastFireTime).orElseThrow();
 * }</pre>
 *
 * <p>To keep a schedule from drifting, pass the previous <em>scheduled</em> fire time to {@link
 * #next}, never the time the job actually started or finished.
 */
public sealed interface Trigger permits CronTrigger, IntervalTrigger {
  /**
   * The first fire time strictly after {@code after}.
   *
   * @return empty if there is none the calendar can represent
   */
  Optional<Instant> next(Instant after);

  /**
   * The fire times in {@code (fromExclusive, toInclusive]}, oldest first, at most {@code max} of
   * them: what a schedule missed while nobody fired it (misfire catch-up). Empty when {@code
   * toInclusive} is not after {@code fromExclusive}.
   */
  default List<Instant> between(Instant fromExclusive, Instant toInclusive, int max) {
    Objects.requireNonNull(fromExclusive, "fromExclusive");
    Objects.requireNonNull(toInclusive, "toInclusive");
    if (max < 0) throw new IllegalArgumentException("max must be 0 or more, was " + max);
    var times = new ArrayList<Instant>();
    Instant t = fromExclusive;
    while (times.size() < max) {
      Optional<Instant> next = next(t);
      if (next.isEmpty() || next.get().isAfter(toInclusive)) break;
      t = next.get();
      times.add(t);
    }
    return List.copyOf(times);
  }

  /**
   * This trigger as stable text, the form a store keeps and {@link #parse} reads back: {@code cron
   * 30 2 * * *} (the normalized expression; its zone is kept beside it) or {@code every PT5M from
   * 2026-01-01T00:00:00Z} (ISO-8601 duration and anchor).
   */
  String text();

  /**
   * Reads {@link #text()} back.
   *
   * @param zone the id of a cron trigger's zone ({@link ZoneId#getId()}, so {@code Z} for UTC);
   *     null for an interval trigger
   * @throws InvalidScheduleException if the text or zone is not such a form
   */
  static Trigger parse(String text, String zone) {
    if (text != null && text.startsWith(CronTrigger.PREFIX) && zone != null) {
      try {
        ZoneId zoneId = ZoneId.of(zone);
        return new CronTrigger(
            CronExpression.parse(text.substring(CronTrigger.PREFIX.length())), zoneId);
      } catch (DateTimeException e) {
        throw new InvalidScheduleException(
            "stored trigger \""
                + text
                + "\" has an unknown time "
                + "zone \""
                + zone
                + "\": "
                + e.getMessage());
      }
    }
    if (text != null && text.startsWith(IntervalTrigger.PREFIX) && zone == null) {
      String spec = text.substring(IntervalTrigger.PREFIX.length());
      int from = spec.indexOf(IntervalTrigger.FROM);
      if (from > 0) {
        try {
          return new IntervalTrigger(
              Duration.parse(spec.substring(0, from)),
              Instant.parse(spec.substring(from + IntervalTrigger.FROM.length())));
        } catch (DateTimeException e) {
          throw new InvalidScheduleException(
              "stored trigger \""
                  + text
                  + "\" is not "
                  + "\"every <duration> from <instant>\": "
                  + e.getMessage());
        }
      }
    }
    throw new InvalidScheduleException(
        "stored trigger \""
            + text
            + "\" with zone "
            + zone
            + " is neither \"cron <expression>\" with a zone nor \"every <duration> from <instant>\""
            + " without one");
  }

  /** A cron trigger in UTC. */
  static CronTrigger cron(String expression) {
    return new CronTrigger(CronExpression.parse(expression), ZoneOffset.UTC);
  }

  /**
   * A cron trigger whose wall times are read in {@code zone}, an IANA id such as {@code
   * Europe/Berlin}; null means UTC.
   *
   * @throws InvalidScheduleException if the expression or the zone is invalid
   */
  static CronTrigger cron(String expression, String zone) {
    ZoneId zoneId = zone == null ? ZoneOffset.UTC : zone(zone);
    return new CronTrigger(CronExpression.parse(expression), zoneId);
  }

  /**
   * A trigger that fires at {@code anchor} and every {@code every} after it, in real time.
   *
   * @throws InvalidScheduleException if the interval is under 1 second or over 366 days
   */
  static IntervalTrigger every(Duration every, Instant anchor) {
    return new IntervalTrigger(every, anchor);
  }

  /**
   * The time zone with this IANA id ({@code Europe/Berlin}, {@code America/New_York}, {@code UTC}).
   *
   * @throws InvalidScheduleException if no such zone is known; the message suggests the closest
   *     known id
   */
  static ZoneId zone(String id) {
    if (id == null || id.isBlank()) {
      throw new InvalidScheduleException(
          "time zone is "
              + (id == null ? "null" : "empty")
              + ": use an IANA id such as Europe/Berlin or UTC");
    }
    if (ZoneId.getAvailableZoneIds().contains(id)) return ZoneId.of(id);
    String closest =
        ZoneId.getAvailableZoneIds().stream()
            .min(
                Comparator.comparingInt((String known) -> Zones.distance(id, known))
                    .thenComparing(Comparator.naturalOrder()))
            .orElseThrow();
    String hint =
        Zones.distance(id, closest) <= Math.max(2, id.length() / 4)
            ? " (did you mean " + closest + "?)"
            : "";
    throw new InvalidScheduleException(
        "unknown time zone \"" + id + "\": use an IANA id such as Europe/Berlin or UTC" + hint);
  }
}
