package io.taskmill.lock;

import io.taskmill.job.Names;
import java.time.Duration;
import java.util.Optional;

/**
 * Named locks a handler takes to keep other jobs off a shared resource while it works on it, on
 * this node and on every other node sharing the store; from {@code JobContext.locks()}.
 *
 * <p>Semantics:
 *
 * <ul>
 *   <li><b>One holder.</b> A name is held by at most one attempt of one job at a time. Any name
 *       matching {@link Names#LOCK_RULE} may be used; nothing needs declaring.
 *   <li><b>Held until released.</b> The engine renews a lock together with the job's lease while
 *       the attempt runs, so it is held for as long as the handler needs, past its {@code ttl}.
 *       Closing the {@link Lock} releases it; whatever the handler did not close is released when
 *       the attempt ends, however it ends (success, failure, timeout, cancel).
 *   <li><b>Lapses when its holder dies.</b> A lock that is not renewed (its node died or lost the
 *       database) lapses {@code ttl} after its last renewal, and then anyone may take it. Because
 *       locks are renewed on the lease schedule (every third of the builder's {@code
 *       leaseDuration}), a {@code ttl} shorter than {@code leaseDuration} is raised to it.
 *   <li><b>Not reentrant.</b> Asking for a name this attempt already holds throws {@link
 *       IllegalStateException}; a second attempt of the same job is another holder.
 *   <li><b>Fenced.</b> Every acquisition of a name gets a higher {@link Lock#fencingToken()}.
 *   <li><b>Time.</b> Expiry is judged by the engine's clock; waiting for a lock is real time.
 * </ul>
 *
 * <p>Names are validated ({@link Names#LOCK_RULE}), {@code ttl} must be 1 s to 1 h and {@code
 * waitTimeout} 0 to 24 h; a bad value throws {@link IllegalArgumentException} naming the parameter.
 */
public interface Locks {
  /** The shortest {@code ttl} accepted. */
  Duration MIN_TTL = Duration.ofSeconds(1);

  /** The longest {@code ttl} accepted. */
  Duration MAX_TTL = Duration.ofHours(1);

  /** The longest {@code waitTimeout} accepted. */
  Duration MAX_WAIT = Duration.ofHours(24);

  /**
   * Takes the lock if it is free (never held, released, or lapsed), without waiting.
   *
   * @param name the lock's name
   * @param ttl how long the lock outlives its holder if the holder stops renewing it
   * @return the lock, or empty when another job holds it
   * @throws IllegalStateException when this attempt already holds {@code name}, or has ended
   */
  Optional<Lock> tryAcquire(String name, Duration ttl);

  /**
   * Takes the lock, waiting up to {@code waitTimeout} while another job holds it (polling with a
   * backoff of at most 250 ms). Cancelling the job, its timeout and node shutdown interrupt the
   * wait.
   *
   * @param name the lock's name
   * @param ttl how long the lock outlives its holder if the holder stops renewing it
   * @param waitTimeout how long to wait; zero tries once
   * @throws LockTimeoutException when the lock stayed taken for the whole {@code waitTimeout}
   * @throws InterruptedException when the thread was interrupted while waiting
   * @throws java.util.concurrent.CancellationException when the job was cancelled, timed out or
   *     lost its lease while waiting
   * @throws IllegalStateException when this attempt already holds {@code name}, or has ended
   */
  Lock acquire(String name, Duration ttl, Duration waitTimeout) throws InterruptedException;
}
