package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.jdbc.PgSessionTimeZone;
import io.taskmill.job.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R1 and R2 of docs/testing.md, scaled to this machine: worker JVMs on the shared PostgreSQL killed
 * with SIGKILL mid-run. Nothing acknowledged is lost, only jobs the dead nodes had in flight run
 * twice, no outcome commits under a stale lease, and orphans are claimed again within the lease
 * bound.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class ProcessCrashTest {
  /** Slack on top of the derived bound, for JVMs and PostgreSQL sharing two busy cores. */
  private static final Duration SLACK = Duration.ofSeconds(3);

  private final long seed = Long.getLong("taskmill.test.seed", System.nanoTime());
  private final Random random = new Random(seed);

  @Test
  void killMinus9OfOneOfThreeNodesReRunsOnlyItsInFlightJobs() throws Exception {
    int jobs = 20_000;
    try (var cluster = Cluster.create(PgTarget.shared())) {
      Instant t0 = Instant.now();
      // 20-200 ms of work: enough that w1 has jobs in flight whenever it dies, short enough that
      // the run stays around a minute.
      List<JobId> ids = cluster.enqueue(jobs, i -> new Work(i, 20 + random.nextInt(181)));
      NodeSettings w1 = cluster.settings("w1");
      Instant enqueued = Instant.now();
      cluster.start(w1, cluster.settings("w2"), cluster.settings("w3"));
      Instant started = Instant.now();
      System.out.printf(
          "R1 enqueued %d jobs in %d ms; 3 nodes ready in %d ms%n",
          jobs,
          Duration.between(t0, enqueued).toMillis(),
          Duration.between(enqueued, started).toMillis());
      double killFraction = 0.2 + 0.4 * random.nextDouble();
      await("a random share of the jobs done")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> cluster.succeeded() >= jobs * killFraction);
      // A kill of a node with nothing in flight would prove nothing: make sure w1 is working.
      await("w1 runs jobs")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> !cluster.runningOn("w1").isEmpty());

      String leaderAtKill = cluster.client().cluster().leader().map(l -> l.node()).orElse("none");
      Instant killedAt = Instant.now();
      cluster.kill9("w1");
      // Read after the kill: w1 can commit nothing more, so what it still leases is exactly what
      // it had claimed and not yet finished (an outcome still committing makes this an upper
      // bound).
      Set<UUID> inFlight = cluster.runningOn("w1");
      long doneAtKill = cluster.succeeded();
      await("every job w1 had in flight claimed by another node")
          .atMost(w1.orphanBound().plus(Duration.ofSeconds(60)))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> cluster.reclaims(inFlight, "w1", killedAt).size() == inFlight.size());
      Map<UUID, Instant> reclaims = cluster.reclaims(inFlight, "w1", killedAt);
      Duration worstReclaim =
          reclaims.values().stream()
              .map(t -> Duration.between(killedAt, t))
              .max(Duration::compareTo)
              .orElse(Duration.ZERO);
      Instant reclaimedAt = Instant.now();
      cluster.awaitAllTerminal(Duration.ofSeconds(180));
      Instant finished = Instant.now();

      EffectLedger.Report report = cluster.report(ids);
      List<UUID> rescued = rescuedFrom(cluster, "w1");
      System.out.printf(
          "R1 seed=%d jobs=%d of 20-200 ms, nodes=3x32 slots, kill -9 of w1 at %d "
              + "done (%.0f%%), leader %s: in flight on w1=%d, rescued from w1=%d (%s), re-claimed "
              + "within %d ms (bound %d ms), %s; rate before kill %.0f jobs/s, after %.0f jobs/s%n",
          seed,
          jobs,
          doneAtKill,
          100.0 * doneAtKill / jobs,
          leaderAtKill,
          inFlight.size(),
          rescued.size(),
          cluster.rows(
              "SELECT DISTINCT message FROM tm_job_event WHERE message "
                  + "LIKE 'rescued from node w1:%'"),
          worstReclaim.toMillis(),
          w1.orphanBound().toMillis(),
          report,
          doneAtKill / seconds(started, killedAt),
          (jobs - doneAtKill) / seconds(killedAt, finished));
      assertThat(inFlight).as("jobs w1 had in flight when killed").isNotEmpty();
      assertThat(cluster.rows("SELECT state FROM tm_node WHERE id = 'w1'"))
          .as("w1's node row")
          .containsExactly("DEAD");
      assertThat(rescued)
          .as("jobs of the rescue events naming w1 (each once)")
          .containsExactlyInAnyOrderElementsOf(inFlight);
      assertThat(report.lost()).as("lost").isZero();
      assertThat(report.succeeded()).isEqualTo(jobs);
      assertThat(report.succeededWithoutEffect()).isZero();
      assertThat(report.staleCommits()).as("stale commits").isEmpty();
      assertThat(report.duplicatedJobs())
          .as("jobs run twice are jobs w1 had in flight")
          .isSubsetOf(inFlight);
      assertThat(report.duplicates()).isLessThanOrEqualTo(inFlight.size());
      assertThat(inFlight.size()).isLessThanOrEqualTo(w1.concurrency());
      assertThat(worstReclaim)
          .as("worst re-claim after the kill")
          .isLessThanOrEqualTo(w1.orphanBound().plus(SLACK));
      assertThat(reclaimedAt).isNotNull();
      assertThat(cluster.invariantViolations(w1.lease())).isEmpty();
    }
  }

  @Test
  void killMinus9OfAllThreeThenRestartFinishesEveryJob() throws Exception {
    int jobs = 5_000;
    try (var cluster = Cluster.create(PgTarget.shared())) {
      List<JobId> ids = cluster.enqueue(jobs, i -> new Work(i, random.nextInt(6)));
      cluster.start(cluster.settings("w1"), cluster.settings("w2"), cluster.settings("w3"));
      double killFraction = 0.2 + 0.4 * random.nextDouble();
      await("a random share of the jobs done")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> cluster.succeeded() >= jobs * killFraction);
      cluster.kill9("w1", "w2", "w3");
      Instant killedAt = Instant.now();
      var inFlight = new HashSet<UUID>();
      for (String n : List.of("w1", "w2", "w3")) {
        inFlight.addAll(cluster.runningOn(n));
      }
      long doneAtKill = cluster.succeeded();
      // New processes get new node ids, as a restarted process would.
      NodeSettings r1 = cluster.settings("w1b");
      var restarted = cluster.start(r1, cluster.settings("w2b"), cluster.settings("w3b"));
      Instant ready = Instant.now();
      await("first claim after the restart")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  cluster.count(
                          "SELECT count(*) FROM tm_job_event WHERE to_state = 'RUNNING'"
                              + " AND node IN ('w1b', 'w2b', 'w3b')")
                      > 0);
      Instant firstClaim = Instant.now();
      await("every orphan claimed again")
          .atMost(r1.orphanBound().plus(Duration.ofSeconds(60)))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> reclaimedByAny(cluster, inFlight, killedAt) == inFlight.size());
      Duration allOrphans = Duration.between(ready, Instant.now());
      cluster.awaitAllTerminal(Duration.ofSeconds(180));

      EffectLedger.Report report = cluster.report(ids);
      System.out.printf(
          "R2 seed=%d jobs=%d, kill -9 of all 3 at %d done: in flight=%d, restart ready "
              + "%d ms after the kill, first claim <= %d ms after ready, all orphans claimed <= %d ms "
              + "after ready (bound %d ms), %s%n",
          seed,
          jobs,
          doneAtKill,
          inFlight.size(),
          Duration.between(killedAt, ready).toMillis(),
          Duration.between(ready, firstClaim).toMillis(),
          allOrphans.toMillis(),
          r1.orphanBound().toMillis(),
          report);
      assertThat(restarted).allSatisfy(p -> assertThat(p.isAlive()).isTrue());
      assertThat(report.lost()).as("lost").isZero();
      assertThat(report.succeeded()).isEqualTo(jobs);
      assertThat(report.staleCommits()).as("stale commits").isEmpty();
      assertThat(report.duplicatedJobs()).isSubsetOf(inFlight);
      assertThat(report.duplicates()).isLessThanOrEqualTo(inFlight.size());
      assertThat(allOrphans).isLessThanOrEqualTo(r1.orphanBound().plus(SLACK));
      assertThat(cluster.invariantViolations(r1.lease())).isEmpty();
    }
  }

  /** The job of each rescue event naming {@code node} as the holder of the lease it took back. */
  private static List<UUID> rescuedFrom(Cluster cluster, String node) {
    var ids = new ArrayList<UUID>();
    for (String id :
        cluster.rows(
            "SELECT job_id FROM tm_job_event WHERE message LIKE "
                + "'rescued from node "
                + node
                + ": %'")) {
      ids.add(UUID.fromString(id));
    }
    return ids;
  }

  private static long reclaimedByAny(Cluster cluster, Set<UUID> jobs, Instant after) {
    return cluster.reclaims(jobs, "-", after).size();
  }

  private static double seconds(Instant from, Instant to) {
    return Math.max(1, Duration.between(from, to).toMillis()) / 1000.0;
  }
}
