package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.jdbc.JdbcStoreProvider;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobState;
import io.taskmill.job.Retry;
import io.taskmill.lock.Lock;
import io.taskmill.lock.LockTimeoutException;
import io.taskmill.spi.LockHolder;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.spi.StoreTx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Named locks on the real engine (H2): release at the end of every attempt, waiting, validation.
 */
class LocksTest {
  private static final String NAME = "folder-A";
  private static final Duration TTL = Duration.ofSeconds(30);

  private final String dbName = "locks-" + UUID.randomUUID();

  /** The engine's store, shared so tests can act as another node holding or taking locks. */
  private final Store store =
      new JdbcStoreProvider().open(new StoreSettings(null, dbName, null, null, null, 4));

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** A holder that is not the engine: a job on another node, possibly dead. */
  private static LockHolder elsewhere() {
    return new LockHolder("node-elsewhere", JobId.newId(0), 1);
  }

  private boolean free(String name) {
    return store
        .inTransaction(
            StoreOp.LOCK,
            tx -> tx.lockAcquire(name, elsewhere(), Instant.now(), Duration.ofSeconds(1)))
        .isPresent();
  }

  @Test
  void aLockTheHandlerDidNotCloseIsReleasedWhenTheJobSucceeds() {
    var token = new AtomicReference<Long>();
    try (Taskmill tm =
        Taskmill.builder()
            .store(store)
            .handler(
                "test.forget",
                Step.class,
                (p, ctx) ->
                    token.set(
                        ctx.locks().acquire(NAME, TTL, Duration.ofSeconds(10)).fencingToken()))
            .start()) {
      JobId id = tm.enqueue("test.forget", new Step("x"));
      Await.state(tm, id, JobState.SUCCEEDED);
      assertThat(token.get()).isEqualTo(1L);
      // Released before the outcome was written, so no waiting here.
      assertThat(
              store.inTransaction(
                  StoreOp.LOCK,
                  (StoreTx tx) -> tx.lockAcquire(NAME, elsewhere(), Instant.now(), TTL)))
          .hasValue(2);
    }
  }

  @Test
  void locksAreReleasedWhenTheAttemptFailsTimesOutOrIsCancelled() throws Exception {
    try (Taskmill tm =
        Taskmill.builder()
            .store(store)
            .handler(
                "test.fail",
                Step.class,
                (p, ctx) -> {
                  ctx.locks().tryAcquire(p.name(), TTL).orElseThrow();
                  throw new IllegalStateException("boom");
                })
            .handler(
                "test.block",
                Step.class,
                (p, ctx) -> {
                  ctx.locks().tryAcquire(p.name(), TTL).orElseThrow();
                  Payloads.blockUntilInterrupted();
                })
            .start()) {
      JobId failed =
          tm.enqueue("test.fail", new Step("failed"), JobOptions.defaults().retry(Retry.none()));
      JobId timedOut =
          tm.enqueue(
              "test.block",
              new Step("timed-out"),
              JobOptions.defaults().timeout(Duration.ofMillis(300)).retry(Retry.none()));
      Await.state(tm, failed, JobState.DEAD);
      Await.state(tm, timedOut, JobState.DEAD);
      assertThat(free("failed")).as("after a failure").isTrue();
      assertThat(free("timed-out")).as("after a timeout").isTrue();
    }
    var blocking = new CountDownLatch(1);
    try (Taskmill tm =
        Taskmill.builder()
            .store(store)
            .handler(
                "test.block",
                Step.class,
                (p, ctx) -> {
                  ctx.locks().tryAcquire(p.name(), TTL).orElseThrow();
                  blocking.countDown();
                  Payloads.blockUntilInterrupted();
                })
            .start()) {
      JobId cancelled = tm.enqueue("test.block", new Step("cancelled"));
      assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
      tm.jobs().cancel(cancelled);
      Await.state(tm, cancelled, JobState.CANCELLED);
      assertThat(free("cancelled")).as("after a cancel").isTrue();
    }
  }

  @Test
  void aHandlerIgnoringItsTimeoutKeepsItsLocksUntilItReallyReturns() {
    var release = new CountDownLatch(1);
    try (Taskmill tm =
        Taskmill.builder()
            .store(store)
            .timeoutGrace(Duration.ofMillis(100))
            .shutdownGrace(Duration.ofSeconds(10))
            .handler(
                "test.stubborn",
                Step.class,
                (p, ctx) -> {
                  ctx.locks().tryAcquire(NAME, TTL).orElseThrow();
                  while (true) {
                    try {
                      if (release.await(10, TimeUnit.MILLISECONDS)) {
                        return;
                      }
                    } catch (InterruptedException swallowed) {
                      // still working on the folder
                    }
                  }
                })
            .start()) {
      JobId id =
          tm.enqueue(
              "test.stubborn",
              new Step("x"),
              JobOptions.defaults().timeout(Duration.ofMillis(100)).retry(Retry.none()));
      Await.state(tm, id, JobState.DEAD);
      assertThat(free(NAME)).as("held while the abandoned handler still runs").isFalse();

      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> free(NAME));
    }
  }

  @Test
  void takingALockTheAttemptAlreadyHoldsIsRefused() {
    var error = new AtomicReference<Throwable>();
    var tokens = new CopyOnWriteArrayList<Long>();
    try (Taskmill tm =
        Taskmill.builder()
            .store(store)
            .handler(
                "test.twice",
                Step.class,
                (p, ctx) -> {
                  try (Lock first = ctx.locks().acquire(NAME, TTL, Duration.ZERO)) {
                    tokens.add(first.fencingToken());
                    try {
                      ctx.locks().tryAcquire(NAME, TTL);
                    } catch (IllegalStateException e) {
                      error.set(e);
                    }
                  }
                  // Closed, so this attempt may take it again, as a new acquisition.
                  try (Lock again = ctx.locks().tryAcquire(NAME, TTL).orElseThrow()) {
                    tokens.add(again.fencingToken());
                  }
                })
            .start()) {
      Await.state(tm, tm.enqueue("test.twice", new Step("x")), JobState.SUCCEEDED);
      assertThat(error.get())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("lock 'folder-A' is already held by this attempt")
          .hasMessageContaining("not reentrant");
      assertThat(tokens).containsExactly(1L, 2L);
    }
  }

  @Test
  void acquireGivesUpAfterItsWaitTimeoutWithLockTimeoutException() {
    store
        .inTransaction(
            StoreOp.LOCK,
            tx -> tx.lockAcquire(NAME, elsewhere(), Instant.now(), Duration.ofHours(1)))
        .orElseThrow();
    try (Taskmill tm =
        Taskmill.builder()
            .store(store)
            .handler(
                "test.wait",
                Step.class,
                (p, ctx) -> ctx.locks().acquire(NAME, TTL, Duration.ofMillis(300)))
            .start()) {
      JobId id = tm.enqueue("test.wait", new Step("x"), JobOptions.defaults().retry(Retry.none()));
      Job dead = Await.state(tm, id, JobState.DEAD);
      assertThat(dead.lastError())
          .startsWith(
              LockTimeoutException.class.getName()
                  + ": could not acquire lock 'folder-A' within PT0.3S");
    }
  }

  @Test
  void cancellingAJobInterruptsItsWaitForALock() throws Exception {
    store
        .inTransaction(
            StoreOp.LOCK,
            tx -> tx.lockAcquire(NAME, elsewhere(), Instant.now(), Duration.ofHours(1)))
        .orElseThrow();
    var waiting = new CountDownLatch(1);
    var thrown = new AtomicReference<Throwable>();
    try (Taskmill tm =
        Taskmill.builder()
            .store(store)
            .handler(
                "test.wait",
                Step.class,
                (p, ctx) -> {
                  waiting.countDown();
                  try {
                    ctx.locks().acquire(NAME, TTL, Duration.ofHours(1));
                  } catch (InterruptedException | RuntimeException e) {
                    thrown.set(e);
                    throw e;
                  }
                })
            .start()) {
      JobId id = tm.enqueue("test.wait", new Step("x"));
      assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
      tm.jobs().cancel(id);
      Await.state(tm, id, JobState.CANCELLED);
      assertThat(thrown.get()).isNotNull();
    }
  }

  @Test
  void aLockTheStoreNoLongerGrantsIsMarkedNotHeld() throws Exception {
    var acquired = new CountDownLatch(1);
    var done = new CountDownLatch(1);
    var lock = new AtomicReference<Lock>();
    try (Taskmill tm =
        Taskmill.builder()
            .store(store)
            .leaseDuration(Duration.ofSeconds(1)) // renewals every ~333 ms
            .handler(
                "test.hold",
                Step.class,
                (p, ctx) -> {
                  // A ttl far beyond the renewals, so only a renewal can find the lock gone.
                  lock.set(ctx.locks().acquire(NAME, TTL, Duration.ZERO));
                  acquired.countDown();
                  done.await();
                })
            .start()) {
      JobId id = tm.enqueue("test.hold", new Step("x"));
      assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(lock.get().isHeld()).isTrue();
      try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + dbName)) {
        c.createStatement().executeUpdate("DELETE FROM tm_lock"); // an operator cleared it
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> !lock.get().isHeld());
      done.countDown();
      Await.state(tm, id, JobState.SUCCEEDED);
      assertThat(tm.jobs().logs(id))
          .anySatisfy(
              line ->
                  assertThat(line.message()).startsWith("lost lock 'folder-A' (fencing token 1)"));
    }
  }

  @Test
  void badNamesTtlsAndWaitTimeoutsAreRefusedNamingTheParameter() {
    var messages = new CopyOnWriteArrayList<String>();
    try (Taskmill tm =
        Taskmill.builder()
            .store(store)
            .handler(
                "test.validate",
                Step.class,
                (p, ctx) -> {
                  String tooLong = "x".repeat(201);
                  for (String name :
                      new String[] {null, "", " ", "has space", "-leading", "ü", tooLong}) {
                    messages.add(refusal(() -> ctx.locks().tryAcquire(name, TTL)));
                  }
                  for (Duration ttl :
                      new Duration[] {null, Duration.ofMillis(999), Duration.ofSeconds(3601)}) {
                    messages.add(refusal(() -> ctx.locks().tryAcquire(NAME, ttl)));
                  }
                  for (Duration wait :
                      new Duration[] {null, Duration.ofMillis(-1), Duration.ofHours(25)}) {
                    messages.add(refusal(() -> ctx.locks().acquire(NAME, TTL, wait)));
                  }
                  // The bounds themselves are allowed.
                  ctx.locks()
                      .tryAcquire("x".repeat(200), Duration.ofSeconds(1))
                      .orElseThrow()
                      .close();
                  ctx.locks().acquire("a", Duration.ofHours(1), Duration.ofHours(24)).close();
                })
            .start()) {
      Await.state(tm, tm.enqueue("test.validate", new Step("x")), JobState.SUCCEEDED);
    }
    assertThat(messages).hasSize(13);
    assertThat(messages.subList(0, 7))
        .allSatisfy(
            m -> assertThat(m).startsWith("name ").contains("a lock name holds letters, digits"));
    assertThat(messages.get(3)).startsWith("name 'has space' is invalid");
    assertThat(messages.subList(7, 10))
        .allSatisfy(m -> assertThat(m).startsWith("ttl must be between PT1S and PT1H, was "));
    assertThat(messages.get(8)).endsWith("was PT0.999S");
    assertThat(messages.subList(10, 13))
        .allSatisfy(
            m -> assertThat(m).startsWith("waitTimeout must be between PT0S and PT24H, was "));
  }

  @FunctionalInterface
  private interface Call {
    Object run() throws Exception;
  }

  /** The message of the IllegalArgumentException {@code call} throws. */
  private static String refusal(Call call) {
    try {
      Object result = call.run();
      return "accepted: " + (result instanceof Optional<?> o ? o.orElse(null) : result);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    } catch (Exception e) {
      return "threw " + e;
    }
  }
}
