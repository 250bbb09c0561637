package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.JobId;
import io.taskmill.jdbc.PgSessionTimeZone;
import java.time.Duration;
import java.time.Instant;
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
 * RELIABILITY R1 and R2, scaled to this machine: worker JVMs on the shared PostgreSQL killed with
 * SIGKILL mid-run. Nothing acknowledged is lost, only jobs the dead nodes had in flight run twice,
 * no outcome commits under a stale lease, and orphans are claimed again within the lease bound.
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
      List<JobId> ids = cluster.enqueue(jobs, i -> new Work(i, random.nextInt(6)));
      NodeSettings w1 = cluster.settings("w1");
      Instant enqueued = Instant.now();
      cluster.start(w1, cluster.settings("w2"), cluster.settings("w3"));
      Instant started = Instant.now();
      System.out.printf("R1 enqueued %d jobs in %d ms; 3 nodes ready in %d ms%n", jobs,
          Duration.between(t0, enqueued).toMillis(), Duration.between(enqueued, started).toMillis());
      double killFraction = 0.2 + 0.4 * random.nextDouble();
      await("a random share of the jobs done").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> cluster.succeeded() >= jobs * killFraction);

      Instant killedAt = Instant.now();
      cluster.node("w1").kill9();
      // Read after the kill: w1 can commit nothing more, so what it still leases is exactly what
      // it had claimed and not yet finished (an outcome still committing makes this an upper bound).
      Set<UUID> inFlight = cluster.runningOn("w1");
      long doneAtKill = cluster.succeeded();
      await("every job w1 had in flight claimed by another node")
          .atMost(w1.orphanBound().plus(Duration.ofSeconds(60))).pollInterval(Duration.ofMillis(100))
          .until(() -> cluster.reclaims(inFlight, "w1", killedAt).size() == inFlight.size());
      Map<UUID, Instant> reclaims = cluster.reclaims(inFlight, "w1", killedAt);
      Duration worstReclaim = reclaims.values().stream().map(t -> Duration.between(killedAt, t))
          .max(Duration::compareTo).orElse(Duration.ZERO);
      Instant reclaimedAt = Instant.now();
      cluster.awaitAllTerminal(Duration.ofSeconds(180));
      Instant finished = Instant.now();

      EffectLedger.Report report = cluster.report(ids);
      System.out.printf("R1 seed=%d jobs=%d nodes=3x32 slots, kill -9 of w1 at %d done (%.0f%%): "
              + "in flight on w1=%d, re-claimed within %d ms (bound %d ms), %s; "
              + "rate before kill %.0f jobs/s, after %.0f jobs/s%n",
          seed, jobs, doneAtKill, 100.0 * doneAtKill / jobs, inFlight.size(),
          worstReclaim.toMillis(), w1.orphanBound().toMillis(), report,
          doneAtKill / seconds(started, killedAt),
          (jobs - doneAtKill) / seconds(killedAt, finished));
      assertThat(report.lost()).as("lost").isZero();
      assertThat(report.succeeded()).isEqualTo(jobs);
      assertThat(report.succeededWithoutEffect()).isZero();
      assertThat(report.staleCommits()).as("stale commits").isEmpty();
      assertThat(report.duplicatedJobs()).as("jobs run twice are jobs w1 had in flight")
          .isSubsetOf(inFlight);
      assertThat(report.duplicates()).isLessThanOrEqualTo(inFlight.size());
      assertThat(inFlight.size()).isLessThanOrEqualTo(w1.concurrency());
      assertThat(worstReclaim).as("worst re-claim after the kill")
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
      await("a random share of the jobs done").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> cluster.succeeded() >= jobs * killFraction);
      for (String n : List.of("w1", "w2", "w3")) {
        cluster.node(n).kill9();
      }
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
      await("first claim after the restart").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> cluster.count("SELECT count(*) FROM tm_job_event WHERE to_state = 'RUNNING'"
              + " AND node IN ('w1b', 'w2b', 'w3b')") > 0);
      Instant firstClaim = Instant.now();
      await("every orphan claimed again").atMost(r1.orphanBound().plus(Duration.ofSeconds(60)))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> reclaimedByAny(cluster, inFlight, killedAt) == inFlight.size());
      Duration allOrphans = Duration.between(ready, Instant.now());
      cluster.awaitAllTerminal(Duration.ofSeconds(180));

      EffectLedger.Report report = cluster.report(ids);
      System.out.printf("R2 seed=%d jobs=%d, kill -9 of all 3 at %d done: in flight=%d, restart ready "
              + "%d ms after the kill, first claim <= %d ms after ready, all orphans claimed <= %d ms "
              + "after ready (bound %d ms), %s%n",
          seed, jobs, doneAtKill, inFlight.size(), Duration.between(killedAt, ready).toMillis(),
          Duration.between(ready, firstClaim).toMillis(), allOrphans.toMillis(),
          r1.orphanBound().toMillis(), report);
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

  private static long reclaimedByAny(Cluster cluster, Set<UUID> jobs, Instant after) {
    return cluster.reclaims(jobs, "-", after).size();
  }

  private static double seconds(Instant from, Instant to) {
    return Math.max(1, Duration.between(from, to).toMillis()) / 1000.0;
  }
}
