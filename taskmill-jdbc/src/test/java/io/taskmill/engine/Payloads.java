package io.taskmill.engine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/** Payload records shared by the engine tests. */
final class Payloads {
  private Payloads() {}

  record ResizeImage(String path, int width) {}

  record Step(String name) {}

  record Nothing() {}

  /** A handler's stand-in for a long task: returns only by being interrupted. */
  static void blockUntilInterrupted() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  /** A handler's stand-in for {@code d} of busy work (it yields the carrier, as real I/O would). */
  static void work(Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
