package io.taskmill.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.taskmill.bench.Latencies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeersReportTest {
  private static SystemFigures figures(
      String name, String key, double drain, double p50, double p99) {
    return new SystemFigures(
        name,
        key,
        "1.2.3",
        name + " settings",
        1_000,
        2 * drain,
        drain,
        drain * 1.1,
        12.5,
        new Latencies(10, p50, p99, p99 * 2),
        name + " pickup note",
        "taskmill_bench_" + key);
  }

  private static final SystemFigures TASKMILL = figures("Taskmill", "taskmill", 12_000, 1.5, 4);
  private static final SystemFigures DB_SCHEDULER =
      figures("db-scheduler", "dbScheduler", 3_000, 3, 12);
  private static final SystemFigures JOBRUNR = figures("JobRunr", "jobrunr", 1_500, 2_400, 4_900);

  private static Map<String, Object> config() {
    var c = new LinkedHashMap<String, Object>();
    c.put("database", "jdbc:postgresql://db/x");
    c.put("cores", 2);
    c.put("loadAverageAtStart", 0.5);
    c.put("loadAverageAtEnd", null);
    c.put("warmupJobs", 100);
    c.putAll(PeersReport.systemsConfig(TASKMILL, List.of(DB_SCHEDULER, JOBRUNR)));
    return c;
  }

  @Test
  void ratiosSayHowFarAheadTaskmillIsWhicheverWayTheFigureGoes() {
    assertThat(PeersReport.throughputRatio(12_000, 3_000)).isEqualTo(4.0);
    assertThat(PeersReport.throughputRatio(1_000, 4_000)).isEqualTo(0.25);
    assertThat(PeersReport.latencyRatio(4, 12)).isEqualTo(3.0);
    assertThat(PeersReport.latencyRatio(10, 5)).isEqualTo(0.5);
    // Nothing to divide: no ratio rather than 0 or infinity.
    assertThat(PeersReport.throughputRatio(12_000, 0)).isNaN();
    assertThat(PeersReport.latencyRatio(0, 5)).isNaN();
    assertThat(PeersReport.latencyRatio(Double.NaN, 5)).isNaN();
    assertThat(PeersReport.ratioText(2_041.666)).isEqualTo("2,041.67x");
    assertThat(PeersReport.ratioText(Double.NaN)).isEqualTo("n/a");
  }

  @Test
  void tableShowsEverySystemSideBySideWithARatioColumnPerPeer() {
    String table = PeersReport.table(TASKMILL, List.of(DB_SCHEDULER, JOBRUNR), config());

    assertThat(table).startsWith("Taskmill beside db-scheduler and JobRunr (PostgreSQL");
    assertThat(table)
        .containsPattern("FIGURE +Taskmill +db-scheduler +JobRunr +vs db-scheduler +vs JobRunr\n");
    assertThat(table)
        .containsPattern(
            "drain throughput +12,000 jobs/s +3,000 jobs/s +1,500 jobs/s +4\\.00x +8\\.00x\n");
    assertThat(table)
        .containsPattern(
            "batch enqueue +24,000 jobs/s +6,000 jobs/s +3,000 jobs/s +4\\.00x +8\\.00x\n");
    assertThat(table)
        .containsPattern(
            "pickup latency p50 +1\\.50 ms +3\\.00 ms +2,400\\.00 ms +2\\.00x +1,600\\.00x\n");
    assertThat(table)
        .containsPattern(
            "pickup latency p99 +4\\.00 ms +12\\.00 ms +4,900\\.00 ms +3\\.00x +1,225\\.00x\n");
    assertThat(table)
        .containsPattern(
            "CPU per job \\(bench\\) +12\\.5 µs +12\\.5 µs +12\\.5 µs +1\\.00x +1\\.00x\n");
    assertThat(table)
        .contains("ratios: for jobs/s Taskmill / peer, for latency and CPU peer / Taskmill");
    assertThat(table)
        .contains(
            "jobs (N)             Taskmill 1,000; db-scheduler 1,000; JobRunr 1,000 no-op jobs,"
                + " each after 100 warm-up jobs");
    assertThat(table)
        .contains(
            "db-scheduler         1.2.3: db-scheduler settings",
            "JobRunr              1.2.3: JobRunr settings",
            "JobRunr 10, JobRunr pickup note",
            "load average 0.5 at start, null at end");
  }

  @Test
  void jsonHasEachSystemsFiguresAndThePeersRatiosAsNumbers() {
    var slow =
        new SystemFigures(
            "JobRunr",
            "jobrunr",
            "8",
            "s",
            5,
            10,
            20,
            Double.NaN,
            1,
            new Latencies(1, 2_000, 2_000, 2_000),
            "n",
            "taskmill_bench_j");

    String json = PeersReport.json(TASKMILL, List.of(DB_SCHEDULER, slow), config());

    assertThat(json).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
    assertThat(json)
        .startsWith(
            "{\"taskmill\":{\"enqueueJobsPerSec\":24000.0,\"drainJobsPerSec\":12000.0,"
                + "\"drainSteadyJobsPerSec\":13200.0,\"drainCpuUsPerJob\":12.5,\"pickupP50Ms\":1.5,\"pickupP99Ms\":4.0,"
                + "\"pickupMaxMs\":8.0},\"dbScheduler\":{");
    // A drain too short for a steady rate has none, and so no ratio.
    assertThat(json)
        .contains(
            "\"jobrunr\":{\"enqueueJobsPerSec\":10.0,\"drainJobsPerSec\":20.0,"
                + "\"drainSteadyJobsPerSec\":null,");
    assertThat(json)
        .contains(
            "\"ratios\":{\"dbScheduler\":{\"drainRatio\":4.0,\"drainSteadyRatio\":4.0,"
                + "\"drainCpuRatio\":1.0,\"enqueueRatio\":4.0,\"pickupP50Ratio\":2.0,\"pickupP99Ratio\":3.0,"
                + "\"pickupMaxRatio\":3.0},\"jobrunr\":{\"drainRatio\":600.0,\"drainSteadyRatio\":null,");
    assertThat(json)
        .contains(
            "\"config\":{\"database\":\"jdbc:postgresql://db/x\",\"cores\":2,"
                + "\"loadAverageAtStart\":0.5,\"loadAverageAtEnd\":null,\"warmupJobs\":100,\"taskmill.version\":\"1.2.3\",");
    assertThat(json)
        .contains(
            "\"schemas\":\"taskmill_bench_taskmill taskmill_bench_dbScheduler taskmill_bench_jobrunr\"");
    assertThat(PeersReport.latencyRatio(1.5, 2_000)).isCloseTo(1_333.333, within(0.001));
  }
}
