package io.taskmill.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster-wide start rate for one job type: at most {@code starts} of its jobs start in each
 * window of length {@code per}. Windows are fixed and aligned to the epoch (a window starts at
 * {@code floor(t / per) × per}), so at most {@code starts} jobs start in each aligned window; two
 * windows back to back may together start up to twice that within one {@code per}.
 *
 * @param starts most jobs that start in one window
 * @param per the window length: a whole number of milliseconds
 */
public record RateLimit(int starts, Duration per) {
  /** Most starts one window may allow. */
  public static final int MAX_STARTS = 1_000_000;

  /** Shortest window: shorter ones would have the dispatcher claim more often than it is useful. */
  public static final Duration MIN_PER = Duration.ofMillis(10);

  /** Longest window. */
  public static final Duration MAX_PER = Duration.ofDays(1);

  public RateLimit {
    List<String> problems = problems("rateLimit", starts, per);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The start of the aligned window holding {@code t}. */
  public Instant windowStart(Instant t) {
    long perMillis = per.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), perMillis) * perMillis);
  }

  /** The end of the aligned window holding {@code t}, which is the start of the next one. */
  public Instant windowEnd(Instant t) {
    return windowStart(t).plus(per);
  }

  /**
   * Problems with a rate of {@code starts} per {@code per}, each naming {@code field} and what is
   * allowed; empty when valid.
   */
  public static List<String> problems(String field, int starts, Duration per) {
    var out = new ArrayList<String>();
    if (starts < 1 || starts > MAX_STARTS) {
      out.add(field + ".starts must be between 1 and " + MAX_STARTS + ", was " + starts);
    }
    if (per == null || per.compareTo(MIN_PER) < 0 || per.compareTo(MAX_PER) > 0) {
      out.add(field + ".per must be between " + MIN_PER + " and " + MAX_PER + ", was " + per);
    } else if (per.toNanos() % 1_000_000 != 0) {
      out.add(field + ".per must be a whole number of milliseconds, was " + per);
    }
    return out;
  }
}
