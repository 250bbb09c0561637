package io.taskmill.bench.peers;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A peer's idle pickup latency, measured as the bench measures Taskmill's: one job at a time on a
 * scheduler with nothing else to do, from the enqueue call to the start of its handler, waiting for
 * each job's outcome to be committed before the next is enqueued.
 *
 * <p>The peer's handler calls {@link #started} first thing; its completion hook calls {@link
 * #finished} once the job's outcome is committed.
 */
final class PickupProbe {
  /** The sample number of a job that is not a probe (a drained no-op). */
  static final int NOT_A_SAMPLE = Integer.MAX_VALUE;

  /** Enqueues probe job {@code sample}; returns the key its completion hook will report. */
  interface Enqueuer {
    Object enqueue(int sample) throws Exception;
  }

  private final String system;
  private final long timeoutNanos;
  private volatile int currentSample = Integer.MIN_VALUE;
  private volatile CompletableFuture<Long> currentStart = new CompletableFuture<>();
  private final Set<Object> finished = ConcurrentHashMap.newKeySet();

  PickupProbe(String system, Duration sampleTimeout) {
    this.system = system;
    this.timeoutNanos = sampleTimeout.toNanos();
  }

  /** A handler started the job of {@code sample}. */
  void started(int sample) {
    long now = System.nanoTime();
    if (sample != NOT_A_SAMPLE && sample == currentSample) {
      currentStart.complete(now);
    }
  }

  /** The outcome of the probe job reported as {@code key} is committed. */
  void finished(Object key) {
    finished.add(key);
  }

  /**
   * Enqueues {@code count} probe jobs numbered from {@code firstSample}, each after a pause of
   * {@code pauseNanos} (0 for none); returns each one's latency in nanoseconds.
   */
  long[] measure(int count, int firstSample, Enqueuer enqueuer, LongSupplier pauseNanos)
      throws Exception {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      int sample = firstSample + i;
      long pause = pauseNanos.getAsLong();
      long pauseEnd = System.nanoTime() + pause;
      for (long left = pause; left > 0; left = pauseEnd - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      var started = new CompletableFuture<Long>();
      currentStart = started;
      currentSample = sample;
      long t0 = System.nanoTime();
      Object key = enqueuer.enqueue(sample);
      long handlerStart;
      try {
        handlerStart = started.get(timeoutNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new TimeoutException(
            system
                + ": pickup sample "
                + i
                + " ("
                + key
                + ") did not start within "
                + Duration.ofNanos(timeoutNanos).toSeconds()
                + " s");
      }
      out[i] = handlerStart - t0;
      long deadline = System.nanoTime() + timeoutNanos;
      while (!finished.remove(key)) {
        if (System.nanoTime() >= deadline) {
          throw new TimeoutException(
              system
                  + ": pickup sample "
                  + i
                  + " ("
                  + key
                  + ") started but its outcome"
                  + " was not committed within "
                  + Duration.ofNanos(timeoutNanos).toSeconds()
                  + " s");
        }
        LockSupport.parkNanos(200_000);
      }
    }
    return out;
  }
}
