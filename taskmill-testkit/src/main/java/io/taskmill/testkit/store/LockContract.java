package io.taskmill.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.lease.LockWrites;
import io.taskmill.internal.lease.Renewals;
import io.taskmill.spi.LockHolder;
import io.taskmill.spi.LockRef;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Named locks: taking, contending, expiry, renewal and release, fencing tokens that only grow,
 * holders that were superseded, and one winner among concurrent takers.
 */
public abstract class LockContract extends StoreContractSupport {
  private static final String NAME = "folder-A";
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Instant EXPIRED = T0.plus(TTL).plusSeconds(1);

  private static LockHolder holder(String node) {
    return new LockHolder(node, TestJobs.nextId(T0), 1);
  }

  private final LockHolder mine = holder(NODE);
  private final LockHolder theirs = holder(OTHER_NODE);

  private OptionalLong acquire(String name, LockHolder holder, Instant now) {
    return store.inTransaction(StoreOp.LOCK, tx -> tx.lockAcquire(name, holder, now, TTL));
  }

  /** Takes {@code name} for {@code holder}, failing the test if it is refused. */
  private LockRef take(String name, LockHolder holder, Instant now) {
    OptionalLong token = acquire(name, holder, now);
    assertThat(token).as("lock " + name + " granted to " + holder).isPresent();
    return new LockRef(name, token.getAsLong(), holder, TTL);
  }

  @Test
  void aFreeLockIsGrantedWithTokenOne() {
    assertThat(acquire(NAME, mine, T0)).hasValue(1);
  }

  @Test
  void aHeldLockIsRefusedToEveryoneUntilItExpires() {
    take(NAME, mine, T0);

    assertThat(acquire(NAME, theirs, T0.plusSeconds(1))).as("another holder").isEmpty();
    assertThat(acquire(NAME, mine, T0.plusSeconds(1))).as("the holder itself").isEmpty();
    assertThat(acquire(NAME, theirs, T0.plus(TTL))).as("at the expiry instant").isEmpty();
  }

  @Test
  void locksOfDifferentNamesAreIndependent() {
    take(NAME, mine, T0);

    assertThat(acquire("folder-B", theirs, T0)).hasValue(1);
  }

  @Test
  void anExpiredLockCanBeTakenByAnyone() {
    take(NAME, mine, T0);

    assertThat(acquire(NAME, theirs, EXPIRED)).hasValue(2);
    assertThat(acquire(NAME, mine, EXPIRED)).as("now held by the other").isEmpty();
  }

  @Test
  void releasingFreesTheLockAtOnce() {
    LockRef lock = take(NAME, mine, T0);

    assertThat(LockWrites.release(store, List.of(lock))).isEqualTo(1);

    assertThat(acquire(NAME, theirs, T0)).hasValue(2);
  }

  @Test
  void tokensIncreaseWithEveryAcquisitionAcrossReleasesAndExpiry() {
    var tokens = new ArrayList<Long>();
    Instant now = T0;
    for (int i = 0; i < 3; i++) {
      LockRef lock = take(NAME, i % 2 == 0 ? mine : theirs, now);
      tokens.add(lock.token());
      LockWrites.release(store, List.of(lock));
    }
    tokens.add(take(NAME, mine, now).token());
    now = now.plus(TTL).plusSeconds(1); // the last one lapses instead of being released
    tokens.add(take(NAME, theirs, now).token());

    assertThat(tokens).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void renewingExtendsTheLockFromNow() {
    LockRef lock = take(NAME, mine, T0);
    Instant renewedAt = T0.plusSeconds(8);

    assertThat(
            store.keepAlive(
                StoreOp.LOCK, (StoreTx tx) -> Renewals.locks(tx, List.of(lock), renewedAt)))
        .containsExactly(true);

    Instant afterFirstExpiry = EXPIRED;
    assertThat(acquire(NAME, theirs, afterFirstExpiry)).as("held past its first expiry").isEmpty();
    assertThat(acquire(NAME, theirs, renewedAt.plus(TTL).plusSeconds(1))).hasValue(2);
  }

  @Test
  void renewingReportsEachLockInOrder() {
    LockRef held = take("a", mine, T0);
    LockRef released = take("b", mine, T0);
    LockWrites.release(store, List.of(released));
    LockRef lapsed = take("c", mine, T0);
    LockRef wrongToken = new LockRef(held.name(), held.token() + 1, mine, TTL);
    Instant now = T0.plusSeconds(5);
    // "c" expires at T0 + 10 s; renewing "a" first at T0 + 5 s keeps only "a" alive at T0 + 11 s.
    store.keepAlive(StoreOp.LOCK, tx -> Renewals.locks(tx, List.of(held), now));

    List<Boolean> renewed =
        store.keepAlive(
            StoreOp.LOCK,
            tx -> Renewals.locks(tx, List.of(lapsed, held, released, wrongToken), EXPIRED));

    assertThat(renewed).containsExactly(false, true, false, false);
  }

  @Test
  void aLapsedLockCannotBeRenewedEvenIfNobodyTookIt() {
    LockRef lock = take(NAME, mine, T0);

    assertThat(
            store.keepAlive(
                StoreOp.LOCK, (StoreTx tx) -> Renewals.locks(tx, List.of(lock), EXPIRED)))
        .containsExactly(false);
    assertThat(
            store.keepAlive(
                StoreOp.LOCK, (StoreTx tx) -> Renewals.locks(tx, List.of(lock), T0.plus(TTL))))
        .as("at the expiry instant")
        .containsExactly(true);
  }

  @Test
  void aStaleHolderCanNeitherRenewNorReleaseTheNewHoldersLock() {
    LockRef stale = take(NAME, mine, T0);
    LockRef current = take(NAME, theirs, EXPIRED);

    assertThat(
            store.keepAlive(
                StoreOp.LOCK, (StoreTx tx) -> Renewals.locks(tx, List.of(stale), EXPIRED)))
        .containsExactly(false);
    assertThat(LockWrites.release(store, List.of(stale))).isZero();

    assertThat(acquire(NAME, mine, EXPIRED.plusSeconds(1)))
        .as("still held by the new holder")
        .isEmpty();
    assertThat(
            store.keepAlive(
                StoreOp.LOCK,
                (StoreTx tx) -> Renewals.locks(tx, List.of(current), EXPIRED.plusSeconds(1))))
        .containsExactly(true);
  }

  @Test
  void aSupersededAttemptOfTheSameJobIsAnotherHolder() {
    var firstAttempt = new LockHolder(NODE, mine.jobId(), 1);
    var secondAttempt = new LockHolder(NODE, mine.jobId(), 2);
    take(NAME, firstAttempt, T0);
    LockRef current = take(NAME, secondAttempt, EXPIRED);

    assertThat(acquire(NAME, firstAttempt, EXPIRED)).isEmpty();
    var impostor = new LockRef(NAME, current.token(), firstAttempt, TTL);
    assertThat(
            store.keepAlive(
                StoreOp.LOCK, (StoreTx tx) -> Renewals.locks(tx, List.of(impostor), EXPIRED)))
        .containsExactly(false);
    assertThat(LockWrites.release(store, List.of(impostor))).isZero();
    assertThat(LockWrites.release(store, List.of(current))).isEqualTo(1);
  }

  @Test
  void emptyBatchesDoNothing() {
    assertThat(store.keepAlive(StoreOp.LOCK, (StoreTx tx) -> Renewals.locks(tx, List.of(), T0)))
        .isEmpty();
    assertThat(LockWrites.release(store, List.of())).isZero();
  }

  @Test
  void sixteenConcurrentTakersOfANewLockHaveExactlyOneWinner() throws Exception {
    assertThat(race(T0)).containsExactly(1L);
  }

  @Test
  void sixteenConcurrentTakersOfAnExpiredLockHaveExactlyOneWinner() throws Exception {
    take(NAME, mine, T0);

    assertThat(race(EXPIRED)).containsExactly(2L);
  }

  /** Sixteen holders ask for {@link #NAME} at once; returns the tokens granted. */
  private List<Long> race(Instant now) throws Exception {
    var go = new CountDownLatch(1);
    var futures = new ArrayList<Future<OptionalLong>>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (int i = 0; i < 16; i++) {
        LockHolder racer = holder("node-" + i);
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return acquire(NAME, racer, now);
                }));
      }
      go.countDown();
      var granted = new ArrayList<Long>();
      for (Future<OptionalLong> f : futures) {
        f.get().ifPresent(granted::add);
      }
      return granted;
    } finally {
      pool.shutdownNow();
    }
  }
}
