package io.taskmill.jdbc;

import static io.taskmill.testkit.store.TestJobs.T0;
import static io.taskmill.testkit.store.TestJobs.TEST_NODE;
import static io.taskmill.testkit.store.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.internal.control.JobCommands;
import io.taskmill.internal.dispatch.Promotion;
import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.internal.schedule.TickWrites;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobState;
import io.taskmill.job.RetryResult;
import io.taskmill.node.Leadership;
import io.taskmill.schedule.JobTemplate;
import io.taskmill.schedule.MisfirePolicy;
import io.taskmill.schedule.OverlapPolicy;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun.Outcome;
import io.taskmill.schedule.Trigger;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.ScheduleFiring;
import io.taskmill.spi.ScheduleTick;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.spi.StoreTx;
import io.taskmill.testkit.FakeClock;
import io.taskmill.testkit.ManualEngine;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LISTEN/NOTIFY on PostgreSQL: a transaction that makes jobs ready (an enqueue, a promotion, a
 * schedule's tick or manual trigger, a manual retry) notifies their queues, and an engine polling
 * only once an hour still picks up jobs another node enqueued within seconds.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgListenNotifyTest {
  record Work(int n) {}

  private String schema;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void createSchema() {
    schema = PgStores.newSchema();
  }

  @AfterEach
  void closeAndDropSchema() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
    PgStores.dropSchema(schema);
  }

  private <T extends AutoCloseable> T closing(T c) {
    toClose.add(c);
    return c;
  }

  private Store store() {
    return closing(
        new JdbcStoreProvider()
            .open(
                new StoreSettings(
                    null, null, PgStores.url(schema), PgStores.USER, PgStores.PASSWORD, 2)));
  }

  @Test
  void transactionsThatMakeJobsReadyNotifyTheirQueuesOnce() {
    Store writer = store();
    Store reader = store();
    List<String> received = new CopyOnWriteArrayList<>();
    closing(reader.jobSubscribe(received::add));

    ReadyWrites.insert(
        writer,
        List.of(
            aJob().queue("mail").build(),
            aJob().queue("mail").build(),
            aJob().queue("reports").build(),
            aJob().queue("later").runAt(T0.plusSeconds(60)).build()),
        TEST_NODE);
    // Notifications arrive in commit order, so once the marker is in, everything before it is.
    ReadyWrites.insert(writer, List.of(aJob().queue("marker-1").build()), TEST_NODE);
    await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("marker-1"));
    // The channel is database-wide: leave out what other schemas' tests may have sent.
    assertThat(received)
        .filteredOn(Set.of("mail", "reports", "later", "marker-1")::contains)
        .containsExactly("mail", "reports", "marker-1");

    assertThat(Promotion.due(writer, T0.plusSeconds(60), 100, TEST_NODE)).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("later"));
  }

  /**
   * The engine that made jobs ready wakes its own dispatcher in process; a store's own
   * notifications would only cost it an empty claim, so its listener skips them.
   */
  @Test
  void aStoreIsNotNotifiedOfJobsItMadeReadyItselfButOthersAre() {
    Store writer = store();
    Store reader = store();
    List<String> own = new CopyOnWriteArrayList<>();
    List<String> other = new CopyOnWriteArrayList<>();
    closing(writer.jobSubscribe(own::add));
    closing(reader.jobSubscribe(other::add));

    ReadyWrites.insert(writer, List.of(aJob().queue("self-1").build()), TEST_NODE);
    ReadyWrites.insert(reader, List.of(aJob().queue("self-2").build()), TEST_NODE);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> other.contains("self-1") && own.contains("self-2"));
    assertThat(own).filteredOn(q -> q.startsWith("self-")).containsExactly("self-2");
    assertThat(other).filteredOn(q -> q.startsWith("self-")).containsExactly("self-1");
  }

  @Test
  void aPayloadNamesItsOriginThenTheQueueAndOneWithoutAnOriginIsAllQueue() {
    String self = "0b9c4d3e-1f2a-4b5c-8d6e-7f8091a2b3c4";
    String other = "9f8e7d6c-5b4a-4392-8180-7f6e5d4c3b2a";
    assertThat(PgListener.queueOf(PgListener.payloadPrefix(other) + "mail", self))
        .isEqualTo("mail");
    assertThat(PgListener.queueOf(PgListener.payloadPrefix(other) + "a:b", self)).isEqualTo("a:b");
    assertThat(PgListener.queueOf(PgListener.payloadPrefix(self) + "mail", self)).isNull();
    // a node of an earlier version sends the bare queue name
    assertThat(PgListener.queueOf("mail", self)).isEqualTo("mail");
  }

  @Test
  void firedTicksAndManualTriggersNotifyTheQueuesOfReadyJobs() {
    Store writer = store();
    Store reader = store();
    List<String> received = new CopyOnWriteArrayList<>();
    closing(reader.jobSubscribe(received::add));
    var template = new JobTemplate("test.work", "sched-fired", 0, "{}", 1, null, null, List.of());
    var schedule =
        new Schedule(
            "reports",
            Trigger.every(Duration.ofMinutes(1), T0),
            template,
            MisfirePolicy.fireOnce(),
            OverlapPolicy.ALLOW,
            false,
            T0,
            null,
            null,
            T0,
            T0,
            0);
    assertThat(writer.inTransaction(StoreOp.SCHEDULE, (StoreTx tx) -> tx.scheduleInsert(schedule)))
        .isTrue();
    Leadership l =
        writer.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(TEST_NODE, T0, Duration.ofSeconds(30)));
    var leader = new LeaderTerm(l.node(), l.term());

    assertThat(
            TickWrites.fire(
                writer,
                leader,
                T0,
                new ScheduleFiring(
                    "reports",
                    0,
                    List.of(
                        tick(T0, "sched-fired", T0), tick(T0.plusSeconds(60), "sched-later", T0)),
                    T0.plusSeconds(120))))
        .isTrue();
    // Refused: the version moved on, so nothing is written and nothing notified.
    assertThat(
            TickWrites.fire(
                writer,
                leader,
                T0,
                new ScheduleFiring(
                    "reports",
                    0,
                    List.of(tick(T0.plusSeconds(120), "sched-refused", T0)),
                    T0.plusSeconds(180))))
        .isFalse();
    ScheduleTick manual = tick(T0, "sched-manual", T0);
    assertThat(
            TickWrites.trigger(
                writer, "reports", new ScheduleTick(T0, Outcome.MANUAL, manual.job(), null), T0))
        .isTrue();
    ReadyWrites.insert(writer, List.of(aJob().queue("marker-2").build()), TEST_NODE);

    await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("marker-2"));
    assertThat(received)
        .filteredOn(q -> q.startsWith("sched-") || q.equals("marker-2"))
        .containsExactly("sched-fired", "sched-manual", "marker-2");
  }

  @Test
  void aManualRetryNotifiesTheJobsQueue() {
    Store writer = store();
    Store reader = store();
    JobId id = aJob().queue("retried").runAt(T0.plusSeconds(3600)).insert(writer).id();
    JobCommands.cancel(writer, id, T0, TEST_NODE, null);
    List<String> received = new CopyOnWriteArrayList<>();
    closing(reader.jobSubscribe(received::add));

    assertThat(JobCommands.retry(writer, id, T0.plusSeconds(1), TEST_NODE))
        .isEqualTo(RetryResult.RETRIED);
    // Refused (already ENQUEUED): nothing is notified.
    assertThat(JobCommands.retry(writer, id, T0.plusSeconds(2), TEST_NODE))
        .isEqualTo(RetryResult.NOT_RETRYABLE);
    ReadyWrites.insert(writer, List.of(aJob().queue("marker-3").build()), TEST_NODE);

    await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("marker-3"));
    assertThat(received)
        .filteredOn(Set.of("retried", "marker-3")::contains)
        .containsExactly("retried", "marker-3");
  }

  /** A fired tick at {@code fireAt} whose job goes to {@code queue}. */
  private static ScheduleTick tick(Instant fireAt, String queue, Instant now) {
    return new ScheduleTick(
        fireAt,
        Outcome.FIRED,
        aJob()
            .type("test.work")
            .queue(queue)
            .runAt(fireAt)
            .createdAt(now)
            .schedule("reports")
            .build(),
        null);
  }

  @Test
  void storesWithoutPushKeepTheDefaultSubscription() throws Exception {
    Store h2 =
        closing(
            new JdbcStoreProvider()
                .open(new StoreSettings(null, null, "jdbc:h2:mem:notify-" + schema, "sa", "", 2)));
    List<String> received = new CopyOnWriteArrayList<>();
    try (AutoCloseable sub = h2.jobSubscribe(received::add)) {
      ReadyWrites.insert(h2, List.of(aJob().build()), TEST_NODE);
    }
    assertThat(received).isEmpty();
  }

  private final Map<JobId, String> ranOn = new ConcurrentHashMap<>();

  /** Polls once an hour: only a notification can make it look for another node's jobs soon. */
  private Taskmill worker(String name) {
    return closing(builder(name).pollInterval(Duration.ofHours(1)).start());
  }

  private TaskmillBuilder builder(String name) {
    return Taskmill.builder()
        .jdbcUrl(PgStores.url(schema), PgStores.USER, PgStores.PASSWORD)
        .nodeId(name)
        .queue("default", q -> q.concurrency(2))
        .handler("test.work", Work.class, (p, ctx) -> ranOn.put(ctx.jobId(), name));
  }

  /** Node A enqueues but never runs anything: a manual engine that nobody drives. */
  private ManualEngine enqueuer() {
    return closing(ManualEngine.start(builder("node-a"), FakeClock.at(Instant.now())));
  }

  private void awaitRunOnB(JobId id, Duration within) {
    await().atMost(within).until(() -> ranOn.containsKey(id));
    assertThat(ranOn).containsEntry(id, "node-b");
  }

  @Test
  void anotherNodesEnqueueWakesAnIdleNodeAtOnce() {
    Taskmill b = worker("node-b");
    ManualEngine a = enqueuer();
    // The first job may still meet B's first poll; after it, B sleeps an hour unless notified.
    JobId first = a.enqueue("test.work", new Work(1), JobOptions.defaults());
    awaitRunOnB(first, Duration.ofSeconds(5));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> b.jobs().get(first).orElseThrow().state() == JobState.SUCCEEDED);

    for (int i = 2; i < 12; i++) {
      long start = System.nanoTime();
      JobId next = a.enqueue("test.work", new Work(i), JobOptions.defaults());
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> ranOn.containsKey(next));
      assertThat(ranOn).containsEntry(next, "node-b");
      System.out.printf("cross-node pickup took %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }
  }

  @Test
  void theListenerReconnectsAfterItsConnectionIsKilled() throws Exception {
    Taskmill b = worker("node-b");
    ManualEngine a = enqueuer();
    Set<Integer> before = listenerPids();
    assertThat(before).isNotEmpty();
    try (Connection c = PgStores.connect(PgStores.BASE_URL);
        var st = c.createStatement()) {
      st.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
              + PgListener.APPLICATION_NAME
              + "' AND datname = current_database()");
    }
    // A job enqueued before the listener is back would wait for the hourly poll: wait for it.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Set<Integer> now = listenerPids();
              return !now.isEmpty() && now.stream().noneMatch(before::contains);
            });

    JobId id = a.enqueue("test.work", new Work(3), JobOptions.defaults());
    awaitRunOnB(id, Duration.ofSeconds(10));
    assertThat(b.jobs().get(id)).isPresent();
  }

  /** Backends of listener connections that have finished their LISTEN. */
  private static Set<Integer> listenerPids() throws SQLException {
    var pids = new HashSet<Integer>();
    try (Connection c = PgStores.connect(PgStores.BASE_URL);
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE application_name = '"
                    + PgListener.APPLICATION_NAME
                    + "' AND state = 'idle' AND query LIKE 'LISTEN%'")) {
      while (rs.next()) {
        pids.add(rs.getInt(1));
      }
    }
    return pids;
  }
}
