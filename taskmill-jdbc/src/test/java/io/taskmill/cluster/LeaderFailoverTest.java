package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.jdbc.PgSessionTimeZone;
import io.taskmill.node.Leadership;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leader is killed with SIGKILL in the middle of work: another node leads under the next term
 * within one lease plus one heartbeat, and the duties that follow (declaring the dead node dead,
 * rescuing its jobs) run once, under the new term only.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class LeaderFailoverTest {

  @Test
  void aKilledLeaderIsReplacedUnderTheNextTermAndItsJobsAreRescuedOnce() throws Exception {
    try (var cluster = Cluster.create(PgTarget.shared())) {
      NodeSettings s = cluster.settings("n1").withConcurrency(8);
      cluster.start(s, s.withNodeId("n2"), s.withNodeId("n3"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> cluster.client().cluster().leader().isPresent());
      Leadership before = cluster.client().cluster().leader().orElseThrow();
      // Jobs long enough that the leader is running some when it dies.
      var ids = cluster.enqueue(120, i -> new Work(i, 1_500));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !cluster.runningOn(before.node()).isEmpty());
      long killedAt = cluster.dbNow().toEpochMilli();
      cluster.kill9(before.node());
      // Rows stay RUNNING until a leader rescues them, which takes at least a lease.
      int inFlight = cluster.runningOn(before.node()).size();

      await("a new leader")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  cluster
                      .client()
                      .cluster()
                      .leader()
                      .filter(
                          l ->
                              !l.node().equals(before.node())
                                  && l.expiresAt().toEpochMilli() > killedAt)
                      .isPresent());
      long electedAt = cluster.dbNow().toEpochMilli();
      Leadership after = cluster.client().cluster().leader().orElseThrow();
      cluster.awaitAllTerminal(Duration.ofSeconds(120));

      Duration failover = Duration.ofMillis(electedAt - killedAt);
      Duration bound = s.lease().plus(s.lease().dividedBy(3)).plusSeconds(2);
      long rescues =
          cluster.count(
              "SELECT count(*) FROM tm_job_event WHERE message LIKE"
                  + " 'rescued from node "
                  + before.node()
                  + "%'");
      long rescuedTwice =
          cluster.count(
              "SELECT count(*) FROM (SELECT job_id FROM tm_job_event"
                  + " WHERE message LIKE 'rescued%' GROUP BY job_id, attempt HAVING count(*) > 1) t");
      long rescuesByOthers =
          cluster.count(
              "SELECT count(*) FROM tm_job_event WHERE message LIKE"
                  + " 'rescued%' AND node <> '"
                  + after.node()
                  + "'");
      EffectLedger.Report report = cluster.report(ids);
      System.out.printf(
          "leader failover: %s led term %d, killed with %d jobs running; %s leads"
              + " term %d after %d ms (bound %d ms); %d rescues; %s%n",
          before.node(),
          before.term(),
          inFlight,
          after.node(),
          after.term(),
          failover.toMillis(),
          bound.toMillis(),
          rescues,
          report);

      assertThat(after.term()).isEqualTo(before.term() + 1);
      assertThat(failover).isLessThanOrEqualTo(bound);
      assertThat(rescues).as("jobs rescued from the dead leader").isEqualTo(inFlight);
      assertThat(rescuedTwice).isZero();
      assertThat(rescuesByOthers).as("rescues under any other leader").isZero();
      assertThat(
              cluster.count(
                  "SELECT count(*) FROM tm_node WHERE id = '"
                      + before.node()
                      + "' AND state = 'DEAD'"))
          .isEqualTo(1);
      assertThat(report.lost()).isZero();
      assertThat(report.duplicates()).isLessThanOrEqualTo(inFlight);
      assertThat(report.staleCommits()).isEmpty();
      assertThat(cluster.invariantViolations(s.lease())).isEmpty();
    }
  }
}
