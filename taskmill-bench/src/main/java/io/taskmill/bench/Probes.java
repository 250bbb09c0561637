package io.taskmill.bench;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The latency measurements, each on engines with nothing else to do: a job enqueued on the node
 * that runs it (pickup), a job enqueued on another node (cross-node pickup), and delayed jobs'
 * start after their due time (lateness).
 *
 * <p>Every node that runs probe jobs registers the same handlers through {@link #serve}; they
 * report to this one object, so it does not matter which node of the process runs a job.
 */
final class Probes {
  static final String LATENCY_QUEUE = "latency";
  static final String PROBE_QUEUE = "probe";

  /** Same-node pickup. */
  static final String MARK = "bench.mark";

  /** Cross-node pickup. */
  static final String REMOTE = "bench.remote";

  /** Delayed-job lateness. */
  static final String DELAYED = "bench.delayed";

  /**
   * Delayed jobs are enqueued one every this many ms, each due 200 to 500 ms later, so a few wait
   * at any time and each becomes due on an otherwise idle node.
   */
  static final int DELAYED_EVERY_MS = 20;

  static final int DELAYED_MIN_MS = 200;
  static final int DELAYED_MAX_MS = 500;

  /** Payload of the probe jobs: which sample this is (negative while warming up). */
  public record Mark(int sample) {}

  private final long sampleTimeoutNanos;

  /** Handler start (nanoTime) of the pickup sample in flight; one runs at a time. */
  private volatile CompletableFuture<Long> currentStart = new CompletableFuture<>();

  private volatile int currentSample = Integer.MIN_VALUE;

  /** Handler start (wall clock, the engines' clock) of each delayed sample. */
  private final Map<Integer, Instant> delayedStarts = new ConcurrentHashMap<>();

  // Fixed seed: every run draws the same delays.
  private final Random random = new Random(42);

  Probes(Duration sampleTimeout) {
    this.sampleTimeoutNanos = sampleTimeout.toNanos();
  }

  /** Declares the probe queues and handlers on a node that runs probe jobs. */
  TaskmillBuilder serve(TaskmillBuilder builder) {
    return builder
        .queue(LATENCY_QUEUE, q -> q.concurrency(4))
        .queue(PROBE_QUEUE, q -> q.concurrency(4))
        .handler(MARK, Mark.class, (p, ctx) -> started(p.sample()), h -> h.queue(LATENCY_QUEUE))
        .handler(REMOTE, Mark.class, (p, ctx) -> started(p.sample()), h -> h.queue(PROBE_QUEUE))
        .handler(
            DELAYED,
            Mark.class,
            (p, ctx) -> delayedStarts.putIfAbsent(p.sample(), Instant.now()),
            h -> h.queue(PROBE_QUEUE));
  }

  private void started(int sample) {
    long now = System.nanoTime();
    // currentStart is written before currentSample, so a matching sample sees its own future.
    if (sample == currentSample) {
      currentStart.complete(now);
    }
  }

  /**
   * Enqueues {@code count} jobs of {@code type} ({@link #MARK} or {@link #REMOTE}) on {@code
   * enqueuer} one at a time, each after the previous one finished; returns the time from the
   * enqueue call to the handler's start for each, in nanoseconds. The enqueue call includes the
   * insert's commit, which on PostgreSQL is also when the other nodes are notified.
   */
  long[] pickup(Taskmill enqueuer, String type, int count, int firstSample)
      throws InterruptedException, ExecutionException, TimeoutException {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      int sample = firstSample + i;
      var started = new CompletableFuture<Long>();
      currentStart = started;
      currentSample = sample;
      long t0 = System.nanoTime();
      JobId id = enqueuer.enqueue(type, new Mark(sample), JobOptions.defaults());
      long handlerStart;
      try {
        handlerStart = started.get(sampleTimeoutNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new TimeoutException(
            type
                + " sample "
                + i
                + " (job "
                + id
                + ") did not start within "
                + seconds(sampleTimeoutNanos)
                + " s; job is "
                + state(enqueuer, id));
      }
      out[i] = handlerStart - t0;
      awaitTerminal(enqueuer, id);
    }
    return out;
  }

  /**
   * Enqueues {@code count} {@link #DELAYED} jobs on {@code enqueuer}, one every {@value
   * #DELAYED_EVERY_MS} ms, each with a delay drawn from {@value #DELAYED_MIN_MS} to {@value
   * #DELAYED_MAX_MS} ms; returns each one's handler start minus its stored {@code runAt}, in
   * nanoseconds. Both are read from the system clock, which is the engines' clock.
   */
  long[] delayed(Taskmill enqueuer, int count, int firstSample) throws TimeoutException {
    delayedStarts.clear();
    var ids = new JobId[count];
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      parkUntil(next);
      var delay =
          Duration.ofMillis(DELAYED_MIN_MS + random.nextInt(DELAYED_MAX_MS - DELAYED_MIN_MS + 1));
      ids[i] =
          enqueuer.enqueue(DELAYED, new Mark(firstSample + i), JobOptions.defaults().delay(delay));
      next += TimeUnit.MILLISECONDS.toNanos(DELAYED_EVERY_MS);
    }
    long deadline =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELAYED_MAX_MS) + sampleTimeoutNanos;
    for (int i = 0; i < count; i++) {
      while (!delayedStarts.containsKey(firstSample + i)) {
        if (System.nanoTime() >= deadline) {
          throw new TimeoutException(
              "delayed sample "
                  + i
                  + " (job "
                  + ids[i]
                  + ") did not start"
                  + " within "
                  + seconds(sampleTimeoutNanos)
                  + " s of its due time; job is "
                  + state(enqueuer, ids[i])
                  + "; "
                  + delayedStarts.size()
                  + " of "
                  + count
                  + " started");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      awaitTerminal(enqueuer, ids[i]);
      Job job = enqueuer.jobs().get(ids[i]).orElseThrow();
      if (job.attempt() != 1) {
        // A retry moves runAt; the lateness of a second attempt means nothing here.
        throw new IllegalStateException(
            "delayed job " + job.id() + " ran " + job.attempt() + " times");
      }
      out[i] = Duration.between(job.runAt(), delayedStarts.get(firstSample + i)).toNanos();
    }
    return out;
  }

  private void awaitTerminal(Taskmill tm, JobId id) throws TimeoutException {
    long deadline = System.nanoTime() + sampleTimeoutNanos;
    while (true) {
      JobState state = state(tm, id);
      if (state != null && state.isTerminal()) {
        if (state != JobState.SUCCEEDED) {
          throw new IllegalStateException("probe job " + id + " ended " + state);
        }
        return;
      }
      if (System.nanoTime() >= deadline) {
        throw new TimeoutException("probe job " + id + " did not finish; it is " + state);
      }
      LockSupport.parkNanos(200_000);
    }
  }

  private static JobState state(Taskmill tm, JobId id) {
    return tm.jobs().get(id).map(Job::state).orElse(null);
  }

  private static void parkUntil(long nanoTime) {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  private static long seconds(long nanos) {
    return Duration.ofNanos(nanos).toSeconds();
  }
}
