package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.jdbc.PgSessionTimeZone;
import io.taskmill.job.JobId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R24 of docs/testing.md, a rolling upgrade: jobs of a type only the new node knows wait untouched
 * while old nodes (without its handler) keep polling; the new node then runs them all, and the old
 * nodes never claim, fail or delete one.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class RollingUpgradeTest {
  private static final String NEW_TYPE = "cluster.new-type";

  @Test
  void nodesWithoutAHandlerNeverTouchItsJobsAndTheNodeWithItRunsThemAll() throws Exception {
    try (var cluster = Cluster.create(PgTarget.shared(), Work.TYPE, NEW_TYPE)) {
      NodeSettings old = cluster.settings("old-b").withConcurrency(8);
      cluster.start(old, old.withNodeId("old-c"));
      List<JobId> newJobs = cluster.enqueue(NEW_TYPE, 100, i -> new Work(i, 2));
      List<JobId> oldJobs = cluster.enqueue(Work.TYPE, 1_000, i -> new Work(i, 2));
      String newOnes = "SELECT count(*) FROM tm_job WHERE type = '" + NEW_TYPE + "'";
      await("old nodes finish their own jobs")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> cluster.succeeded() == oldJobs.size());
      // Several poll intervals of both old nodes pass with the new jobs ready: they stay put.
      await("new-type jobs left alone")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> cluster.count(newOnes + " AND state = 'ENQUEUED'") == newJobs.size());

      cluster.start(cluster.settings("new-a").withTypes(Work.TYPE, NEW_TYPE).withConcurrency(8));
      cluster.awaitAllTerminal(Duration.ofSeconds(60));

      var all = new ArrayList<>(newJobs);
      all.addAll(oldJobs);
      EffectLedger.Report report = cluster.report(all);
      long byOld =
          cluster.count(
              "SELECT count(*) FROM tm_job_event e JOIN tm_job j ON j.id = e.job_id"
                  + " WHERE j.type = '"
                  + NEW_TYPE
                  + "' AND e.node IN ('old-b', 'old-c')");
      long runByNew =
          cluster.count(
              "SELECT count(DISTINCT e.job_id) FROM effects e JOIN tm_job j"
                  + " ON j.id = e.job_id WHERE j.type = '"
                  + NEW_TYPE
                  + "' AND e.node = 'new-a'");
      System.out.printf(
          "R24: %d new-type jobs, events on them by old nodes=%d, run by the new node=%d; %s%n",
          newJobs.size(), byOld, runByNew, report);
      assertThat(byOld).as("old nodes' events on new-type jobs").isZero();
      assertThat(cluster.count(newOnes)).as("new-type jobs kept").isEqualTo(newJobs.size());
      assertThat(runByNew).isEqualTo(newJobs.size());
      assertThat(cluster.count(newOnes + " AND state = 'SUCCEEDED'")).isEqualTo(newJobs.size());
      assertThat(report.lost()).isZero();
      assertThat(report.duplicates()).isZero();
      assertThat(cluster.invariantViolations(old.lease())).isEmpty();
    }
  }
}
