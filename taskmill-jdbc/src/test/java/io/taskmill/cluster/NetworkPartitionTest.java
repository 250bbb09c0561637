package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.jdbc.PgSessionTimeZone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R7 of docs/testing.md: one worker JVM runs in a network namespace of its own and is cut off from
 * a private PostgreSQL for 3 × its lease, then the link is restored. Its jobs are claimed by the
 * other nodes meanwhile; after the heal none of its outcomes for them applies, and it rejoins.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class NetworkPartitionTest {
  private static final Duration LEASE = Duration.ofSeconds(4);

  @Test
  void aPartitionedNodeLosesItsJobsToOthersAndCommitsNothingStaleAfterTheHeal() throws Exception {
    try (var ns = NetworkNamespace.create();
        var pg = PrivatePostgres.start(List.of(ns.hostAddress()), List.of(ns.cidr()));
        var cluster = Cluster.create(pg.target())) {
      NodeSettings w2 = cluster.settings("w2").withLease(LEASE).withConcurrency(4);
      NodeSettings w1 =
          w2.withNodeId("w1")
              .withDb(pg.target(ns.hostAddress()))
              .withLaunchPrefix(ns.launchPrefix());
      cluster.start(w1, w2, w2.withNodeId("w3"));
      var ids = new CopyOnWriteArrayList<>(cluster.enqueue(24, i -> new Work(i, 2_000)));
      await("w1 runs jobs")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  cluster.count("SELECT count(*) FROM effects WHERE node = 'w1'") > 0
                      && !cluster.runningOn("w1").isEmpty());

      ns.partition();
      Instant cutAt = Instant.now();
      Set<UUID> held = cluster.runningOn("w1");
      Duration cut = LEASE.multipliedBy(3);
      await("3 x lease passed and w1's jobs claimed elsewhere")
          .atMost(cut.plus(w1.orphanBound()).plusSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  Duration.between(cutAt, Instant.now()).compareTo(cut) >= 0
                      && cluster.reclaims(held, "w1", cutAt).size() == held.size());
      Map<UUID, Instant> reclaims = cluster.reclaims(held, "w1", cutAt);
      ns.heal();
      Instant healedAt = Instant.now();
      // New work after the heal shows whether w1 rejoined. It keeps coming until w1 claims some:
      // a single burst could be drained by w2 and w3 before w1's first beat after the heal, and
      // then w1 would have nothing left to claim however healthy it was.
      var fed = new AtomicInteger();
      await("w1 claims again after the heal")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (cluster.count(
                        "SELECT count(*) FROM tm_job_event WHERE node = 'w1' AND from_state"
                            + " = 'ENQUEUED' AND to_state = 'RUNNING' AND at > '"
                            + healedAt
                            + "'")
                    > 0) {
                  return true;
                }
                int first = 1_000 + fed.getAndAdd(20);
                ids.addAll(cluster.enqueue(20, i -> new Work(first + i, 20)));
                return false;
              });
      Duration rejoined = Duration.between(healedAt, Instant.now());
      cluster.awaitAllTerminal(Duration.ofSeconds(90));

      EffectLedger.Report report = cluster.report(ids);
      Duration worstReclaim =
          reclaims.values().stream()
              .map(t -> Duration.between(cutAt, t))
              .max(Duration::compareTo)
              .orElse(Duration.ZERO);
      long appliedByW1 =
          held.isEmpty()
              ? 0
              : cluster.count(
                  "SELECT count(*) FROM tm_job_event "
                      + "WHERE node = 'w1' AND from_state = 'RUNNING' AND to_state = 'SUCCEEDED' AND job_id IN ("
                      + String.join(",", held.stream().map(id -> "'" + id + "'").toList())
                      + ")");
      System.out.printf(
          "R7 lease=%d ms, w1 cut off %d ms holding %d jobs: re-claimed within %d ms "
              + "(bound %d ms), rejoined (first claim) %d ms after the heal; outcomes of held jobs "
              + "applied from w1=%d; %s%n",
          LEASE.toMillis(),
          Duration.between(cutAt, healedAt).toMillis(),
          held.size(),
          worstReclaim.toMillis(),
          w1.orphanBound().toMillis(),
          rejoined.toMillis(),
          appliedByW1,
          report);
      assertThat(held).as("w1 held jobs when cut off").isNotEmpty();
      assertThat(report.lost()).isZero();
      assertThat(report.succeeded()).isEqualTo(ids.size());
      assertThat(report.staleCommits()).as("stale commits").isEmpty();
      assertThat(appliedByW1).as("w1's outcomes for jobs re-claimed elsewhere").isZero();
      assertThat(report.duplicatedJobs()).isSubsetOf(held);
      assertThat(cluster.invariantViolations(LEASE)).isEmpty();
    }
  }
}
