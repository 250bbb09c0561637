package io.taskmill.bench;

import java.time.Duration;

/**
 * A fixed-rate open-loop schedule: request {@code i} is due at {@code start + i / rate} whatever
 * the earlier ones took, and its latency counts from that due time, not from when it was actually
 * sent. A server that stalls thus shows the wait of every request that should have gone out during
 * the stall (no coordinated omission), as wrk2 and HdrHistogram's corrected mode do.
 *
 * @param startNanos the {@link System#nanoTime()} at which request 0 is due
 * @param perSecond requests per second
 * @param count requests in the schedule
 */
record OpenLoop(long startNanos, double perSecond, int count) {

  OpenLoop {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException(
          "open loop: the rate must be a positive number of requests"
              + " per second, was "
              + perSecond);
    }
    if (count < 1) {
      throw new IllegalArgumentException("open loop: at least one request is needed, was " + count);
    }
  }

  /** The schedule of {@code perSecond} requests a second for {@code length}, at least one. */
  static OpenLoop of(long startNanos, double perSecond, Duration length) {
    long n = Math.round(perSecond * length.toNanos() / 1e9);
    return new OpenLoop(startNanos, perSecond, (int) Math.max(1, Math.min(Integer.MAX_VALUE, n)));
  }

  /**
   * When request {@code i} is due. Computed from {@code i} rather than by adding a rounded period
   * so that the schedule does not drift (500/s has an exact period, 300/s does not).
   */
  long dueNanos(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("request " + i + " is outside the schedule of " + count);
    }
    return startNanos + Math.round(i * 1e9 / perSecond);
  }

  /** Request {@code i}'s latency when its answer arrived at {@code answeredNanos}. */
  long latencyNanos(int i, long answeredNanos) {
    return answeredNanos - dueNanos(i);
  }
}
