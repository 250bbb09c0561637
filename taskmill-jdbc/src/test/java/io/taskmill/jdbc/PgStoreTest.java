package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.dispatch.Claim;
import io.taskmill.internal.dispatch.Promotion;
import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Ops.JobNextScheduledAt;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.spi.StoreTx;
import io.taskmill.testkit.store.TestJobs;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the contract suite cannot see on PostgreSQL: the session time zone, where the schema lands,
 * and several stores (nodes) sharing one database.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgStoreTest {
  private static final String TYPE = "test.noop";
  private static final Duration LEASE = Duration.ofSeconds(30);
  // America/New_York, 2026: clocks go back at 06:00Z on November 1 (01:00-02:00 local happens
  // twice) and forward at 07:00Z on March 8 (02:00-03:00 local never happens).
  private static final Instant FIRST_0130 = Instant.parse("2026-11-01T05:30:00.123456Z");
  private static final Instant SECOND_0130 = Instant.parse("2026-11-01T06:30:00.654321Z");
  private static final Instant FIRST_0145 = Instant.parse("2026-11-01T05:45:00Z");
  private static final Instant AFTER_GAP = Instant.parse("2026-03-08T07:00:00.000001Z");

  private String schema;
  private final List<Store> stores = new ArrayList<>();

  @BeforeEach
  void createSchema() {
    schema = PgStores.newSchema();
  }

  @AfterEach
  void dropSchema() {
    stores.forEach(Store::close);
    PgStores.dropSchema(schema);
  }

  private Store open() {
    Store store =
        new JdbcStoreProvider()
            .open(
                new StoreSettings(
                    null, null, PgStores.url(schema), PgStores.USER, PgStores.PASSWORD, 4));
    stores.add(store);
    return store;
  }

  @Test
  void sessionsRunInTheConfiguredNonUtcTimeZone() throws SQLException {
    try (Connection c = PgStores.connect(PgStores.url(schema));
        var rs = c.createStatement().executeQuery("SHOW TimeZone")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(PgStores.SESSION_TIME_ZONE);
    }
  }

  @Test
  void instantsAroundDaylightSavingChangesRoundTripExactly() {
    Store store = open();
    var inserted = new ArrayList<InsertedJob>();
    for (Instant t : List.of(FIRST_0130, SECOND_0130, AFTER_GAP)) {
      inserted.add(TestJobs.aJob().createdAt(t).runAt(t).insert(store));
    }

    for (int i = 0; i < inserted.size(); i++) {
      JobId id = inserted.get(i).id();
      Job job = store.read(StoreOp.READ, tx -> tx.first(new JobGetAll(List.of(id)))).orElseThrow();
      assertThat(job.runAt()).isEqualTo(inserted.get(i).runAt());
      assertThat(job.createdAt()).isEqualTo(inserted.get(i).runAt());
      assertThat(store.read(StoreOp.READ, tx -> tx.query(new JobEvents(job.id()))).getFirst().at())
          .isEqualTo(inserted.get(i).runAt());
    }
  }

  @Test
  void dueTimesCompareAsInstantsNotAsLocalClockTimes() {
    Store store = open();
    // 01:30 EST (second) is after 01:45 EDT (first), though its wall-clock time is earlier.
    InsertedJob later =
        TestJobs.aJob()
            .createdAt(FIRST_0130)
            .runAt(SECOND_0130)
            .state(JobState.ENQUEUED)
            .insert(store);
    InsertedJob scheduled = TestJobs.aJob().createdAt(FIRST_0130).runAt(SECOND_0130).insert(store);

    assertThat(claim(store, "node-a", FIRST_0145)).isEmpty();
    assertThat(Promotion.due(store, FIRST_0145, 10, "node-a")).isZero();
    assertThat(
            store.read(StoreOp.NEXT_SCHEDULED, (StoreTx tx) -> tx.first(new JobNextScheduledAt())))
        .contains(SECOND_0130);
    assertThat(Promotion.due(store, SECOND_0130, 10, "node-a")).isEqualTo(1);
    assertThat(claim(store, "node-a", SECOND_0130))
        .extracting(Job::id)
        .containsExactlyInAnyOrder(later.id(), scheduled.id());
  }

  @Test
  void theSchemaLandsInTheUrlsSchemaAndReopeningMigratesNothing() throws SQLException {
    TestJobs.aJob().insert(open());
    Store again = open();

    assertThat(again.read(StoreOp.READ, (StoreTx tx) -> tx.jobList(JobQuery.all(10)))).hasSize(1);
    assertThat(again.info().exclusive()).isFalse();
    assertThat(again.info().name()).isEqualTo("postgres");
    try (Connection c = PgStores.connect(PgStores.BASE_URL);
        var ps =
            c.prepareStatement(
                "SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = ? ORDER BY table_name")) {
      ps.setString(1, schema);
      var tables = new ArrayList<String>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables)
          .containsExactly(
              "tm_api_key",
              "tm_audit",
              "tm_job",
              "tm_job_event",
              "tm_job_log",
              "tm_leader",
              "tm_lock",
              "tm_node",
              "tm_outbox",
              "tm_queue",
              "tm_rate_window",
              "tm_schedule",
              "tm_schedule_run",
              "tm_schema_history",
              "tm_workflow_definition");
    }
    // A job names its schedule without an index: nothing hot reads it, every insert would pay.
    try (Connection c = PgStores.connect(PgStores.BASE_URL);
        var ps =
            c.prepareStatement(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = ? "
                    + "AND tablename = 'tm_job' AND indexdef LIKE '%schedule_name%'")) {
      ps.setString(1, schema);
      try (var rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }

  @Test
  void nodesWithTheirOwnStoresClaimConcurrentlyWithoutSharingAJob() throws Exception {
    List<Store> nodes = List.of(open(), open(), open());
    int total = 120;
    var batch = new ArrayList<NewJob>();
    for (int i = 0; i < total; i++) {
      batch.add(TestJobs.aJob().priority(i % 3).build());
    }
    ReadyWrites.insert(nodes.getFirst(), batch, "loader");

    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      var start = new CountDownLatch(1);
      var claimed = new ConcurrentLinkedQueue<JobId>();
      var futures = new ArrayList<Future<?>>();
      for (int t = 0; t < 6; t++) {
        Store store = nodes.get(t % nodes.size());
        String node = "node-" + t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Job> got;
                  do {
                    got = claim(store, node, TestJobs.T0);
                    got.forEach(j -> claimed.add(j.id()));
                  } while (!got.isEmpty());
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }

      assertThat(claimed).hasSize(total);
      assertThat(new HashSet<>(claimed)).hasSize(total);
      assertThat(
              nodes
                  .get(1)
                  .read(
                      StoreOp.READ,
                      (StoreTx tx) -> tx.jobList(JobQuery.all(1000).withState(JobState.RUNNING))))
          .hasSize(total)
          .allSatisfy(j -> assertThat(j.attempt()).isEqualTo(1));
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Job> claim(Store store, String node, Instant now) {
    return Claim.run(store, new JobClaim("default", 5, node, now, LEASE, Set.of(TYPE), Map.of()))
        .jobs();
  }
}
