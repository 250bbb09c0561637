package io.taskmill.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The store's clock as seen from this process: the store's time read at the last anchoring, plus
 * the monotonic time elapsed since. So every node sharing a store agrees on the time within a round
 * trip, and neither a node's skewed wall clock nor a step of it (an NTP jump) moves due times,
 * leases or leader terms.
 */
final class StoreClock extends Clock {
  private final Supplier<Instant> storeTime;
  private final Clock wall;

  /** Standing still longer than this would stall the engine; past it the clock steps back. */
  private static final Duration MAX_STALL = Duration.ofSeconds(1);

  private volatile Anchor anchor;

  /** The latest instant handed out, in nanoseconds since the epoch: time never runs backwards. */
  private final AtomicLong latest = new AtomicLong(Long.MIN_VALUE);

  private record Anchor(Instant storeTime, long nanos, Duration wallOffset) {}

  /**
   * @param storeTime reads the store's clock (one round trip)
   * @param wall this process's wall clock, only to report how far it is off
   */
  StoreClock(Supplier<Instant> storeTime, Clock wall) {
    this.storeTime = storeTime;
    this.wall = wall;
    anchor();
  }

  /**
   * Reads the store's time again, taking the end of the round trip as the moment it was read.
   * Returns how far the store's clock is ahead of this process's wall clock.
   */
  Duration anchor() {
    Instant read = storeTime.get();
    // Anchored at the end of the round trip, the latest moment the store could have read its
    // clock: this clock then lags the store's by at most the round trip and never leads it, so a
    // job is never started before its due time by the store's clock, only a few milliseconds late.
    long after = System.nanoTime();
    Duration offset = Duration.between(wall.instant(), read);
    anchor = new Anchor(read, after, offset);
    long readNanos = read.getEpochSecond() * 1_000_000_000L + read.getNano();
    if (latest.get() - readNanos > MAX_STALL.toNanos()) {
      // The store's own clock was stepped back: follow it rather than stand still for so long.
      latest.set(Long.MIN_VALUE);
    }
    return offset;
  }

  /** How far the store's clock was ahead of this process's wall clock at the last anchoring. */
  Duration wallOffset() {
    return anchor.wallOffset();
  }

  /**
   * The store's time now. Re-anchoring may find the store a little behind the extrapolation; the
   * clock then stands still until the store catches up rather than stepping back, so a heartbeat
   * never precedes the start it follows and a lease never shrinks.
   */
  @Override
  public Instant instant() {
    Anchor a = anchor;
    Instant t = a.storeTime().plusNanos(System.nanoTime() - a.nanos());
    long nanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
    long max = latest.accumulateAndGet(nanos, Math::max);
    return max == nanos ? t : Instant.ofEpochSecond(0, max);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the store clock is always UTC");
  }
}
