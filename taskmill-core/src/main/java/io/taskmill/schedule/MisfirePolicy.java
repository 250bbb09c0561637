package io.taskmill.schedule;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a schedule does with ticks it missed by more than the engine's misfire threshold (the
 * cluster was down, or the schedule was paused): skip them, fire once for all of them, or fire each
 * of the latest {@code max} of them.
 *
 * @param max for {@link Kind#FIRE_ALL}, how many of the latest missed ticks fire; 1 otherwise
 */
public record MisfirePolicy(Kind kind, int max) {
  /** The largest {@code FIRE_ALL} bound: a catch-up must stay a bounded burst. */
  public static final int MAX_CATCH_UP = 1000;

  private static final Pattern FIRE_ALL = Pattern.compile("FIRE_ALL\\((\\d{1,9})\\)");

  /** The three policies. */
  public enum Kind {
    /** Missed ticks are dropped; the schedule goes on with its next tick. */
    SKIP,
    /** One job for all missed ticks, due at the latest of them. */
    FIRE_ONCE,
    /** One job per missed tick, for the latest {@code max} of them. */
    FIRE_ALL
  }

  public MisfirePolicy {
    if (kind == null) {
      throw new InvalidScheduleException(
          "misfire policy is missing; use SKIP, FIRE_ONCE or " + "FIRE_ALL(n)");
    }
    if (kind == Kind.FIRE_ALL ? max < 1 || max > MAX_CATCH_UP : max != 1) {
      throw new InvalidScheduleException(
          kind == Kind.FIRE_ALL
              ? "misfire policy FIRE_ALL(" + max + "): the bound must be 1 to " + MAX_CATCH_UP
              : "misfire policy " + kind + " takes no bound (got " + max + ")");
    }
  }

  /** Drops missed ticks. */
  public static MisfirePolicy skip() {
    return new MisfirePolicy(Kind.SKIP, 1);
  }

  /** Fires once for all missed ticks: the default, as for a nightly report after downtime. */
  public static MisfirePolicy fireOnce() {
    return new MisfirePolicy(Kind.FIRE_ONCE, 1);
  }

  /** Fires each of the latest {@code max} missed ticks. */
  public static MisfirePolicy fireAll(int max) {
    return new MisfirePolicy(Kind.FIRE_ALL, max);
  }

  /**
   * Reads {@code SKIP}, {@code FIRE_ONCE} or {@code FIRE_ALL(n)} (any case), as {@link #toString}.
   */
  public static MisfirePolicy parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidScheduleException(
          "misfire policy is missing; use SKIP, FIRE_ONCE or " + "FIRE_ALL(n)");
    }
    String t = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    switch (t) {
      case "SKIP":
        return skip();
      case "FIRE_ONCE":
        return fireOnce();
      default:
        break;
    }
    Matcher m = FIRE_ALL.matcher(t);
    if (m.matches()) {
      return fireAll(Integer.parseInt(m.group(1)));
    }
    throw new InvalidScheduleException(
        "unknown misfire policy \""
            + text
            + "\"; use SKIP, "
            + "FIRE_ONCE or FIRE_ALL(n) with n from 1 to "
            + MAX_CATCH_UP);
  }

  @Override
  public String toString() {
    return kind == Kind.FIRE_ALL ? "FIRE_ALL(" + max + ")" : kind.name();
  }
}
