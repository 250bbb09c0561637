package io.taskmill.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A coalescing wake-up signal: any number of {@link #signal()} calls before the waiter looks
 * collapse into one wake-up, so a burst of enqueues costs one dispatch pass, not one each.
 */
final class Wakeup {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean pending;

  /** Wakes the waiter now, or makes its next wait return at once. */
  void signal() {
    lock.lock();
    try {
      pending = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until signalled or {@code max} passes; clears the signal. */
  void await(Duration max) throws InterruptedException {
    lock.lock();
    try {
      long nanos = max.toNanos();
      while (!pending && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      pending = false;
    } finally {
      lock.unlock();
    }
  }
}
