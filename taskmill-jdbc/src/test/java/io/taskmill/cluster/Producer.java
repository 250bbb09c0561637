package io.taskmill.cluster;

import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.spi.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Load for the cluster tests: the client enqueues a batch every {@code every}, for {@code loadFor}
 * or until stopped. A batch that fails is sent again with the same idempotency keys until it is
 * acknowledged, so an enqueue that committed before its reply was lost is never doubled. Every call
 * is recorded with its wall-clock start, duration and outcome, for tests that judge the calls made
 * while the database was down.
 */
final class Producer implements Runnable {
  /**
   * One {@code enqueueAll} call: when it started, how long it took, and how it failed (or null).
   */
  record Call(Instant startedAt, long millis, String failure) {}

  final List<JobId> acknowledged = Collections.synchronizedList(new ArrayList<>());

  /** The payload of every acknowledged job, by id. */
  final Map<UUID, Work> payloads = new ConcurrentHashMap<>();

  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong batches = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong slowestMs = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Cluster cluster;
  private final String keyPrefix;
  private final int batch;
  private final Duration every;
  private final Duration loadFor;
  private final IntFunction<Work> payload;

  /**
   * @param name prefixes the idempotency keys (with a per-run suffix) and names the thread
   * @param loadFor how long to produce; null for until {@link #stop()}
   * @param payload the work of the job numbered n (called from the producer's thread only)
   */
  Producer(
      Cluster cluster,
      String name,
      int batch,
      Duration every,
      Duration loadFor,
      IntFunction<Work> payload) {
    this.cluster = cluster;
    this.keyPrefix = name + "-" + Long.toHexString(System.nanoTime()) + "-";
    this.batch = batch;
    this.every = every;
    this.loadFor = loadFor;
    this.payload = payload;
  }

  /** Starts producing on a thread of its own, which the caller joins. */
  Thread start() {
    return Thread.ofPlatform().name(keyPrefix + "producer").start(this);
  }

  /** Asks the producer to stop; a batch being retried is abandoned. */
  void stop() {
    stop.set(true);
  }

  /** Jobs acknowledged so far. */
  int acknowledgedCount() {
    return acknowledged.size();
  }

  /** Calls that started within [from, to], in order. */
  List<Call> callsBetween(Instant from, Instant to) {
    synchronized (calls) {
      return calls.stream()
          .filter(c -> !c.startedAt().isBefore(from) && !c.startedAt().isAfter(to))
          .toList();
    }
  }

  @Override
  public void run() {
    long end = loadFor == null ? Long.MAX_VALUE : System.nanoTime() + loadFor.toNanos();
    int n = 0;
    while (System.nanoTime() - end < 0 && !stop.get()) {
      long next = System.nanoTime() + every.toNanos();
      var requests = new ArrayList<JobRequest>();
      var works = new ArrayList<Work>();
      for (int i = 0; i < batch; i++, n++) {
        Work w = payload.apply(n);
        works.add(w);
        requests.add(
            JobRequest.of(Work.TYPE, w, JobOptions.defaults().idempotencyKey(keyPrefix + n)));
      }
      send(requests, works);
      batches.incrementAndGet();
      LockSupport.parkNanos(Math.max(0, next - System.nanoTime())); // pacing, not waiting
    }
  }

  private void send(List<JobRequest> requests, List<Work> works) {
    while (!stop.get()) {
      Instant startedAt = Instant.now();
      long t0 = System.nanoTime();
      String failure = null;
      try {
        List<JobId> ids = cluster.client().enqueueAll(requests);
        for (int i = 0; i < ids.size(); i++) {
          payloads.put(ids.get(i).value(), works.get(i));
        }
        acknowledged.addAll(ids);
        return;
      } catch (StoreUnavailableException e) {
        failure = e.getClass().getSimpleName();
      } catch (RuntimeException e) {
        // Recorded, not thrown: a test of an outage asserts that no call fails any other way.
        failure = e.getClass().getName() + ": " + e.getMessage();
      } finally {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        slowestMs.accumulateAndGet(ms, Math::max);
        calls.add(new Call(startedAt, ms, failure));
      }
      failures.incrementAndGet();
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }
}
