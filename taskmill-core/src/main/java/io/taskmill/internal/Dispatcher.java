package io.taskmill.internal;

import io.taskmill.internal.dispatch.Claim;
import io.taskmill.internal.dispatch.Promotion;
import io.taskmill.job.Job;
import io.taskmill.spi.ClaimedJobs;
import io.taskmill.spi.ClusterLimit;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.Ops.JobNextScheduledAt;
import io.taskmill.spi.Ops.QueuePausedNames;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims ready jobs and hands them to workers, from one thread so claims never race each other in
 * this process.
 *
 * <p>It sleeps until something can have changed: an in-process enqueue to a queue, a worker slot
 * freed on a queue that still has ready jobs, the next due {@code runAt}, or the poll interval
 * (only a fallback for work written by other processes), or the next window of a rate limit that
 * held jobs back. Latency therefore comes from signals, not from a polling period.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final int PROMOTE_BATCH = 1000;
  private static final Duration MAX_FAILURE_BACKOFF = Duration.ofSeconds(2);

  /** One warning per node per few seconds, however long the store stays away. */
  private static final Duration FAILURE_LOG_EVERY = Duration.ofSeconds(5);

  /** Load and state of one queue on this node. */
  static final class Lane {
    final String name;
    final int concurrency;
    final AtomicInteger running = new AtomicInteger();

    /** False once a claim came back short: the queue is drained until something new arrives. */
    volatile boolean maybeReady = true;

    /** Counts {@link #markReady} calls, so a signal during a claim is not erased by its result. */
    final AtomicLong readySignals = new AtomicLong();

    volatile boolean paused;

    /** When a rate limit that held back this lane's jobs opens its next window; null if none. */
    Instant retryAt;

    Lane(String name, int concurrency) {
      this.name = name;
      this.concurrency = concurrency;
    }

    /** Jobs may be ready: claim on the next pass. */
    void markReady() {
      readySignals.incrementAndGet();
      maybeReady = true;
    }

    /**
     * A claim that started after signal number {@code seen} came back short: the lane is drained,
     * unless a signal arrived meanwhile (a job enqueued while the claim ran may have missed it).
     */
    void drained(long seen) {
      maybeReady = false;
      if (readySignals.get() != seen) {
        maybeReady = true;
      }
    }
  }

  private final EngineConfig cfg;
  private final Store store;
  private final Registry registry;
  private final Consumer<Job> launcher;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final Map<String, Integer> typeLimits = new HashMap<>();
  private final Map<String, AtomicInteger> typeRunning = new ConcurrentHashMap<>();

  /** Cluster-wide limits by type, passed with every claim; the store enforces them. */
  private final Map<String, ClusterLimit> clusterLimits;

  private final Wakeup wakeup = new Wakeup();

  /** Earliest known due time of a SCHEDULED job; null when none is known. */
  private final AtomicReference<Instant> nextDue = new AtomicReference<>();

  /** Counts pauses and resumes made on this node, so a concurrent refresh cannot undo one. */
  private final AtomicLong localPauseChanges = new AtomicLong();

  private volatile boolean running;

  /** Set while this node's heartbeat fails: its leases may lapse, so it takes on no more work. */
  private volatile boolean claimsHeld;

  private Instant nextPoll = Instant.MIN;
  private Thread thread;

  Dispatcher(EngineConfig cfg, Registry registry, Consumer<Job> launcher) {
    this.cfg = cfg;
    this.store = cfg.store();
    this.registry = registry;
    this.launcher = launcher;
    cfg.queues().forEach((name, concurrency) -> lanes.put(name, new Lane(name, concurrency)));
    var limits = new HashMap<String, ClusterLimit>();
    for (HandlerDef d : cfg.handlers()) {
      if (d.info().maxConcurrency() != null) {
        typeLimits.put(d.type(), d.info().maxConcurrency());
        typeRunning.put(d.type(), new AtomicInteger());
      }
      if (d.info().clusterMaxConcurrency() != null || d.info().rateLimit() != null) {
        limits.put(
            d.type(), new ClusterLimit(d.info().clusterMaxConcurrency(), d.info().rateLimit()));
      }
    }
    this.clusterLimits = Map.copyOf(limits);
  }

  Map<String, Lane> lanes() {
    return lanes;
  }

  void start() {
    running = true;
    thread = Thread.ofPlatform().name("taskmill-dispatcher").daemon().start(this::loop);
  }

  /** Stops or restarts claiming while this node cannot prove it is alive. */
  void holdClaims(boolean hold) {
    claimsHeld = hold;
    if (!hold) {
      lanes.values().forEach(Lane::markReady);
      wakeup.signal();
    }
  }

  /** Stops claiming; returns once the dispatcher thread has left its loop. */
  void stop() throws InterruptedException {
    running = false;
    wakeup.signal();
    if (thread != null) {
      thread.join();
    }
  }

  private void loop() {
    Duration failureBackoff = Duration.ofMillis(100);
    long lastFailureLog = System.nanoTime() - FAILURE_LOG_EVERY.toNanos();
    int failuresSinceLog = 0;
    while (running) {
      Duration wait;
      long started = System.nanoTime();
      try {
        wait = dispatchOnce();
        failureBackoff = Duration.ofMillis(100);
      } catch (StoreUnavailableException e) {
        // A call that failed slowly has waited already: for a connection from a pool that was
        // used up, typically. Trying again at once is what lets claims start the moment one is
        // returned (R6, docs/testing.md); a call that failed fast (the database refused) backs off.
        Duration spent = Duration.ofNanos(System.nanoTime() - started);
        wait = spent.compareTo(failureBackoff) >= 0 ? Duration.ZERO : failureBackoff.minus(spent);
        failuresSinceLog++;
        long now = System.nanoTime();
        if (now - lastFailureLog >= FAILURE_LOG_EVERY.toNanos()) {
          log.warn(
              "store unavailable, claiming paused ({} failed passes in the last {} s): {}",
              failuresSinceLog,
              FAILURE_LOG_EVERY.toSeconds(),
              e.getMessage());
          lastFailureLog = now;
          failuresSinceLog = 0;
        }
        // Capped well under the 5 s in which processing must resume once the store is back.
        failureBackoff =
            failureBackoff.multipliedBy(2).compareTo(MAX_FAILURE_BACKOFF) > 0
                ? MAX_FAILURE_BACKOFF
                : failureBackoff.multipliedBy(2);
      } catch (RuntimeException e) {
        log.error("dispatch pass failed; retrying in 1s", e);
        wait = Duration.ofSeconds(1);
      }
      try {
        if (running) {
          wakeup.await(wait);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * One pass: promote due jobs, then claim for every queue with free slots and a chance of ready
   * jobs. Returns how long nothing can change without a signal.
   */
  Duration dispatchOnce() {
    if (claimsHeld) {
      return cfg.pollInterval();
    }
    Instant now = cfg.clock().instant();
    boolean poll = !now.isBefore(nextPoll);
    if (poll) {
      nextPoll = now.plus(cfg.pollInterval());
      refreshPaused();
      lanes.values().forEach(Lane::markReady);
    }
    for (Lane lane : lanes.values()) {
      if (lane.retryAt != null && !now.isBefore(lane.retryAt)) {
        lane.retryAt = null;
        lane.markReady();
      }
    }
    Instant due = nextDue.get();
    if (poll || due != null && !due.isAfter(now)) {
      promoteDue(now);
    }
    boolean more = false;
    for (Lane lane : lanes.values()) {
      if (lane.paused || !lane.maybeReady) {
        continue;
      }
      int free = lane.concurrency - lane.running.get();
      if (free <= 0) {
        continue;
      }
      int limit = Math.min(free, cfg.claimBatchSize());
      long seen = lane.readySignals.get();
      // A fresh instant per claim: a job enqueued while this pass ran is due for this claim.
      ClaimedJobs result =
          Claim.run(
              store,
              new JobClaim(
                  lane.name,
                  limit,
                  cfg.nodeId(),
                  cfg.clock().instant(),
                  cfg.leaseDuration(),
                  registry.types(),
                  typeRoom(),
                  clusterLimits));
      List<Job> claimed = result.jobs();
      Instant retryAt = result.retryAt();
      if (retryAt != null && (lane.retryAt == null || retryAt.isBefore(lane.retryAt))) {
        // A rate limit held jobs back: claim again when its window turns, not at the next poll.
        lane.retryAt = retryAt;
      }
      if (claimed.size() < limit) {
        lane.drained(seen);
      } else {
        more = true;
      }
      for (Job job : claimed) {
        lane.running.incrementAndGet();
        AtomicInteger t = typeRunning.get(job.type());
        if (t != null) {
          t.incrementAndGet();
        }
        launcher.accept(job);
      }
      if (claimed.size() < limit && !claimed.isEmpty() && trimmedByTypeLimit(claimed)) {
        // A per-type limit cut the claim short; other types may still be ready behind it.
        lane.markReady();
      }
    }
    if (more) {
      return Duration.ZERO;
    }
    Instant wakeAt = nextPoll;
    Instant next = nextDue.get();
    if (next != null && next.isBefore(wakeAt)) {
      wakeAt = next;
    }
    for (Lane lane : lanes.values()) {
      if (lane.retryAt != null && lane.retryAt.isBefore(wakeAt)) {
        wakeAt = lane.retryAt;
      }
    }
    Duration wait = Duration.between(cfg.clock().instant(), wakeAt);
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private boolean trimmedByTypeLimit(List<Job> claimed) {
    for (Job j : claimed) {
      if (typeLimits.containsKey(j.type())) {
        return true;
      }
    }
    return false;
  }

  private Map<String, Integer> typeRoom() {
    if (typeLimits.isEmpty()) {
      return Map.of();
    }
    var room = new HashMap<String, Integer>();
    typeLimits.forEach(
        (type, limit) -> room.put(type, Math.max(0, limit - typeRunning.get(type).get())));
    return room;
  }

  private void promoteDue(Instant now) {
    int moved;
    do {
      moved = Promotion.due(store, now, PROMOTE_BATCH, cfg.nodeId());
      if (moved > 0) {
        lanes.values().forEach(Lane::markReady);
      }
    } while (moved == PROMOTE_BATCH);
    // Re-read rather than guess: other writers (and this pass) change the earliest due time.
    nextDue.set(
        store.read(StoreOp.NEXT_SCHEDULED, tx -> tx.first(new JobNextScheduledAt())).orElse(null));
  }

  private void refreshPaused() {
    long seen = localPauseChanges.get();
    Set<String> paused =
        Set.copyOf(store.read(StoreOp.QUEUE, tx -> tx.query(new QueuePausedNames())));
    synchronized (localPauseChanges) {
      // A pause or resume made here while we read is newer than what we read: keep it.
      if (localPauseChanges.get() == seen) {
        lanes.values().forEach(l -> l.paused = paused.contains(l.name));
      }
    }
  }

  /** A job became ready in {@code queue} in this process. */
  void onReady(String queue) {
    Lane lane = lanes.get(queue);
    if (lane != null) {
      lane.markReady();
    }
    wakeup.signal();
  }

  /** A job will be due at {@code runAt}; wake then if that is sooner than anything known. */
  void onScheduled(Instant runAt) {
    Instant prev = nextDue.getAndAccumulate(runAt, (a, b) -> a == null || b.isBefore(a) ? b : a);
    if (prev == null || runAt.isBefore(prev)) {
      wakeup.signal();
    }
  }

  /**
   * A worker of {@code queue} running {@code type} finished; claim again if work may be waiting.
   */
  void onSlotFreed(String queue, String type) {
    Lane lane = lanes.get(queue);
    lane.running.decrementAndGet();
    AtomicInteger t = typeRunning.get(type);
    if (t != null) {
      t.decrementAndGet();
    }
    if (t != null || isClusterConcurrencyLimited(type)) {
      // Jobs of a limited type wait unclaimed while it is full, in whatever queue they are.
      lanes.values().forEach(Lane::markReady);
    }
    if (lane.maybeReady) {
      wakeup.signal();
    }
  }

  private boolean isClusterConcurrencyLimited(String type) {
    ClusterLimit limit = clusterLimits.get(type);
    return limit != null && limit.maxRunning() != null;
  }

  /** Pauses or resumes a lane locally (the store holds the shared switch). */
  void setPaused(String queue, boolean paused) {
    synchronized (localPauseChanges) {
      localPauseChanges.incrementAndGet();
      lanes.get(queue).paused = paused;
    }
    if (!paused) {
      onReady(queue);
    }
  }

  /** Jobs running on this node now, across queues. */
  int runningCount() {
    return lanes.values().stream().mapToInt(l -> l.running.get()).sum();
  }
}
