package io.taskmill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {
  /**
   * The machine's PostgreSQL, as the jdbc module's tests use it; the bench makes its own schema.
   */
  private static final String PG_URL =
      System.getProperty("taskmill.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");

  private static final String PG_USER = System.getProperty("taskmill.test.pg.user", "postgres");

  @Test
  void smallRunPrintsOneJsonObjectWithEveryFigure(@TempDir Path dataDir) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cli = Bench.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int code =
        cli.execute(
            "--json",
            "--data-dir",
            dataDir.toString(),
            "--jobs",
            "300",
            "--warmup",
            "100",
            "--samples",
            "20",
            "--delayed-samples",
            "10",
            "--concurrency",
            "16",
            "--claim-batch",
            "50",
            "--batch",
            "50");

    assertThat(code).as("stderr: %s", err).isZero();
    String json = out.toString().trim();
    // Six batches of 50: the steady part runs from the first (10%) to the sixth (90%).
    assertThat(json).containsPattern("\"enqueueSteadyJobsPerSec\":[0-9]");
    // The warm-up's own rates, the cold JVM's, beside the measured ones.
    assertThat(json)
        .containsPattern("\"enqueueColdJobsPerSec\":[0-9]")
        .containsPattern("\"drainColdJobsPerSec\":[0-9]");
    assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
    assertThat(json)
        .contains(
            "\"drainJobsPerSec\":",
            "\"enqueueJobsPerSec\":",
            "\"pickupP50Ms\":",
            "\"pickupP99Ms\":",
            "\"pickupMaxMs\":",
            "\"delayedLatenessP50Ms\":",
            "\"delayedLatenessP99Ms\":",
            "\"delayedLatenessMaxMs\":",
            "\"config\":{",
            "\"store\":\"H2 file\"",
            "\"jobs\":300",
            "\"concurrency\":16",
            "\"claimBatchSize\":50",
            "\"delayedSamples\":10");
    // One process's file store has no other node to enqueue on.
    assertThat(json)
        .contains(
            "\"crossNodePickupP50Ms\":null",
            "\"crossNodePickupP99Ms\":null",
            "\"crossNodeSamples\":0");
    assertThat(dataDir).isNotEmptyDirectory();
  }

  @Test
  void twoNodesOnPostgresMeasureThePickupOfAnotherNodesJob() {
    var out = new StringWriter();
    var err = new StringWriter();
    var cli = Bench.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int code =
        cli.execute(
            "--db-url",
            PG_URL,
            "--db-user",
            PG_USER,
            "--nodes",
            "2",
            "--jobs",
            "300",
            "--warmup",
            "100",
            "--samples",
            "20",
            "--delayed-samples",
            "10",
            "--concurrency",
            "16",
            "--pool-size",
            "2");

    assertThat(code).as("stderr: %s", err).isZero();
    String table = out.toString();
    assertThat(table)
        .contains(
            "PostgreSQL, 2 node(s)",
            "cross-node pickup p99",
            "<= 15.00 ms",
            "delayed lateness p99",
            "<= 100.00 ms",
            "plus bench-sender");
  }

  /** A drain measured only by its whole-run rate. */
  private static DrainMeter.Drain drain(double jobsPerSec) {
    return new DrainMeter.Drain(
        jobsPerSec, Double.NaN, Double.NaN, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  @Test
  void percentileIsNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(Latencies.percentile(sorted, 0.50)).isEqualTo(50);
    assertThat(Latencies.percentile(sorted, 0.99)).isEqualTo(99);
    assertThat(Latencies.percentile(sorted, 1.0)).isEqualTo(100);
    assertThat(Latencies.percentile(new long[] {7}, 0.99)).isEqualTo(7);
    assertThat(Latencies.ofNanos(new long[] {3_000_000, 1_000_000, 2_000_000}))
        .isEqualTo(new Latencies(3, 2.0, 3.0, 3.0));
  }

  @Test
  void jsonEscapesStringsAndWritesUnmeasuredFiguresAsNull() {
    var config = new LinkedHashMap<String, Object>();
    config.put("dataDir", "C:\\tmp\\\"x\"");
    config.put("cores", 2);
    var results =
        new Bench.Results(
            drain(1), 2, new Latencies(10, 3, 4, 5), null, new Latencies(10, 6, 7, 8));
    String json = Report.json(results, config);
    assertThat(json)
        .isEqualTo(
            "{\"drainJobsPerSec\":1.0,\"drainSteadyJobsPerSec\":null,"
                + "\"drainCpuUsPerJob\":null,\"drainPeakHeapMib\":null,\"drainHeapAfterGcMib\":null,"
                + "\"drainPeakRssMib\":null,\"drainLiveHeapMib\":null,\"enqueueJobsPerSec\":2.0,"
                + "\"enqueueSteadyJobsPerSec\":null,\"drainColdJobsPerSec\":null,"
                + "\"enqueueColdJobsPerSec\":null,\"pickupP50Ms\":3.0,"
                + "\"pickupP99Ms\":4.0,\"pickupMaxMs\":5.0,\"crossNodePickupP50Ms\":null,"
                + "\"crossNodePickupP99Ms\":null,\"crossNodePickupMaxMs\":null,\"delayedLatenessP50Ms\":6.0,"
                + "\"delayedLatenessP99Ms\":7.0,\"delayedLatenessMaxMs\":8.0,"
                + "\"goals\":{\"drainJobsPerSec\":{\"min\":10000.0,\"met\":false},"
                + "\"enqueueJobsPerSec\":{\"min\":50000.0,\"met\":false},\"pickupP99Ms\":{\"max\":10.0,\"met\":true},"
                + "\"delayedLatenessP99Ms\":{\"max\":100.0,\"met\":true}},"
                + "\"config\":{\"dataDir\":\"C:\\\\tmp\\\\\\\"x\\\"\",\"cores\":2}}\n");
  }

  @Test
  void postgresIsJudgedOnBothPickupsButNotOnEnqueue() {
    var results =
        new Bench.Results(
            drain(12_500),
            20_000,
            new Latencies(100, 1, 40, 50),
            new Latencies(100, 5, 16, 20),
            new Latencies(100, 10, 100, 150));

    var checks = Report.checks(results, Goals.forStore("PostgreSQL"));

    assertThat(checks)
        .extracting(Report.Check::figure)
        .containsExactly(
            "drainJobsPerSec", "pickupP99Ms", "crossNodePickupP99Ms", "delayedLatenessP99Ms");
    assertThat(checks).extracting(Report.Check::met).containsExactly(true, false, false, true);
    assertThat(checks)
        .extracting(Report.Check::verdict)
        .containsExactly("ok", "MISSED", "MISSED", "ok");
  }

  @Test
  void aGoalWhoseFigureWasNotMeasuredIsNeitherMetNorMissed() {
    var results =
        new Bench.Results(
            drain(7_500),
            20_000,
            new Latencies(100, 1, 2, 3),
            null,
            new Latencies(100, 10, 20, 30));

    var crossNode = Report.checks(results, Goals.forStore("PostgreSQL")).get(2);

    assertThat(crossNode.figure()).isEqualTo("crossNodePickupP99Ms");
    assertThat(crossNode.met()).isNull();
    assertThat(crossNode.verdict()).isEqualTo("not measured");
  }

  @Test
  void h2TableShowsTheCrossNodeRowAsNotApplicable() {
    var config = new LinkedHashMap<String, Object>();
    config.put("store", "H2 file");
    config.put("jobs", 10);
    config.put("warmupJobs", 0);
    var results =
        new Bench.Results(
            drain(12_000), 40_000, new Latencies(10, 1, 2, 3), null, new Latencies(10, 4, 5, 6));

    String table = Report.table(results, config);

    assertThat(table)
        .containsPattern("drain throughput +12,000 jobs/s +>= 10,000 jobs/s +ok\n")
        .containsPattern("batch enqueue +40,000 jobs/s +>= 50,000 jobs/s +MISSED\n")
        .containsPattern("cross-node pickup +n/a\n")
        .containsPattern("delayed lateness p99 +5.00 ms +<= 100.00 ms +ok\n")
        .contains("goals met: 3 of 4 (H2 file goals)");
  }

  @Test
  void passwordsInUrlsAndMessagesAreMasked() {
    assertThat(
            Bench.withoutPassword(
                "jdbc:postgresql://db:5432/app?user=u&password=s3cr%3Et&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/app?user=u&password=***&ssl=true");
    // A password may hold ':', so the mask runs to the next separator or blank.
    assertThat(
            Bench.withoutPassword("cannot open jdbc:postgresql://u:pw@db/app?PASSWORD=x: refused"))
        .isEqualTo("cannot open jdbc:postgresql://u:***@db/app?PASSWORD=*** refused");
    assertThat(Bench.withoutPassword("jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=s"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=s");
  }
}
