package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.jdbc.PgSessionTimeZone;
import io.taskmill.job.JobId;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R22 of docs/testing.md: a node frozen with SIGSTOP for 3 × its lease (a stand-in for a long GC
 * pause) loses its jobs to the other nodes; when it thaws, its handlers learn the lease is gone and
 * its outcomes are rejected by the lease-epoch fence, recorded as late completions.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class ProcessPauseTest {
  private static final Duration LEASE = Duration.ofSeconds(4);

  @Test
  void sigstopForThreeLeasesHasItsJobsRunElsewhereAndItsLateOutcomesRejected() throws Exception {
    try (var cluster = Cluster.create(PgTarget.shared())) {
      NodeSettings w1 = cluster.settings("w1").withLease(LEASE).withConcurrency(4);
      cluster.start(w1, w1.withNodeId("w2"), w1.withNodeId("w3"));
      List<JobId> ids = cluster.enqueue(12, i -> new Work(i, 3_000));
      // Every job w1 holds has recorded its effect: a handler frozen inside that insert would
      // fail on thaw with the insert, before it could look at its lease.
      await("w1 runs jobs")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                long started = startedOn(cluster, "w1");
                return started > 0 && started == cluster.runningOn("w1").size();
              });

      NodeProcess victim = cluster.node("w1");
      victim.pause();
      Instant pausedAt = Instant.now();
      // Read after the pause: what w1 leases now is what it holds while frozen.
      Set<UUID> held = cluster.runningOn("w1");
      Duration pause = LEASE.multipliedBy(3);
      await("3 x lease passed and every job w1 held claimed elsewhere")
          .atMost(pause.plus(w1.orphanBound()).plusSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  Duration.between(pausedAt, Instant.now()).compareTo(pause) >= 0
                      && cluster.reclaims(held, "w1", pausedAt).size() == held.size());
      Map<UUID, Instant> reclaims = cluster.reclaims(held, "w1", pausedAt);
      // Taken before the signal is sent: a handler now sees the loss the moment it thaws, which
      // can be before resume() returns here.
      Instant resumedAt = Instant.now();
      victim.resume();

      cluster.awaitAllTerminal(Duration.ofSeconds(60));
      await("w1's late outcomes recorded")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> lateCompletions(cluster, held).size() == held.size());
      EffectLedger.Report report = cluster.report(ids);
      Duration worstReclaim =
          reclaims.values().stream()
              .map(t -> Duration.between(pausedAt, t))
              .max(Duration::compareTo)
              .orElseThrow();
      long noticeMs =
          cluster.count(
              "SELECT coalesce(max(extract(epoch FROM t - '"
                  + resumedAt
                  + "') * 1000), -1) FROM lease_losses WHERE node = 'w1'");
      System.out.printf(
          "R22 lease=%d ms, w1 paused %d ms holding %d jobs: re-claimed within %d ms "
              + "(bound %d ms); handlers told of the loss <= %d ms after SIGCONT; late outcomes "
              + "rejected=%d; %s%n",
          LEASE.toMillis(),
          Duration.between(pausedAt, resumedAt).toMillis(),
          held.size(),
          worstReclaim.toMillis(),
          w1.orphanBound().toMillis(),
          noticeMs,
          lateCompletions(cluster, held).size(),
          report);

      assertThat(held).as("w1 held jobs when frozen").isNotEmpty();
      assertThat(victim.isAlive()).isTrue();
      assertThat(report.lost()).isZero();
      assertThat(report.succeeded()).isEqualTo(ids.size());
      assertThat(report.staleCommits()).as("stale commits").isEmpty();
      assertThat(report.duplicatedJobs()).isSubsetOf(held);
      assertThat(report.duplicates()).isLessThanOrEqualTo(held.size());
      assertThat(lateCompletions(cluster, held)).containsExactlyInAnyOrderElementsOf(held);
      assertThat(cluster.count("SELECT count(DISTINCT job_id) FROM lease_losses WHERE node = 'w1'"))
          .as("held jobs whose handler on w1 saw isLeaseValid() turn false")
          .isEqualTo(held.size());
      // The first renewal after SIGCONT finds the leases gone; it is due at once after the pause.
      assertThat(noticeMs)
          .as("ms from SIGCONT until the last handler saw the loss")
          .isBetween(0L, LEASE.dividedBy(3).plusSeconds(1).toMillis());
      assertThat(cluster.invariantViolations(LEASE)).isEmpty();
      // Every attempt w1 ran for a held job ended as superseded: its outcome applied nowhere.
      for (UUID id : held) {
        assertThat(
                cluster.count(
                    "SELECT count(*) FROM tm_job_event WHERE job_id = '"
                        + id
                        + "' AND from_state = 'RUNNING' AND to_state = 'SUCCEEDED' AND node = 'w1'"))
            .isZero();
      }
    }
  }

  private static long startedOn(Cluster cluster, String node) {
    return cluster.count(
        "SELECT count(*) FROM tm_job j WHERE state = 'RUNNING' AND lease_owner = '"
            + node
            + "' AND EXISTS (SELECT 1 FROM effects e WHERE e.job_id = j.id AND e.node = '"
            + node
            + "')");
  }

  /** Held jobs with a late completion event from w1 (the fence rejecting its outcome). */
  private static Set<UUID> lateCompletions(Cluster cluster, Set<UUID> held) throws SQLException {
    var found = new HashSet<UUID>();
    try (var c = cluster.connect();
        var ps =
            c.prepareStatement(
                "SELECT DISTINCT job_id FROM "
                    + "tm_job_event WHERE job_id = ANY(?) AND node = 'w1' AND message LIKE 'late completion%'")) {
      ps.setArray(1, c.createArrayOf("uuid", held.toArray()));
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return found;
  }
}
