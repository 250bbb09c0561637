package io.taskmill.bench;

import java.util.Arrays;

/**
 * The summary of one latency measurement: nearest-rank p50 and p99 and the maximum, in
 * milliseconds, over {@code samples} values. Public for the peers mode ({@code
 * io.taskmill.bench.peers}), which summarizes db-scheduler's and JobRunr's pickups the same way.
 */
public record Latencies(int samples, double p50Ms, double p99Ms, double maxMs) {

  /** Summarizes latencies given in nanoseconds (the array is sorted in place). */
  public static Latencies ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("latencies: at least one sample is needed");
    }
    Arrays.sort(nanos);
    return new Latencies(
        nanos.length,
        ms(percentile(nanos, 0.50)),
        ms(percentile(nanos, 0.99)),
        ms(nanos[nanos.length - 1]));
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
