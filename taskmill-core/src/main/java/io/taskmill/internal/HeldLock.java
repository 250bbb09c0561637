package io.taskmill.internal;

import io.taskmill.lock.Lock;
import io.taskmill.spi.LockRef;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One acquisition of a lock by one attempt. It leaves {@code HELD} once, to {@code RELEASED}
 * (closed, or its attempt ended) or {@code LOST} (a renewal found it gone); only a held lock is
 * renewed.
 */
final class HeldLock implements Lock {
  enum State {
    HELD,
    RELEASED,
    LOST
  }

  private final AttemptLocks owner;
  private final LockRef ref;
  private final AtomicReference<State> state = new AtomicReference<>(State.HELD);

  /** Until when the store granted it, by the engine's clock. */
  private volatile Instant expiresAt;

  HeldLock(AttemptLocks owner, LockRef ref, Instant expiresAt) {
    this.owner = owner;
    this.ref = ref;
    this.expiresAt = expiresAt;
  }

  LockRef ref() {
    return ref;
  }

  @Override
  public String name() {
    return ref.name();
  }

  @Override
  public long fencingToken() {
    return ref.token();
  }

  @Override
  public boolean isHeld() {
    // Past its expiry another node may take it, whether or not a renewal has said so yet.
    return state.get() == State.HELD && !owner.now().isAfter(expiresAt);
  }

  @Override
  public void close() {
    owner.release(this);
  }

  /** A renewal at {@code now} extended it. */
  void renewed(Instant now) {
    if (state.get() == State.HELD) {
      Instant until = now.plus(ref.ttl());
      if (until.isAfter(expiresAt)) {
        expiresAt = until;
      }
    }
  }

  /** True when this call moved it from held to released. */
  boolean markReleased() {
    return state.compareAndSet(State.HELD, State.RELEASED);
  }

  /** True when this call moved it from held to lost. */
  boolean markLost() {
    return state.compareAndSet(State.HELD, State.LOST);
  }

  /** Whether it is still held as far as the store last said, whatever the clock shows. */
  boolean isHeldState() {
    return state.get() == State.HELD;
  }

  /** A renewal found it taken or gone. */
  void lost() {
    owner.lost(this);
  }

  @Override
  public String toString() {
    return "Lock[" + ref.name() + " token " + ref.token() + " " + state.get() + "]";
  }
}
