package io.taskmill.internal;

import io.taskmill.job.Names;
import io.taskmill.lock.Lock;
import io.taskmill.lock.LockTimeoutException;
import io.taskmill.lock.Locks;
import io.taskmill.spi.LockHolder;
import io.taskmill.spi.LockRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Locks} of one attempt: takes locks for it, remembers which it holds, and releases them
 * all when the attempt ends ({@link #releaseAll()}), whether or not the handler closed them.
 */
final class AttemptLocks implements Locks {
  private static final Logger log = LoggerFactory.getLogger(AttemptLocks.class);
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** Waiters poll at least this often, so a released lock is taken soon after. */
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final NodeLocks node;
  private final LockHolder holder;
  private final Runnable checkStopped;
  private final Consumer<String> warn;

  /** Locks this attempt holds by name; guarded by {@code this}. */
  private final Map<String, HeldLock> mine = new HashMap<>();

  /** Set when the attempt ended; guarded by {@code this}. */
  private boolean ended;

  AttemptLocks(NodeLocks node, LockHolder holder, Runnable checkStopped, Consumer<String> warn) {
    this.node = node;
    this.holder = holder;
    this.checkStopped = checkStopped;
    this.warn = warn;
  }

  @Override
  public Optional<Lock> tryAcquire(String name, Duration ttl) {
    validate(name, ttl);
    return Optional.ofNullable(tryOnce(name, ttl));
  }

  @Override
  public Lock acquire(String name, Duration ttl, Duration waitTimeout) throws InterruptedException {
    validate(name, ttl);
    if (waitTimeout == null || waitTimeout.isNegative() || waitTimeout.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException(
          "waitTimeout must be between "
              + Duration.ZERO
              + " and "
              + MAX_WAIT
              + ", was "
              + waitTimeout);
    }
    long deadline = System.nanoTime() + waitTimeout.toNanos();
    long backoff = FIRST_BACKOFF_NANOS;
    while (true) {
      checkStopped.run();
      HeldLock lock = tryOnce(name, ttl);
      if (lock != null) {
        return lock;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for lock '" + name + "'");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new LockTimeoutException(name, waitTimeout);
      }
      // Jitter keeps the waiters of one lock from polling in step.
      long sleep =
          Math.min(left, backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
      TimeUnit.NANOSECONDS.sleep(sleep);
      backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
    }
  }

  private static void validate(String name, Duration ttl) {
    if (!Names.isLockName(name)) {
      throw new IllegalArgumentException(
          name == null
              ? "name must not be null: " + Names.LOCK_RULE
              : "name '" + name + "' is invalid: " + Names.LOCK_RULE);
    }
    if (ttl == null || ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException(
          "ttl must be between " + MIN_TTL + " and " + MAX_TTL + ", was " + ttl);
    }
  }

  /** One try at the store; null when another holder has it. */
  private HeldLock tryOnce(String name, Duration ttl) {
    HeldLock previous;
    synchronized (this) {
      checkNotEnded();
      previous = mine.get(name);
      if (previous != null && previous.isHeld()) {
        throw new IllegalStateException(
            "lock '"
                + name
                + "' is already held by this attempt"
                + " (fencing token "
                + previous.fencingToken()
                + "); locks are not reentrant, so close"
                + " it before taking it again");
      }
    }
    if (previous != null) {
      release(previous); // it lapsed: let go of whatever the store still records
    }
    Duration effective = node.effectiveTtl(ttl);
    Instant now = node.now();
    OptionalLong token = node.acquire(name, holder, now, effective);
    if (token.isEmpty()) {
      return null;
    }
    var lock =
        new HeldLock(
            this, new LockRef(name, token.getAsLong(), holder, effective), now.plus(effective));
    synchronized (this) {
      if (!ended) {
        mine.put(name, lock);
        node.register(lock);
        return lock;
      }
    }
    // The attempt ended while the store was granting it (a thread the handler left behind).
    release(lock);
    throw new IllegalStateException(
        "the attempt of job "
            + holder.jobId()
            + " has ended; its"
            + " locks can no longer be taken");
  }

  private void checkNotEnded() {
    if (ended) {
      throw new IllegalStateException(
          "the attempt of job "
              + holder.jobId()
              + " has ended; its"
              + " locks can no longer be taken");
    }
  }

  Instant now() {
    return node.now();
  }

  /** Releases one lock if it is still held; a failure leaves it to lapse after its ttl. */
  void release(HeldLock lock) {
    synchronized (this) {
      if (!lock.markReleased()) {
        return;
      }
      mine.remove(lock.name(), lock);
    }
    node.unregister(lock);
    try {
      node.release(List.of(lock.ref()));
    } catch (RuntimeException e) {
      warn.accept(
          "could not release lock '"
              + lock.name()
              + "' ("
              + e.getMessage()
              + "); it lapses "
              + lock.ref().ttl()
              + " after its last renewal");
    }
  }

  /** A renewal found the lock taken or gone; a lock released meanwhile is left alone. */
  void lost(HeldLock lock) {
    synchronized (this) {
      if (!lock.isHeldState()) {
        return;
      }
      // Written before the state changes, so a handler that sees the lock lost and returns finds
      // the line in its job's log.
      warn.accept(
          "lost lock '"
              + lock.name()
              + "' (fencing token "
              + lock.fencingToken()
              + "): it lapsed or was taken; another job may hold it now");
      lock.markLost();
      mine.remove(lock.name(), lock);
    }
    node.unregister(lock);
  }

  /**
   * The attempt ended: releases every lock it still holds in one store call, and refuses new ones.
   * Never throws; locks that could not be released lapse after their ttl.
   */
  void releaseAll() {
    var refs = new ArrayList<LockRef>();
    synchronized (this) {
      ended = true;
      for (HeldLock lock : mine.values()) {
        node.unregister(lock);
        if (lock.markReleased()) {
          refs.add(lock.ref());
        }
      }
      mine.clear();
    }
    try {
      node.release(refs);
    } catch (RuntimeException e) {
      log.warn(
          "could not release {} locks of job {} at the end of its attempt ({}); they lapse"
              + " after their ttl",
          refs.size(),
          holder.jobId(),
          e.getMessage());
    }
  }
}
