package io.taskmill.bench;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "other node" of the cross-node measurements on a shared database: an engine that enqueues
 * probe jobs but never runs one, so each is picked up by a bench node that the store woke (LISTEN
 * and NOTIFY on PostgreSQL), not by a signal inside the enqueuing engine.
 *
 * <p>The public API has no enqueue-only node: an engine enqueues only types it has a handler for,
 * into queues it declares, and claims every such type from each of those queues. So the sender
 * declares the probe queue with one slot and fills that slot, for as long as it lives, with a job
 * only it can run; its dispatcher still promotes due jobs, as any node does.
 */
final class Sender implements AutoCloseable {
  static final String NODE_ID = "bench-sender";
  static final String HOLD = "bench.hold";

  /** Payload of the job that holds the sender's only probe slot. */
  public record Hold() {}

  private final CountDownLatch release = new CountDownLatch(1);
  private final CompletableFuture<Void> holding = new CompletableFuture<>();
  private final AtomicInteger ranHere = new AtomicInteger();
  private final Taskmill engine;

  /** Starts the sender on {@code builder}'s store and waits until its probe slot is held. */
  Sender(TaskmillBuilder builder, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    engine =
        builder
            .nodeId(NODE_ID)
            .queue(Probes.PROBE_QUEUE, q -> q.concurrency(1))
            .handler(
                HOLD,
                Hold.class,
                (p, ctx) -> {
                  holding.complete(null);
                  release.await();
                },
                h -> h.queue(Probes.PROBE_QUEUE))
            .handler(
                Probes.REMOTE,
                Probes.Mark.class,
                (p, ctx) -> ranHere.incrementAndGet(),
                h -> h.queue(Probes.PROBE_QUEUE))
            .handler(
                Probes.DELAYED,
                Probes.Mark.class,
                (p, ctx) -> ranHere.incrementAndGet(),
                h -> h.queue(Probes.PROBE_QUEUE))
            .start();
    try {
      engine.enqueue(HOLD, new Hold());
      holding.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The engine to enqueue probe jobs on. */
  Taskmill engine() {
    return engine;
  }

  /** Fails if the sender ran a probe job itself, which would make its figure a same-node one. */
  void checkRanNone() {
    if (ranHere.get() > 0) {
      throw new IllegalStateException(
          NODE_ID
              + " ran "
              + ranHere.get()
              + " probe job(s) it was"
              + " only meant to enqueue; the cross-node figures are not cross-node");
    }
  }

  @Override
  public void close() {
    release.countDown();
    engine.close();
  }
}
