package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.job.Retry;
import io.taskmill.node.Leadership;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.store.TestJobs;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R6 of docs/testing.md: a node whose main connection pool is used up — by its own handlers, or by
 * anything else — must not look dead, lose its leases or its leadership, because heartbeats, lease
 * renewals and leader renewals use a reserved pool; once connections free up it claims again at
 * once; and failing jobs leak no connection.
 */
@ExtendWith(PgSessionTimeZone.class)
class PoolExhaustionTest {
  private static final Duration LEASE = Duration.ofSeconds(4);

  /** The main pool of R6: small, so a handful of holders empties it. */
  private static final int POOL = 5;

  /** Jobs running through the whole starvation, so their leases must be renewed meanwhile. */
  private static final int HOLDERS = 50;

  record Hold(int n) {}

  record Quick(int n) {}

  private String schema;
  private final List<Taskmill> engines = new ArrayList<>();
  private final List<JdbcStore> stores = new ArrayList<>();
  private final List<Connection> borrowed = new ArrayList<>();
  private final CountDownLatch releaseHolders = new CountDownLatch(1);

  @BeforeEach
  void createSchema() {
    schema = PgStores.newSchema();
  }

  @AfterEach
  void cleanUp() throws SQLException {
    releaseHolders.countDown();
    giveBack();
    engines.forEach(Taskmill::close);
    stores.forEach(JdbcStore::close);
    PgStores.dropSchema(schema);
  }

  private JdbcStore store() {
    var store =
        (JdbcStore)
            new JdbcStoreProvider()
                .open(
                    new StoreSettings(
                        null, null, PgStores.url(schema), PgStores.USER, PgStores.PASSWORD, POOL));
    stores.add(store);
    return store;
  }

  /** A node on a store of its own (so a pool of its own) serving {@code queue}. */
  private Taskmill node(String id, JdbcStore store, String queue, int concurrency) {
    Taskmill tm =
        Taskmill.builder()
            .store(store)
            .nodeId(id)
            .leaseDuration(LEASE)
            .rescueInterval(Duration.ofMillis(200))
            .queue(queue, q -> q.concurrency(concurrency))
            .handler("r6.hold", Hold.class, (p, ctx) -> releaseHolders.await())
            .handler("r6.quick", Quick.class, (p, ctx) -> {})
            .start();
    engines.add(tm);
    return tm;
  }

  /** Takes every connection of {@code store}'s main pool and keeps them until {@link #giveBack}. */
  private void starve(JdbcStore store) throws SQLException {
    for (int i = 0; i < POOL; i++) {
      borrowed.add(store.mainPool().connection());
    }
  }

  private void giveBack() throws SQLException {
    for (Connection c : borrowed) {
      c.close();
    }
    borrowed.clear();
  }

  private Connection sql() throws SQLException {
    return PgStores.connect(PgStores.url(schema));
  }

  private long count(String query) throws SQLException {
    return PgStores.count(schema, query);
  }

  @Test
  void aNodeWithItsPoolUsedUpKeepsItsLeasesAndLeadershipAndClaimsAtOnceWhenItFreesUp()
      throws Exception {
    JdbcStore leaderStore = store();
    JdbcStore workerStore = store();
    // The leader serves another queue, so "work" runs only on the starved worker; the observer
    // is healthy and would take over leadership if the starved leader's renewals failed.
    Taskmill leader = node("leader", leaderStore, "other", 4);
    await().atMost(Duration.ofSeconds(10)).until(leader.cluster()::isLeader);
    Taskmill worker = node("worker", workerStore, "work", HOLDERS + 10);
    JdbcStore observerStore = store();
    Taskmill observer = node("observer", observerStore, "other", 4);
    Leadership before = observer.cluster().leader().orElseThrow();

    List<JobId> holders = new ArrayList<>();
    for (int i = 0; i < HOLDERS; i++) {
      holders.add(worker.enqueue("r6.hold", new Hold(i), JobOptions.queue("work")));
    }
    await("the worker runs every holder")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count("SELECT count(*) FROM tm_job WHERE type = 'r6.hold' AND state = 'RUNNING'")
                    == HOLDERS);

    starve(leaderStore);
    starve(workerStore);
    Instant starvedAt = Instant.now();
    // Work that arrives meanwhile: the worker cannot claim it until its pool frees up.
    // Written through the healthy observer's store: engines refuse jobs for queues they do not
    // serve, and the worker's own enqueue would wait for its pool like its claims.
    var waiting = new ArrayList<NewJob>();
    for (int i = 0; i < 200; i++) {
      waiting.add(
          TestJobs.aJob()
              .type("r6.quick")
              .queue("work")
              .payload("{\"n\":" + i + "}")
              .runAt(starvedAt)
              .createdAt(starvedAt)
              .build());
    }
    ReadyWrites.insert(observerStore, waiting, "observer");
    var checks = new AtomicInteger();
    // Three leases without a main-pool connection: a node that renewed through that pool would
    // lose its leases twice over and its leadership, and be declared dead by the observer.
    await("3 leases pass with leases, leadership and node rows intact")
        .atMost(LEASE.multipliedBy(3).plusSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .during(LEASE.multipliedBy(3))
        .until(
            () -> {
              checks.incrementAndGet();
              return count("SELECT count(*) FROM tm_node WHERE state <> 'ALIVE'") == 0
                  && count("SELECT count(*) FROM tm_job_event WHERE message LIKE 'rescued%'") == 0
                  && count(
                          "SELECT count(*) FROM tm_job WHERE type = 'r6.hold' AND state = 'RUNNING' "
                              + "AND attempt = 1 AND lease_owner = 'worker' AND lease_expires_at > now()")
                      == HOLDERS
                  && observer
                      .cluster()
                      .leader()
                      .map(l -> l.term() == before.term() && l.node().equals("leader"))
                      .orElse(false);
            });
    long claimedWhileStarved =
        count("SELECT count(*) FROM tm_job WHERE type = 'r6.quick' " + "AND state <> 'ENQUEUED'");
    Duration starved = Duration.between(starvedAt, Instant.now());

    Instant freedAt = Instant.now();
    giveBack();
    await("every waiting job claimed")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM tm_job WHERE type = 'r6.quick' "
                            + "AND state = 'SUCCEEDED'")
                    == waiting.size());
    List<Long> pickupMs = new ArrayList<>();
    try (Connection c = sql();
        var st =
            c.prepareStatement(
                "SELECT min(e.at) FROM tm_job_event e "
                    + "JOIN tm_job j ON j.id = e.job_id WHERE j.type = 'r6.quick' AND e.to_state = 'RUNNING' "
                    + "GROUP BY j.id")) {
      var rs = st.executeQuery();
      while (rs.next()) {
        pickupMs.add(
            Math.max(0, Duration.between(freedAt, rs.getTimestamp(1).toInstant()).toMillis()));
      }
    }
    pickupMs.sort(null);
    long p50 = pickupMs.get(pickupMs.size() / 2);
    long p99 = pickupMs.get((int) Math.ceil(pickupMs.size() * 0.99) - 1);

    releaseHolders.countDown();
    await("every holder succeeds")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM tm_job WHERE type = 'r6.hold' "
                            + "AND state = 'SUCCEEDED' AND attempt = 1")
                    == HOLDERS);

    System.out.printf(
        "R6 pool=%d lease=%d ms: main pools of the leader and a worker running %d "
            + "jobs used up for %d ms (%d checks): nodes declared dead=%d, rescues=%d, "
            + "leader term %d -> %d; waiting jobs claimed while starved=%d; after the pool freed "
            + "up, claim p50=%d ms p99=%d ms (bound 1000 ms)%n",
        POOL,
        LEASE.toMillis(),
        HOLDERS,
        starved.toMillis(),
        checks.get(),
        count("SELECT count(*) FROM tm_node WHERE state = 'DEAD'"),
        count("SELECT count(*) FROM tm_job_event WHERE message LIKE 'rescued%'"),
        before.term(),
        observer.cluster().leader().orElseThrow().term(),
        claimedWhileStarved,
        p50,
        p99);
    assertThat(claimedWhileStarved).as("claims need a main-pool connection").isZero();
    assertThat(p99).as("claim p99 once connections free up, ms").isLessThanOrEqualTo(1_000);
    assertThat(observer.cluster().leader().orElseThrow().term()).isEqualTo(before.term());
    assertThat(worker.cluster().nodes())
        .allSatisfy(n -> assertThat(n.state().name()).isEqualTo("ALIVE"));
  }

  @Test
  void tenThousandFailingJobsLeaveNoConnectionBehind() throws Exception {
    JdbcStore store = store();
    Taskmill tm =
        Taskmill.builder()
            .store(store)
            .nodeId("leaky")
            .leaseDuration(LEASE)
            .queue("default", q -> q.concurrency(20))
            .handler(
                "r6.fail",
                Quick.class,
                (p, ctx) -> {
                  throw new IllegalStateException("handler failure " + p.n());
                })
            .start();
    engines.add(tm);
    int jobs = 10_000;
    var options = JobOptions.defaults().retry(Retry.none());
    for (int from = 0; from < jobs; from += 1_000) {
      tm.enqueueAll(
          IntStream.range(from, from + 1_000)
              .mapToObj(i -> JobRequest.of("r6.fail", new Quick(i), options))
              .toList());
    }
    await("every job dead")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> count("SELECT count(*) FROM tm_job WHERE state = 'DEAD'") == jobs);
    Instant drained = Instant.now();
    // Polling still borrows a connection now and then; none may stay out.
    await("the main pool's active count back to 0")
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> store.mainPool().activeConnections() == 0);
    System.out.printf(
        "R6 leak check: %d failing jobs on a pool of %d; active connections 0 "
            + "%d ms after the drain%n",
        jobs, POOL, Duration.between(drained, Instant.now()).toMillis());
  }
}
