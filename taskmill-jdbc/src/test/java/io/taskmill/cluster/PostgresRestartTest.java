package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.jdbc.PgSessionTimeZone;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R4 of docs/testing.md: the database restarts under load (a private PostgreSQL, never the shared
 * one). Three worker JVMs keep running through it while the test keeps enqueueing; afterwards every
 * acknowledged job has completed, only jobs in flight at the restart may have run twice, nothing is
 * stuck, and claiming resumed soon after the server accepted connections again.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class PostgresRestartTest {
  private static final int BATCH = 25;
  private static final Duration BATCH_EVERY = Duration.ofMillis(100);
  private static final Duration LOAD_FOR = Duration.ofSeconds(16);

  private final long seed = Long.getLong("taskmill.test.seed", System.nanoTime());

  @ParameterizedTest(name = "pg_ctl stop -m {0}, then start")
  @ValueSource(strings = {"fast", "immediate"})
  void restartUnderLoadLosesNothingAndResumes(String mode) throws Exception {
    var random = new Random(seed);
    try (var pg = PrivatePostgres.start();
        var cluster = Cluster.create(pg.target())) {
      // The server crashes here: effects must be durable when recorded, or a duplicate could hide.
      NodeSettings w1 = cluster.settings("w1").withLedgerSyncCommit(true);
      var nodes = cluster.start(w1, w1.withNodeId("w2"), w1.withNodeId("w3"));
      NodeSettings settings = nodes.get(0).settings();
      // 20-200 ms of work, so that jobs are in flight whenever the server goes down.
      var producer =
          new Producer(
              cluster,
              "r4",
              BATCH,
              BATCH_EVERY,
              LOAD_FOR,
              n -> new Work(n, 20 + random.nextInt(181)));
      Thread load = producer.start();
      try {
        await("steady processing")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> cluster.succeeded() >= 600);
        Instant counted = Instant.now();
        long runningBefore = cluster.count("SELECT count(*) FROM tm_job WHERE state = 'RUNNING'");
        Instant stopping = Instant.now();
        pg.stopServer(mode);
        Instant down = Instant.now();
        pg.startServer();
        Instant accepting = Instant.now();
        await("a claim after the restart")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .ignoreExceptions()
            .until(() -> claimsSince(cluster, accepting) > 0);
        Duration resumed = Duration.between(accepting, Instant.now());
        // In flight at the stop: running when counted, plus anything claimed between the count and
        // the moment the server was down.
        long inFlight =
            runningBefore
                + cluster.count(
                    "SELECT count(*) FROM tm_job_event WHERE "
                        + "from_state = 'ENQUEUED' AND to_state = 'RUNNING' AND at >= '"
                        + counted
                        + "' AND at <= '"
                        + down
                        + "'");
        load.join(LOAD_FOR.plusSeconds(90).toMillis());
        assertThat(load.isAlive()).as("the producer finished").isFalse();
        cluster.awaitAllTerminal(Duration.ofSeconds(120));

        EffectLedger.Report report = cluster.report(producer.acknowledged);
        System.out.printf(
            "R4 -m %s seed=%d: in flight at the stop=%d, stop took %d ms, start took "
                + "%d ms, first claim <= %d ms after accepting; enqueue: %d batches (%.0f jobs/s), %d "
                + "failed attempts, slowest call %d ms; node log warnings+errors %s; %s%n",
            mode,
            seed,
            inFlight,
            Duration.between(stopping, down).toMillis(),
            Duration.between(down, accepting).toMillis(),
            resumed.toMillis(),
            producer.batches.get(),
            producer.acknowledged.size() / (double) LOAD_FOR.toSeconds(),
            producer.failures.get(),
            producer.slowestMs.get(),
            logNoise(nodes),
            report);
        assertThat(report.lost()).as("lost").isZero();
        assertThat(report.succeeded()).isEqualTo(report.acknowledged());
        assertThat(report.staleCommits()).as("stale commits").isEmpty();
        assertThat(report.duplicates()).isLessThanOrEqualTo(inFlight);
        assertThat(cluster.invariantViolations(settings.lease())).isEmpty();
        for (NodeProcess n : nodes) {
          assertThat(n.isAlive()).as(n.nodeId() + " alive").isTrue();
          assertThat(claimsSince(cluster, accepting, n.nodeId()))
              .as(n.nodeId() + " claims after the restart (its dispatcher survived)")
              .isPositive();
        }
      } catch (AssertionError | RuntimeException e) {
        System.out.println("private PostgreSQL log:\n" + pg.logTail(40));
        throw e;
      } finally {
        producer.stop();
        load.join();
      }
    }
  }

  private static long claimsSince(Cluster cluster, Instant after) {
    return claimsSince(cluster, after, null);
  }

  private static long claimsSince(Cluster cluster, Instant after, String node) {
    return cluster.count(
        "SELECT count(*) FROM tm_job_event WHERE from_state = 'ENQUEUED' "
            + "AND to_state = 'RUNNING' AND at > '"
            + after
            + "'"
            + (node == null ? "" : " AND node = '" + node + "'"));
  }

  private static String logNoise(List<NodeProcess> nodes) throws IOException {
    var counts = new ArrayList<String>();
    for (NodeProcess n : nodes) {
      try (var lines = Files.lines(n.log())) {
        long noisy = lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
        counts.add(n.nodeId() + "=" + noisy);
      }
    }
    return String.join(" ", counts);
  }
}
