package io.taskmill.internal;

import io.taskmill.internal.lease.Completion;
import io.taskmill.spi.JobCompletion;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes attempt outcomes to the store in batches. Whatever has arrived while the previous batch
 * was being written goes in the next one, so an idle engine writes each outcome at once and a busy
 * one writes hundreds per transaction.
 *
 * <p>An outcome is never dropped: when the store is unreachable the batch is retried with backoff
 * until it is written or the engine stops (its job then stays {@code RUNNING} until its lease
 * expires and the rescuer runs it again).
 */
final class Completer {
  private static final Logger log = LoggerFactory.getLogger(Completer.class);

  /**
   * Short, so outcomes held through an outage are written within about a second of the store's
   * return (before the leader's grace runs out and it takes back their leases); each failed try
   * also waits out the pool's connection timeout, so this costs the store little.
   */
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

  private final Store store;
  private final int batchSize;
  private final BiConsumer<JobCompletion, Boolean> afterWrite;
  private final Consumer<JobCompletion> onUnwritable;
  private final LinkedBlockingQueue<JobCompletion> pending = new LinkedBlockingQueue<>();
  private final Object idle = new Object();
  private volatile boolean stopping;
  private int inFlight; // guarded by idle
  private Thread thread;

  /**
   * @param afterWrite called for each completion after its batch committed, with whether it was
   *     applied (false: its lease had been lost)
   * @param onUnwritable called for a completion the store refuses for a reason retrying cannot fix
   *     (a data error); its job must be left to run again once its lease lapses
   */
  Completer(
      Store store,
      int batchSize,
      BiConsumer<JobCompletion, Boolean> afterWrite,
      Consumer<JobCompletion> onUnwritable) {
    this.store = store;
    this.batchSize = batchSize;
    this.afterWrite = afterWrite;
    this.onUnwritable = onUnwritable;
  }

  void submit(JobCompletion completion) {
    pending.add(completion);
  }

  /** Starts the writer thread (not used by the manual engine, which calls {@link #flush()}). */
  void start() {
    thread = Thread.ofPlatform().name("taskmill-completer").daemon().start(this::loop);
  }

  private void loop() {
    var batch = new ArrayList<JobCompletion>(batchSize);
    while (!stopping || !pending.isEmpty()) {
      try {
        JobCompletion first = pending.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        pending.drainTo(batch, batchSize - 1);
        synchronized (idle) {
          inFlight = batch.size();
        }
        writeWithRetry(batch);
      } catch (InterruptedException e) {
        if (stopping && pending.isEmpty()) {
          return;
        }
      } finally {
        batch.clear();
        synchronized (idle) {
          inFlight = 0;
          idle.notifyAll();
        }
      }
    }
  }

  private void writeWithRetry(List<JobCompletion> batch) throws InterruptedException {
    Duration backoff = Duration.ofMillis(50);
    long lastLog = 0;
    while (true) {
      try {
        write(batch);
        return;
      } catch (StoreUnavailableException e) {
        long now = System.nanoTime();
        // Rate-limited: an outage must not flood the log.
        if (now - lastLog > TimeUnit.SECONDS.toNanos(10)) {
          log.warn(
              "cannot write {} job outcomes ({}); retrying every {} until the store answers",
              batch.size(),
              e.getMessage(),
              MAX_BACKOFF);
          lastLog = now;
        }
        Thread.sleep(backoff.toMillis());
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      } catch (RuntimeException e) {
        if (batch.size() == 1) {
          // Retrying the same data cannot help; never let one outcome block all the others.
          log.error(
              "the store refused the outcome of job {} attempt {}; the job will run again"
                  + " once its lease lapses",
              batch.get(0).id(),
              batch.get(0).attempt(),
              e);
          onUnwritable.accept(batch.get(0));
          return;
        }
        // Find the one the store refuses by writing the rest one by one.
        for (JobCompletion c : batch) {
          writeWithRetry(List.of(c));
        }
        return;
      }
    }
  }

  private void write(List<JobCompletion> batch) {
    List<Boolean> applied = Completion.apply(store, batch);
    for (int i = 0; i < batch.size(); i++) {
      afterWrite.accept(batch.get(i), applied.get(i));
    }
  }

  /** Writes everything pending now, on the caller's thread (manual engine). */
  void flush() {
    var batch = new ArrayList<JobCompletion>();
    pending.drainTo(batch);
    for (int from = 0; from < batch.size(); from += batchSize) {
      try {
        writeWithRetry(batch.subList(from, Math.min(batch.size(), from + batchSize)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing job outcomes", e);
      }
    }
  }

  /** Writes what is pending, then stops; gives up (logging what is left) after {@code max}. */
  void stop(Duration max) throws InterruptedException {
    stopping = true;
    if (thread == null) {
      flush();
      return;
    }
    thread.join(max.toMillis() + 1);
    if (thread.isAlive()) {
      thread.interrupt();
      log.error(
          "{} job outcomes could not be written before shutdown; their jobs will run again"
              + " once their leases expire",
          pending.size() + inFlight);
    }
  }
}
