package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.jdbc.PgSessionTimeZone;
import io.taskmill.job.JobId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R21 of docs/testing.md: a job that runs for 5 × the lease keeps its lease by renewal, alongside a
 * stream of short jobs whose completions share the same rows' neighbourhood: it runs once, and no
 * node ever rescues it.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class LongJobTest {
  private static final Duration LEASE = Duration.ofSeconds(3);

  private final long seed = Long.getLong("taskmill.test.seed", System.nanoTime());

  @Test
  void aJobRunningFiveLeasesRunsOnceAndIsNeverRescued() throws Exception {
    var random = new Random(seed);
    try (var cluster = Cluster.create(PgTarget.shared())) {
      NodeSettings w1 = cluster.settings("w1").withLease(LEASE).withConcurrency(8);
      cluster.start(w1, w1.withNodeId("w2"));
      int longMs = (int) LEASE.multipliedBy(5).toMillis();
      JobId longJob = cluster.enqueue(1, i -> new Work(i, longMs)).getFirst();
      var all = new ArrayList<JobId>(List.of(longJob));
      all.addAll(cluster.enqueue(3_000, i -> new Work(i + 1, random.nextInt(20))));
      cluster.awaitAllTerminal(Duration.ofSeconds(120));

      EffectLedger.Report report = cluster.report(all);
      long rescues =
          cluster.count("SELECT count(*) FROM tm_job_event WHERE message LIKE 'rescued%'");
      long longJobEvents =
          cluster.count("SELECT count(*) FROM tm_job_event WHERE job_id = '" + longJob + "'");
      long losses = cluster.count("SELECT count(*) FROM lease_losses");
      System.out.printf(
          "R21 seed=%d lease=%d ms, one job of %d ms among 3000 short ones: "
              + "rescues=%d, lease losses=%d, long job events=%d; %s%n",
          seed, LEASE.toMillis(), longMs, rescues, losses, longJobEvents, report);
      assertThat(report.lost()).isZero();
      assertThat(report.duplicates()).as("duplicates").isZero();
      assertThat(rescues).as("rescuer actions").isZero();
      assertThat(losses).as("handlers told their lease was lost").isZero();
      assertThat(cluster.client().jobs().events(longJob))
          .extracting(e -> e.to().name())
          .containsExactly("ENQUEUED", "RUNNING", "SUCCEEDED");
      assertThat(report.staleCommits()).isEmpty();
      assertThat(cluster.invariantViolations(LEASE)).isEmpty();
    }
  }
}
