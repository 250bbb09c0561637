package io.taskmill.lock;

/**
 * A named lock held by one attempt of one job, taken with {@link Locks}; closing it releases it.
 *
 * <pre>{@code
 * try (Lock lock = ctx.locks().acquire("folder:" + p.folder(), Duration.ofMinutes(1), Duration.ofMinutes(5))) {
 *   compress(p.folder(), lock.fencingToken());
 * }
 * }</pre>
 */
public interface Lock extends AutoCloseable {
  /** The lock's name, as given to {@link Locks}. */
  String name();

  /**
   * A number that increases with every acquisition of this name, on every node sharing the store. A
   * resource that remembers the highest token it saw and refuses lower ones cannot be changed by a
   * holder that lost the lock without noticing (a long pause, a network partition).
   */
  long fencingToken();

  /**
   * True while this attempt holds the lock: false once it is closed, once a renewal found it taken
   * or gone, or once its expiry passed without a renewal (another job may hold it then). A lock can
   * be lost right after this returns true; {@link #fencingToken()} is what protects the resource.
   */
  boolean isHeld();

  /** Releases the lock; does nothing when it is already released or lost. Never throws. */
  @Override
  void close();
}
