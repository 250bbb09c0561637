package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskmill.JobId;
import io.taskmill.JobOptions;
import io.taskmill.JobRequest;
import io.taskmill.jdbc.PgSessionTimeZone;
import io.taskmill.node.Leadership;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RELIABILITY R11, scaled: one node's clock runs ten minutes fast and another's ten minutes slow
 * (libfaketime), the third is right. Delayed jobs start neither early nor late by the database's
 * clock, jobs longer than a lease are never taken from a live node, and one leader keeps its term.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class ClockSkewTest {
  private static final Path FAKETIME =
      Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
  private static final Duration LATE_BOUND = Duration.ofSeconds(2);
  /** The delayed jobs; the warm-up jobs were due when the client created them. */
  private static final String DELAYED = "j.run_at > j.created_at";

  private static String[] skewed(String offset) {
    return new String[] {"env", "LD_PRELOAD=" + FAKETIME, "FAKETIME=" + offset,
        "FAKETIME_DONT_FAKE_MONOTONIC=1", "FAKETIME_NO_CACHE=1"};
  }

  @Test
  void nodesWithSkewedClocksFollowTheDatabasesClock() throws Exception {
    assumeTrue(Files.exists(FAKETIME), "libfaketime is not installed (apt-get install faketime)");
    try (var cluster = Cluster.create(PgTarget.shared())) {
      NodeSettings s = cluster.settings("right").withConcurrency(8);
      cluster.start(s.withNodeId("fast").withLaunchPrefix(skewed("+600")),
          s.withNodeId("slow").withLaunchPrefix(skewed("-600")), s);
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
        requests.add(JobRequest.of(Work.TYPE, new Work(i, work),
            JobOptions.defaults().runAt(dbNow.plusMillis(1_000 + random.nextInt(3_000)))));
      }
      List<JobId> ids = new ArrayList<>(cluster.client().enqueueAll(requests));
      cluster.awaitAllTerminal(Duration.ofSeconds(90));

      long early = cluster.count("SELECT count(*) FROM effects e JOIN tm_job j ON j.id = e.job_id"
          + " WHERE e.attempt = 1 AND e.t < j.run_at AND " + DELAYED);
      long late = cluster.count("SELECT count(*) FROM effects e JOIN tm_job j ON j.id = e.job_id"
          + " WHERE e.attempt = 1 AND e.t > j.run_at + interval '" + LATE_BOUND.toMillis()
          + " milliseconds' AND " + DELAYED);
      long maxLateMs = cluster.count("SELECT coalesce(max(extract(epoch FROM e.t - j.run_at)"
          + " * 1000), 0)::bigint FROM effects e JOIN tm_job j ON j.id = e.job_id WHERE " + DELAYED);
      long byNode = cluster.count("SELECT count(DISTINCT node) FROM effects e JOIN tm_job j"
          + " ON j.id = e.job_id WHERE " + DELAYED);
      long rescues = cluster.count("SELECT count(*) FROM tm_job_event WHERE message LIKE 'rescued%'");
      Leadership end = cluster.client().cluster().leader().orElseThrow();
      ids.addAll(warmUp);
      EffectLedger.Report report = cluster.report(ids);
      System.out.printf("R11: %d delayed jobs on nodes at +10 min, -10 min and 0: early=%d,"
              + " late>%d ms=%d, max lateness %d ms, nodes that ran jobs=%d, rescues=%d,"
              + " leader %s term %d -> %s term %d; %s%n", requests.size(), early, LATE_BOUND.toMillis(),
          late, maxLateMs, byNode, rescues, leader.node(), leader.term(), end.node(), end.term(),
          report);

      cluster.rows("SELECT e.node, j.run_at, p.node AS promoted_by, p.at - j.run_at AS promote_lag,"
          + " r.at - j.run_at AS claim_lag, e.t - j.run_at AS effect_lag FROM effects e"
          + " JOIN tm_job j ON j.id = e.job_id"
          + " LEFT JOIN tm_job_event p ON p.job_id = j.id AND p.to_state = 'ENQUEUED'"
          + " LEFT JOIN tm_job_event r ON r.job_id = j.id AND r.to_state = 'RUNNING'"
          + " WHERE e.t > j.run_at + interval '" + LATE_BOUND.toMillis() + " milliseconds' AND "
          + DELAYED
          + " ORDER BY j.run_at").forEach(r -> System.out.println("R11 late: " + r));
      assertThat(early).as("jobs started before their runAt by the database's clock").isZero();
      assertThat(late).as("jobs started more than %s late", LATE_BOUND).isZero();
      assertThat(byNode).as("every node took part").isEqualTo(3);
      assertThat(rescues).as("leases taken from live nodes").isZero();
      assertThat(end).extracting(Leadership::node, Leadership::term)
          .containsExactly(leader.node(), leader.term());
      assertThat(report.lost()).isZero();
      assertThat(report.duplicates()).isZero();
      assertThat(cluster.invariantViolations(s.lease())).isEmpty();
    }
  }
}
