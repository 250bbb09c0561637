package io.taskmill.bench;

import io.taskmill.bench.peers.Peers;
import io.taskmill.bench.peers.PeersReport;
import io.taskmill.bench.peers.SystemFigures;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --peers}, from the bench's side: hands Taskmill's figures (measured by {@link
 * Bench#measureEngine} as in any PostgreSQL run) and the bench's options to {@link Peers}, which
 * measures db-scheduler and JobRunr the same way, and prints the comparison.
 */
final class PeersHook {
  private PeersHook() {}

  /**
   * Runs the peers after Taskmill's run in schema {@code schema} (already dropped) and prints all
   * three.
   */
  static int run(
      Bench bench, Bench.Results taskmill, Map<String, Object> benchConfig, String schema)
      throws Exception {
    var settings =
        new Peers.Settings(
            bench.dbUrl,
            bench.dbUser,
            bench.dbPassword,
            bench.peerOptions.jobs(bench.jobs),
            bench.warmup,
            bench.batch,
            bench.samples,
            bench.peerOptions.pollingPeerSamples(),
            bench.drainPollMs,
            Duration.ofSeconds(bench.phaseTimeoutSeconds),
            bench.verbose,
            Bench::withoutPassword);
    SystemFigures mine =
        taskmillFigures(taskmill, benchConfig, schema, settings.warmPickupSamples());
    List<SystemFigures> peers =
        Peers.measure(
            settings,
            (format, args) -> {
              System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
              System.err.flush();
            });

    var config = new LinkedHashMap<String, Object>();
    config.put("store", "PostgreSQL");
    config.put(
        "database",
        Bench.withoutPassword(bench.dbUrl)
            + ", one fresh schema per system, dropped before the next system starts");
    config.put("order", "Taskmill, then db-scheduler, then JobRunr, one at a time in this process");
    for (String key : List.of("jdk", "cores", "maxHeapMb", "loadAverageAtStart")) {
      config.put(key, benchConfig.get(key));
    }
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    config.put("loadAverageAtEnd", load < 0 ? null : Math.round(load * 100) / 100.0);
    config.put("nodes", 1);
    config.put("jobs", bench.jobs);
    config.put("warmupJobs", bench.warmup);
    config.put("enqueueBatch", bench.batch);
    config.put(
        "enqueue",
        String.format(
            Locale.ROOT,
            "N jobs in batches of %,d with processing stopped: Taskmill"
                + " enqueueAll into a paused queue, db-scheduler scheduleBatch with no scheduler running, JobRunr"
                + " enqueue(Stream) with its server stopped",
            bench.batch));
    config.put(
        "drain",
        "from the resume (Taskmill) or the scheduler's start (peers) to the last outcome"
            + " committed, counted in memory every "
            + bench.drainPollMs
            + " ms (1 ms in the last tenth); each"
            + " system's own counts confirm the end");
    config.putAll(PeersReport.systemsConfig(mine, peers));

    var out = bench.spec.commandLine().getOut();
    out.print(
        bench.json
            ? PeersReport.json(mine, peers, config)
            : PeersReport.table(mine, peers, config));
    out.flush();
    return 0;
  }

  private static SystemFigures taskmillFigures(
      Bench.Results r, Map<String, Object> c, String schema, int warmPickupSamples) {
    String version = Bench.class.getPackage().getImplementationVersion();
    String settings =
        String.format(
            Locale.ROOT,
            "1 engine, queue concurrency %s, claimBatchSize %s,"
                + " completionBatchSize %s, poolSize %s (the bench's defaults unless given)",
            c.get("concurrency"),
            c.get("claimBatchSize"),
            c.get("completionBatchSize"),
            c.get("poolSize"));
    return new SystemFigures(
        "Taskmill",
        "taskmill",
        version == null ? "development build" : version,
        settings,
        ((Number) c.get("jobs")).intValue(),
        r.enqueueJobsPerSec(),
        r.drainJobsPerSec(),
        r.drain().steadyJobsPerSec(),
        r.drain().cpuUsPerJob(),
        r.pickup(),
        String.format(
            Locale.ROOT,
            "--samples after %d warm-up ones, each enqueued on the idle engine that runs it",
            warmPickupSamples),
        schema);
  }
}
