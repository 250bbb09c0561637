package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.node.Leadership;
import io.taskmill.schedule.MisfirePolicy;
import io.taskmill.schedule.ScheduleDefinition;
import io.taskmill.schedule.Trigger;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.fault.FaultInjectingStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schedules on PostgreSQL in real time, with nodes that stop and nodes that wrongly believe they
 * lead.
 *
 * <p>R9's dual-leader hook (docs/testing.md): while one node leads, a second is made to believe it
 * leads too — first under its own name with the current term, then with a forged copy of the
 * leader's very token. Every-second schedules in several zones still get exactly one job per tick
 * and no gap: the store's fencing refuses the first impostor, the schedule's version and the unique
 * tick key refuse the second.
 *
 * <p>R10: after every node was stopped, each misfire policy catches up exactly as it promises.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgScheduleClusterTest {
  private static final Duration LEASE = Duration.ofSeconds(4);
  private static final Duration PHASE = Duration.ofSeconds(5);
  private static final List<ScheduleDefinition> SCHEDULES =
      List.of(
          ScheduleDefinition.cron("cron-utc", "* * * * * *").job("r9.tick", new Tick("cron-utc")),
          ScheduleDefinition.cron("cron-kolkata", "* * * * * *")
              .zone("Asia/Kolkata")
              .job("r9.tick", new Tick("cron-kolkata")),
          ScheduleDefinition.cron("cron-new-york-2s", "*/2 * * * * *")
              .zone("America/New_York")
              .job("r9.tick", new Tick("cron-new-york-2s")),
          ScheduleDefinition.every("every-1s", Duration.ofSeconds(1))
              .job("r9.tick", new Tick("every-1s")));

  record Tick(String schedule) {}

  private String schema;
  private final List<Taskmill> engines = new ArrayList<>();
  private final List<Store> stores = new ArrayList<>();

  @BeforeEach
  void createSchema() {
    schema = PgStores.newSchema();
  }

  @AfterEach
  void cleanUp() {
    engines.forEach(Taskmill::close);
    stores.forEach(Store::close);
    PgStores.dropSchema(schema);
  }

  private Store store() {
    Store store =
        new JdbcStoreProvider()
            .open(
                new StoreSettings(
                    null, null, PgStores.url(schema), PgStores.USER, PgStores.PASSWORD, 4));
    stores.add(store);
    return store;
  }

  private Taskmill node(String id, Store store) {
    return node(id, store, SCHEDULES, Duration.ofMinutes(1));
  }

  private Taskmill node(
      String id, Store store, List<ScheduleDefinition> schedules, Duration misfireThreshold) {
    var builder =
        Taskmill.builder()
            .store(store)
            .nodeId(id)
            .leaseDuration(LEASE)
            .misfireThreshold(misfireThreshold)
            .queue("default", q -> q.concurrency(8))
            .handler("r9.tick", Tick.class, (p, ctx) -> {});
    schedules.forEach(builder::schedule);
    Taskmill tm = builder.start();
    engines.add(tm);
    return tm;
  }

  @Test
  void twoNodesBelievingTheyLeadStillFireEachTickExactlyOnce() throws Exception {
    Taskmill a = node("a", store());
    await().atMost(Duration.ofSeconds(10)).until(a.cluster()::isLeader);
    // Counting b's schedule writes shows the impostor really tried.
    var bStore = FaultInjectingStore.around(store()).build();
    Taskmill b = node("b", bStore);
    Leadership leader = a.cluster().leader().orElseThrow();
    await("ticks fire under one leader")
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("SELECT count(*) FROM tm_job WHERE schedule_name = 'cron-utc'") >= 2);

    long before = bStore.calls(StoreOp.SCHEDULE);
    bStore.impersonate(new LeaderTerm("b", leader.term()), PHASE);
    awaitPhase();
    long ownNameCalls = bStore.calls(StoreOp.SCHEDULE) - before;

    before = bStore.calls(StoreOp.SCHEDULE);
    bStore.impersonate(new LeaderTerm(leader.node(), leader.term()), PHASE);
    awaitPhase();
    long forgedCalls = bStore.calls(StoreOp.SCHEDULE) - before;
    // One more tick of every schedule under the true leader alone, so the last ticks of the
    // dual phase are judged too.
    Instant end = Instant.now().plusSeconds(2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Instant.now().isAfter(end)
                    && count(
                            "SELECT count(*) FROM tm_job WHERE schedule_name = 'cron-utc' AND run_at > '"
                                + end
                                + "'")
                        > 0);
    var triggers = new HashMap<String, Trigger>();
    for (ScheduleDefinition d : SCHEDULES) {
      triggers.put(d.name(), a.schedules().get(d.name()).orElseThrow().trigger());
    }
    engines.forEach(Taskmill::close);
    engines.clear();

    var report = new ArrayList<String>();
    for (ScheduleDefinition d : SCHEDULES) {
      Map<Instant, Integer> jobsPerTick = jobsPerTick(d.name());
      Instant first = jobsPerTick.keySet().iterator().next();
      Instant last = ((TreeMap<Instant, Integer>) jobsPerTick).lastKey();
      List<Instant> expected = new ArrayList<>(List.of(first));
      expected.addAll(triggers.get(d.name()).between(first, last, 10_000));
      report.add(d.name() + ": " + jobsPerTick.size() + " ticks " + first + ".." + last);
      assertThat(jobsPerTick.keySet())
          .as("ticks of %s with a job", d.name())
          .containsExactlyElementsOf(expected);
      assertThat(jobsPerTick.values()).as("jobs per tick of %s", d.name()).containsOnly(1);
    }
    System.out.printf(
        "R9 dual leader: impostor b made %d schedule writes under its own name and"
            + " %d with the leader's forged token; %s%n",
        ownNameCalls, forgedCalls, report);
    assertThat(ownNameCalls).as("b tried under its own name").isPositive();
    assertThat(forgedCalls).as("b tried with the forged token").isPositive();
  }

  @Test
  void afterEveryNodeStoppedEachMisfirePolicyCatchesUpExactlyAsPromised() throws Exception {
    Duration threshold = Duration.ofSeconds(1);
    var policies =
        Map.of(
            "skip",
            MisfirePolicy.skip(),
            "once",
            MisfirePolicy.fireOnce(),
            "three",
            MisfirePolicy.fireAll(3),
            "all",
            MisfirePolicy.fireAll(100));
    var schedules =
        policies.entrySet().stream()
            .map(
                e ->
                    ScheduleDefinition.cron(e.getKey(), "* * * * * *")
                        .job("r9.tick", new Tick(e.getKey()))
                        .misfire(e.getValue()))
            .toList();
    Store store = store();
    Taskmill first = node("a", store, schedules, threshold);
    await("ticks fire")
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("SELECT count(*) FROM tm_job WHERE schedule_name = 'skip'") >= 2);
    first.close();
    engines.remove(first);
    // The whole cluster is down for 6 s: six ticks of each schedule pass with nobody to fire them.
    Instant stoppedAt = Instant.now();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Duration.between(stoppedAt, Instant.now()).toSeconds() >= 6);
    Taskmill second = node("b", store, schedules, threshold);
    await("ticks fire again")
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM tm_job WHERE schedule_name = 'skip' AND created_at > '"
                            + stoppedAt.plusSeconds(6)
                            + "'")
                    >= 2);
    second.close();
    engines.remove(second);

    var caughtUp = new TreeMap<String, Long>();
    var missed = new TreeMap<String, Long>();
    for (String name : policies.keySet()) {
      // A catch-up job was created later than the threshold after its tick; an on-time one not.
      caughtUp.put(
          name,
          count(
              "SELECT count(*) FROM tm_job WHERE schedule_name = '"
                  + name
                  + "' AND created_at - run_at > interval '"
                  + threshold.toMillis()
                  + " milliseconds'"));
      missed.put(
          name,
          count(
              "SELECT count(*) FROM tm_schedule_run WHERE schedule_name = '"
                  + name
                  + "' AND outcome = 'MISSED'"));
      assertThat(jobsPerTick(name).values()).as("jobs per tick of %s", name).containsOnly(1);
    }
    // The ticks nobody fired on time: from the last before the stop to the first after the start.
    long lastBefore =
        count(
            "SELECT extract(epoch FROM max(run_at)) FROM tm_job WHERE "
                + "schedule_name = 'all' AND created_at < '"
                + stoppedAt
                + "'");
    long firstLate =
        count(
            "SELECT extract(epoch FROM min(run_at)) FROM tm_job WHERE "
                + "schedule_name = 'all' AND created_at > '"
                + stoppedAt
                + "' AND created_at - run_at "
                + "<= interval '"
                + threshold.toMillis()
                + " milliseconds'");
    long late = caughtUp.get("all");
    System.out.printf(
        "R10 threshold %d ms, cluster down about 6 s: catch-up jobs %s, MISSED "
            + "records %s; ticks between the last fired before the stop and the first on time after "
            + "it: %d%n",
        threshold.toMillis(), caughtUp, missed, firstLate - lastBefore - 1);
    assertThat(late)
        .as("FIRE_ALL(100) fires every late tick")
        .isEqualTo(firstLate - lastBefore - 1)
        .isGreaterThanOrEqualTo(4);
    assertThat(caughtUp.get("skip")).isZero();
    assertThat(caughtUp.get("once")).isEqualTo(1);
    assertThat(caughtUp.get("three")).isEqualTo(3);
    assertThat(missed)
        .containsEntry("skip", 1L)
        .containsEntry("once", 1L)
        .containsEntry("three", 1L)
        .containsEntry("all", 0L);
  }

  /** Lets a phase of {@link #PHASE} pass while the ticks keep coming. */
  private void awaitPhase() {
    Instant end = Instant.now().plus(PHASE);
    await()
        .atMost(PHASE.plusSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Instant.now().isAfter(end));
  }

  private Map<Instant, Integer> jobsPerTick(String schedule) throws SQLException {
    var ticks = new TreeMap<Instant, Integer>();
    try (Connection c = sql();
        var st =
            c.prepareStatement(
                "SELECT run_at, count(*) FROM tm_job WHERE schedule_name = ? GROUP BY run_at")) {
      st.setString(1, schedule);
      var rs = st.executeQuery();
      while (rs.next()) {
        ticks.put(rs.getTimestamp(1).toInstant(), rs.getInt(2));
      }
    }
    return ticks;
  }

  private Connection sql() throws SQLException {
    return PgStores.connect(PgStores.url(schema));
  }

  private long count(String query) throws SQLException {
    return PgStores.count(schema, query);
  }
}
