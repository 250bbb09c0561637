package io.taskmill.engine;

/** Payload records shared by the engine tests. */
final class Payloads {
  private Payloads() {}

  record ResizeImage(String path, int width) {}

  record Step(String name) {}

  record Nothing() {}

  /** A handler's stand-in for a long task: returns only by being interrupted. */
  static void blockUntilInterrupted() throws InterruptedException {
    new java.util.concurrent.CountDownLatch(1).await();
  }

  /** A handler's stand-in for {@code d} of busy work (it yields the carrier, as real I/O would). */
  static void work(java.time.Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
