package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskmill.jdbc.PgSessionTimeZone;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.node.Leadership;
import io.taskmill.schedule.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R11 of docs/testing.md, scaled: one node's clock runs ten minutes fast and another's ten minutes
 * slow (libfaketime), the third is right. Delayed jobs start neither early nor late by the
 * database's clock, jobs longer than a lease are never taken from a live node, one leader keeps its
 * term, and every-second schedules get exactly one job per tick, none run before its tick.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class ClockSkewTest {
  private static final Path FAKETIME =
      Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
  private static final Duration LATE_BOUND = Duration.ofSeconds(2);

  /** The delayed jobs; the warm-up jobs were due when the client created them. */
  private static final String DELAYED = "j.run_at > j.created_at";

  private static final List<String> SCHEDULES =
      List.of("skew-cron|cron|* * * * * *|Europe/Berlin", "skew-interval|every|PT1S");

  private static String[] skewed(String offset) {
    return new String[] {
      "env",
      "LD_PRELOAD=" + FAKETIME,
      "FAKETIME=" + offset,
      "FAKETIME_DONT_FAKE_MONOTONIC=1",
      "FAKETIME_NO_CACHE=1"
    };
  }

  @Test
  void nodesWithSkewedClocksFollowTheDatabasesClock() throws Exception {
    assumeTrue(Files.exists(FAKETIME), "libfaketime is not installed (apt-get install faketime)");
    try (var cluster = Cluster.create(PgTarget.shared())) {
      // Every node declares the same every-second schedules; whichever leads fires them, by the
      // database's clock whatever its own says.
      NodeSettings s =
          cluster
              .settings("right")
              .withConcurrency(8)
              .withSchedules(SCHEDULES.toArray(String[]::new));
      // The fast node starts first and leads, so a skewed clock fires the schedules.
      cluster.start(s.withNodeId("fast").withLaunchPrefix(skewed("+600")));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  cluster
                      .client()
                      .cluster()
                      .leader()
                      .filter(l -> l.node().equals("fast"))
                      .isPresent());
      cluster.start(s.withNodeId("slow").withLaunchPrefix(skewed("-600")), s);
      Leadership leader = cluster.client().cluster().leader().orElseThrow();
      // Warm every node up first (JIT, pools, the ledger's connections): this test judges timing.
      var warmUp = cluster.enqueue(300, i -> new Work(-1 - i, 5));
      cluster.awaitAllTerminal(Duration.ofSeconds(60));

      // Delayed jobs due 1-4 s from now by the database's clock; a few run longer than a lease.
      Instant dbNow = cluster.dbNow();
      var requests = new ArrayList<JobRequest>();
      var random = ThreadLocalRandom.current();
      for (int i = 0; i < 150; i++) {
        int work = i % 30 == 0 ? (int) s.lease().multipliedBy(2).toMillis() : 20;
        requests.add(
            JobRequest.of(
                Work.TYPE,
                new Work(i, work),
                JobOptions.defaults().runAt(dbNow.plusMillis(1_000 + random.nextInt(3_000)))));
      }
      List<JobId> ids = new ArrayList<>(cluster.client().enqueueAll(requests));
      cluster.awaitAllTerminal(Duration.ofSeconds(90));
      Instant ticksUntil = cluster.dbNow().minusSeconds(2);

      long early =
          cluster.count(
              "SELECT count(*) FROM effects e JOIN tm_job j ON j.id = e.job_id"
                  + " WHERE e.attempt = 1 AND e.t < j.run_at AND "
                  + DELAYED);
      long late =
          cluster.count(
              "SELECT count(*) FROM effects e JOIN tm_job j ON j.id = e.job_id"
                  + " WHERE e.attempt = 1 AND e.t > j.run_at + interval '"
                  + LATE_BOUND.toMillis()
                  + " milliseconds' AND "
                  + DELAYED);
      long maxLateMs =
          cluster.count(
              "SELECT coalesce(max(extract(epoch FROM e.t - j.run_at)"
                  + " * 1000), 0)::bigint FROM effects e JOIN tm_job j ON j.id = e.job_id WHERE "
                  + DELAYED);
      long byNode =
          cluster.count(
              "SELECT count(DISTINCT node) FROM effects e JOIN tm_job j"
                  + " ON j.id = e.job_id WHERE "
                  + DELAYED);
      long rescues =
          cluster.count("SELECT count(*) FROM tm_job_event WHERE message LIKE 'rescued%'");
      Leadership end = cluster.client().cluster().leader().orElseThrow();
      ids.addAll(warmUp);
      EffectLedger.Report report = cluster.report(ids);
      System.out.printf(
          "R11: %d delayed jobs on nodes at +10 min, -10 min and 0: early=%d,"
              + " late>%d ms=%d, max lateness %d ms, nodes that ran jobs=%d, rescues=%d,"
              + " leader %s term %d -> %s term %d; %s%n",
          requests.size(),
          early,
          LATE_BOUND.toMillis(),
          late,
          maxLateMs,
          byNode,
          rescues,
          leader.node(),
          leader.term(),
          end.node(),
          end.term(),
          report);

      cluster
          .rows(
              "SELECT e.node, j.run_at, p.node AS promoted_by, p.at - j.run_at AS promote_lag,"
                  + " r.at - j.run_at AS claim_lag, e.t - j.run_at AS effect_lag FROM effects e"
                  + " JOIN tm_job j ON j.id = e.job_id"
                  + " LEFT JOIN tm_job_event p ON p.job_id = j.id AND p.to_state = 'ENQUEUED'"
                  + " LEFT JOIN tm_job_event r ON r.job_id = j.id AND r.to_state = 'RUNNING'"
                  + " WHERE e.t > j.run_at + interval '"
                  + LATE_BOUND.toMillis()
                  + " milliseconds' AND "
                  + DELAYED
                  + " ORDER BY j.run_at")
          .forEach(r -> System.out.println("R11 late: " + r));
      // Schedules: from the first tick after the warm-up to two seconds ago, each tick has exactly
      // one job, and each ran at or after its tick and within the bound, by the database's clock.
      var scheduleReport = assertOneJobPerTick(cluster, dbNow, ticksUntil);
      for (String declared : SCHEDULES) {
        String name = declared.substring(0, declared.indexOf('|'));
        long scheduleEarly =
            cluster.count(
                "SELECT count(*) FROM effects e JOIN tm_job j ON "
                    + "j.id = e.job_id WHERE j.schedule_name = '"
                    + name
                    + "' AND e.t < j.run_at");
        long scheduleLate =
            cluster.count(
                "SELECT count(*) FROM effects e JOIN tm_job j ON "
                    + "j.id = e.job_id WHERE j.schedule_name = '"
                    + name
                    + "' AND j.run_at > '"
                    + dbNow
                    + "' AND e.t > j.run_at + interval '"
                    + LATE_BOUND.toMillis()
                    + " milliseconds'");
        scheduleReport.add(name + ": early " + scheduleEarly + ", late " + scheduleLate);
        assertThat(scheduleEarly).as("%s jobs run before their tick", name).isZero();
        assertThat(scheduleLate)
            .as("%s jobs run later than %s after their tick", name, LATE_BOUND)
            .isZero();
      }
      System.out.println("R11 schedules led by " + leader.node() + ": " + scheduleReport);
      assertThat(early).as("jobs started before their runAt by the database's clock").isZero();
      assertThat(late).as("jobs started more than %s late", LATE_BOUND).isZero();
      // Whoever promotes a due job usually claims it too, so which nodes run the delayed jobs is
      // a race; two of the three always include a skewed one.
      assertThat(byNode)
          .as("nodes that ran delayed jobs, a skewed one among them")
          .isGreaterThanOrEqualTo(2);
      assertThat(rescues).as("leases taken from live nodes").isZero();
      assertThat(end)
          .extracting(Leadership::node, Leadership::term)
          .containsExactly(leader.node(), leader.term());
      assertThat(report.lost()).isZero();
      assertThat(report.duplicates()).isZero();
      assertThat(cluster.invariantViolations(s.lease())).isEmpty();
    }
  }

  /**
   * R12 of docs/testing.md: the leader's clock is stepped back ten minutes mid-run (an NTP step).
   * Its schedules fire each tick exactly once before and after the step, nothing is re-fired, and
   * no lease reaches further than one lease past the database's clock.
   */
  @Test
  void aClockSteppedBackOnTheLeaderReFiresNothingAndExtendsNoLease() throws Exception {
    assumeTrue(Files.exists(FAKETIME), "libfaketime is not installed (apt-get install faketime)");
    Path offset = Files.createTempFile("taskmill-faketime", ".rc");
    try (var cluster = Cluster.create(PgTarget.shared())) {
      Files.writeString(offset, "+0\n");
      NodeSettings s =
          cluster
              .settings("stepped")
              .withConcurrency(8)
              .withSchedules(SCHEDULES.toArray(String[]::new));
      cluster.start(
          s.withLaunchPrefix(
              "env",
              "LD_PRELOAD=" + FAKETIME,
              "FAKETIME_TIMESTAMP_FILE=" + offset,
              "FAKETIME_DONT_FAKE_MONOTONIC=1",
              "FAKETIME_NO_CACHE=1"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  cluster
                      .client()
                      .cluster()
                      .leader()
                      .filter(l -> l.node().equals("stepped"))
                      .isPresent());
      cluster.start(s.withNodeId("other"));
      Leadership leader = cluster.client().cluster().leader().orElseThrow();
      await("ticks fire")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  cluster.count("SELECT count(*) FROM tm_job WHERE schedule_name = 'skew-cron'")
                      >= 3);
      Instant from = cluster.dbNow();
      // Jobs of 2 s keep leases being renewed across the step.
      var ids = new ArrayList<>(cluster.enqueue(40, i -> new Work(i, 2_000)));
      Instant steppedAt = cluster.dbNow().plusSeconds(3);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.dbNow().isAfter(steppedAt));
      Files.writeString(offset, "-600\n");
      var furthestLease = new AtomicLong();
      Instant until = cluster.dbNow().plusSeconds(8);
      // Sampled every 200 ms for 8 s after the step: how far the furthest lease reaches.
      await("8 s after the step")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                furthestLease.accumulateAndGet(
                    cluster.count(
                        "SELECT coalesce(max(extract(epoch FROM "
                            + "lease_expires_at - now()) * 1000), 0)::bigint FROM tm_job WHERE state = "
                            + "'RUNNING'"),
                    Math::max);
                return cluster.dbNow().isAfter(until);
              });
      long furthestLeaseMs = furthestLease.get();
      ids.addAll(cluster.enqueue(20, i -> new Work(100 + i, 20)));
      cluster.awaitAllTerminal(Duration.ofSeconds(60));
      Instant ticksUntil = cluster.dbNow().minusSeconds(2);

      var scheduleReport = assertOneJobPerTick(cluster, from, ticksUntil);
      long twice =
          cluster.count(
              "SELECT count(*) FROM (SELECT schedule_name, run_at FROM tm_job "
                  + "WHERE schedule_name IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) t");
      long rescues =
          cluster.count("SELECT count(*) FROM tm_job_event WHERE message LIKE 'rescued%'");
      Leadership end = cluster.client().cluster().leader().orElseThrow();
      EffectLedger.Report report = cluster.report(ids);
      System.out.printf(
          "R12: leader %s's clock stepped back 10 min; %s; ticks fired twice=%d; "
              + "furthest lease %d ms past the database's clock (lease %d ms); rescues=%d; leader "
              + "%s term %d -> %s term %d; %s%n",
          leader.node(),
          scheduleReport,
          twice,
          furthestLeaseMs,
          s.lease().toMillis(),
          rescues,
          leader.node(),
          leader.term(),
          end.node(),
          end.term(),
          report);
      assertThat(twice).as("ticks fired twice").isZero();
      assertThat(furthestLeaseMs)
          .as("furthest lease past the database's clock, ms")
          .isLessThanOrEqualTo(s.lease().toMillis() + 1_000);
      assertThat(rescues).as("leases taken from live nodes").isZero();
      assertThat(end.term()).isEqualTo(leader.term());
      assertThat(report.lost()).isZero();
      assertThat(report.duplicates()).isZero();
    } finally {
      Files.deleteIfExists(offset);
    }
  }

  /**
   * Asserts that every tick of {@link #SCHEDULES} in {@code (from, until]} has exactly one job;
   * returns "name: ticks found/expected" for each.
   */
  private static List<String> assertOneJobPerTick(Cluster cluster, Instant from, Instant until) {
    var report = new ArrayList<String>();
    for (String declared : SCHEDULES) {
      String name = declared.substring(0, declared.indexOf('|'));
      Trigger trigger = cluster.client().schedules().get(name).orElseThrow().trigger();
      List<Instant> expected = trigger.between(from, until, 10_000);
      List<String> perTick =
          cluster.rows(
              "SELECT run_at, count(*) FROM tm_job WHERE "
                  + "schedule_name = '"
                  + name
                  + "' AND run_at > '"
                  + from
                  + "' AND run_at <= '"
                  + until
                  + "' GROUP BY run_at ORDER BY run_at");
      report.add(name + ": ticks " + perTick.size() + "/" + expected.size());
      assertThat(perTick)
          .as("ticks of %s, each with its job count", name)
          .hasSize(expected.size())
          .allSatisfy(row -> assertThat(row).endsWith("| 1"));
    }
    return report;
  }
}
