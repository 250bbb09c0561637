package io.taskmill.internal;

import io.taskmill.internal.lease.LockWrites;
import io.taskmill.spi.LockHolder;
import io.taskmill.spi.LockRef;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The locks held by attempts on this node: the set {@link Leases} renews, and the one way lock
 * calls reach the store.
 *
 * <p>Store calls run on threads of their own, never on the handler's: cancel and timeout interrupt
 * handler threads, and an interrupt during file I/O closes H2's file channel for the whole database
 * (measured: every later statement failed with "IO Exception"), while one during socket I/O on a
 * virtual thread closes the pooled PostgreSQL connection. The handler waits for the call without
 * being interruptible and keeps its interrupt for afterwards; lock calls are short.
 */
final class NodeLocks implements AutoCloseable {
  private final EngineConfig cfg;
  private final Store store;
  private final Set<HeldLock> held = ConcurrentHashMap.newKeySet();
  private final ExecutorService calls =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("taskmill-lock-", 0).factory());

  NodeLocks(EngineConfig cfg) {
    this.cfg = cfg;
    this.store = cfg.store();
  }

  /**
   * The locks of one attempt.
   *
   * @param checkStopped throws when the attempt should stop (cancelled, timed out, lease lost)
   * @param warn writes a line to the job's log
   */
  AttemptLocks forAttempt(LockHolder holder, Runnable checkStopped, Consumer<String> warn) {
    return new AttemptLocks(this, holder, checkStopped, warn);
  }

  Instant now() {
    return cfg.clock().instant();
  }

  /**
   * The ttl a lock is taken and renewed with: renewals come every third of the lease duration, so a
   * shorter ttl would lapse between two of them.
   */
  Duration effectiveTtl(Duration ttl) {
    return ttl.compareTo(cfg.leaseDuration()) < 0 ? cfg.leaseDuration() : ttl;
  }

  OptionalLong acquire(String name, LockHolder holder, Instant now, Duration ttl) {
    return call(
        () -> store.inTransaction(StoreOp.LOCK, tx -> tx.lockAcquire(name, holder, now, ttl)));
  }

  void release(List<LockRef> locks) {
    if (!locks.isEmpty()) {
      call(() -> LockWrites.release(store, locks));
    }
  }

  void register(HeldLock lock) {
    held.add(lock);
  }

  void unregister(HeldLock lock) {
    held.remove(lock);
  }

  /** The locks to renew now. */
  List<HeldLock> held() {
    return List.copyOf(held);
  }

  /** Runs a store call on a thread of its own and waits for it without being interruptible. */
  private <T> T call(Supplier<T> storeCall) {
    Future<T> result;
    try {
      result = calls.submit(storeCall::get);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException(
          "this Taskmill engine is closed; its locks can no longer be"
              + " taken or released (they lapse after their ttl)",
          e);
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Refuses further store calls; locks still held lapse after their ttl. */
  @Override
  public void close() {
    calls.shutdown();
  }
}
