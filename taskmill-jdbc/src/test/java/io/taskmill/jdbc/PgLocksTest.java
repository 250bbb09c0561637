package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobId;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.lock.Lock;
import io.taskmill.spi.LockHolder;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Named locks across two engines (nodes) sharing one PostgreSQL schema: one holder at a time,
 * released when jobs end, renewed while held, lapsing when the holder stops renewing.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgLocksTest {
  record Folder(int n) {}

  private static final String FOLDER = "folder-A";

  private String schema;

  /** A third party on the same schema: a node that is not running an engine, or a dead one. */
  private Store other;

  @BeforeEach
  void createSchema() {
    schema = PgStores.newSchema();
    other =
        new JdbcStoreProvider()
            .open(
                new StoreSettings(
                    null, null, PgStores.url(schema), PgStores.USER, PgStores.PASSWORD, 2));
  }

  @AfterEach
  void dropSchema() {
    other.close();
    PgStores.dropSchema(schema);
  }

  private TaskmillBuilder node(String name) {
    return Taskmill.builder()
        .jdbcUrl(PgStores.url(schema), PgStores.USER, PgStores.PASSWORD)
        .nodeId(name)
        .pollInterval(Duration.ofMillis(50))
        .queue("default", q -> q.concurrency(4));
  }

  private static LockHolder elsewhere() {
    return new LockHolder("node-elsewhere", JobId.newId(0), 1);
  }

  private static long succeeded(Taskmill tm) {
    return tm.jobs().counts().stream()
        .filter(c -> c.state() == JobState.SUCCEEDED)
        .mapToLong(JobCount::count)
        .sum();
  }

  @Test
  void sixtyJobsOnTwoNodesNeverWorkOnTheFolderAtOnce() {
    var inside = new AtomicInteger();
    var maxInside = new AtomicInteger();
    var tokensInEntryOrder = new ArrayList<Long>(); // only touched while holding the lock
    var entries = new AtomicInteger();
    var runsByNode = new ConcurrentHashMap<String, AtomicInteger>();
    Map<String, Taskmill> nodes = new ConcurrentHashMap<>();
    for (String name : List.of("node-a", "node-b")) {
      nodes.put(
          name,
          node(name)
              .handler(
                  "media.compress",
                  Folder.class,
                  (p, ctx) -> {
                    Lock lock =
                        ctx.locks().acquire(FOLDER, Duration.ofSeconds(30), Duration.ofMinutes(2));
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    synchronized (tokensInEntryOrder) {
                      tokensInEntryOrder.add(lock.fencingToken());
                    }
                    entries.incrementAndGet();
                    runsByNode.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                    LockSupport.parkNanos(Duration.ofMillis(3).toNanos()); // compressing
                    inside.decrementAndGet();
                    if (p.n() % 3 != 0) {
                      lock.close(); // every third job forgets; the engine releases it when the job
                      // ends
                    }
                  })
              .start());
    }
    try (Taskmill a = nodes.get("node-a");
        Taskmill b = nodes.get("node-b")) {
      var requests = new ArrayList<JobRequest>();
      for (int i = 0; i < 60; i++) {
        requests.add(JobRequest.of("media.compress", new Folder(i)));
      }
      a.enqueueAll(requests);
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> succeeded(b) == 60);
    }
    assertThat(maxInside).as("jobs inside the folder at once").hasValue(1);
    assertThat(entries).hasValue(60);
    assertThat(runsByNode.keySet())
        .as("both nodes took part")
        .containsExactlyInAnyOrder("node-a", "node-b");
    synchronized (tokensInEntryOrder) {
      assertThat(tokensInEntryOrder).hasSize(60).isSorted().doesNotHaveDuplicates();
      assertThat(tokensInEntryOrder.getLast()).isEqualTo(60L);
    }
  }

  @Test
  void aLockIsFreeOnceItsJobSucceedsEvenIfTheHandlerDidNotCloseIt() {
    var token = new AtomicReference<Long>();
    try (Taskmill a =
        node("node-a")
            .handler(
                "media.compress",
                Folder.class,
                (p, ctx) ->
                    token.set(
                        ctx.locks()
                            .tryAcquire(FOLDER, Duration.ofMinutes(5))
                            .orElseThrow()
                            .fencingToken()))
            .start()) {
      JobId id = a.enqueue("media.compress", new Folder(1));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> a.jobs().get(id).orElseThrow().state() == JobState.SUCCEEDED);
      assertThat(
              other.inTransaction(
                  StoreOp.LOCK,
                  (StoreTx tx) ->
                      tx.lockAcquire(FOLDER, elsewhere(), Instant.now(), Duration.ofSeconds(1))))
          .as("another node takes it at once")
          .hasValue(token.get() + 1);
    }
  }

  @Test
  void aLockHeldByALongJobStaysHeldPastItsTtlThanksToRenewal() throws Exception {
    Duration ttl = Duration.ofSeconds(2);
    var acquired = new CountDownLatch(1);
    var finish = new CountDownLatch(1);
    var lock = new AtomicReference<Lock>();
    var heldAtTheEnd = new AtomicBoolean();
    try (Taskmill a =
        node("node-a")
            .leaseDuration(ttl) // lease and locks renewed every third of it
            .handler(
                "media.compress",
                Folder.class,
                (p, ctx) -> {
                  lock.set(ctx.locks().acquire(FOLDER, ttl, Duration.ZERO));
                  acquired.countDown();
                  finish.await();
                  heldAtTheEnd.set(lock.get().isHeld());
                  lock.get().close();
                })
            .start()) {
      JobId id = a.enqueue("media.compress", new Folder(1));
      assertThat(acquired.await(20, TimeUnit.SECONDS)).isTrue();

      // Two and a half ttls: without renewal the lock would have lapsed and been taken.
      await()
          .during(ttl.multipliedBy(5).dividedBy(2))
          .atMost(ttl.multipliedBy(5))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  lock.get().isHeld()
                      && other
                          .inTransaction(
                              StoreOp.LOCK,
                              tx -> tx.lockAcquire(FOLDER, elsewhere(), Instant.now(), ttl))
                          .isEmpty());

      finish.countDown();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> a.jobs().get(id).orElseThrow().state() == JobState.SUCCEEDED);
      assertThat(heldAtTheEnd).isTrue();
      assertThat(lock.get().isHeld()).as("after close").isFalse();
      assertThat(
              other.inTransaction(
                  StoreOp.LOCK,
                  (StoreTx tx) -> tx.lockAcquire(FOLDER, elsewhere(), Instant.now(), ttl)))
          .hasValue(2);
    }
  }

  @Test
  void aLockWhoseHolderStoppedRenewingLapsesAfterItsTtlAndIsTaken() {
    // A node took the lock and died: nobody renews it.
    assertThat(
            other.inTransaction(
                StoreOp.LOCK,
                (StoreTx tx) ->
                    tx.lockAcquire(FOLDER, elsewhere(), Instant.now(), Duration.ofSeconds(1))))
        .hasValue(1);
    var token = new AtomicReference<Long>();
    try (Taskmill a =
        node("node-a")
            .handler(
                "media.compress",
                Folder.class,
                (p, ctx) -> {
                  try (Lock lock =
                      ctx.locks().acquire(FOLDER, Duration.ofSeconds(30), Duration.ofSeconds(30))) {
                    token.set(lock.fencingToken());
                  }
                })
            .start()) {
      JobId id = a.enqueue("media.compress", new Folder(1));
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> a.jobs().get(id).orElseThrow().state() == JobState.SUCCEEDED);
      assertThat(token.get()).isEqualTo(2L);
    }
  }
}
