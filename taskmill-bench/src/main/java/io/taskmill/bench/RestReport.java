package io.taskmill.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the REST figures ({@code --rest}) as a table or one JSON object, in the engine report's
 * style, each judged against the server issue's goal.
 */
final class RestReport {
  /** Least jobs/s submitted one per request. */
  static final double SUBMIT_GOAL = 2_000;

  /** Least jobs/s submitted in batches. */
  static final double BATCH_GOAL = 20_000;

  /** Most p99 of a job read under the open-loop load, in ms. */
  static final double GET_P99_GOAL_MS = 10;

  private RestReport() {}

  /** The three figures judged, in the order of the table. */
  static List<Report.Check> checks(RestBench.Results r) {
    return List.of(
        new Report.Check("submitJobsPerSec", r.submitJobsPerSec(), SUBMIT_GOAL, true),
        new Report.Check("batchJobsPerSec", r.batchJobsPerSec(), BATCH_GOAL, true),
        new Report.Check("getP99Ms", r.get().p99Ms(), GET_P99_GOAL_MS, false));
  }

  static String table(RestBench.Results r, Map<String, Object> config) {
    var checks = checks(r);
    var sb = new StringBuilder();
    sb.append("Taskmill REST benchmark (server in this process, " + config.get("store") + ")\n\n");
    Report.row(sb, "MEASUREMENT", "RESULT", "GOAL", "");
    Report.row(sb, checks, "single submit", "submitJobsPerSec", Report.rate(r.submitJobsPerSec()));
    Report.row(sb, checks, "batch submit", "batchJobsPerSec", Report.rate(r.batchJobsPerSec()));
    Report.latencyRows(sb, checks, "get latency", "get", r.get());
    long met = checks.stream().filter(c -> Boolean.TRUE.equals(c.met())).count();
    sb.append(
        String.format(Locale.ROOT, "%n  goals met: %d of %d (REST goals)%n", met, checks.size()));

    sb.append("\nCONFIGURATION\n");
    String cfg = "  %-20s %s%n";
    sb.append(
        String.format(
            Locale.ROOT, cfg, "store", config.get("store") + ": " + config.get("location")));
    sb.append(String.format(Locale.ROOT, cfg, "server", config.get("server")));
    sb.append(String.format(Locale.ROOT, cfg, "client", config.get("client")));
    sb.append(String.format(Locale.ROOT, cfg, "paused", config.get("paused")));
    sb.append(String.format(Locale.ROOT, cfg, "jdk", config.get("jdk")));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "cores / max heap",
            config.get("cores")
                + " / "
                + config.get("maxHeapMb")
                + " MB; load average "
                + config.get("loadAverageAtStart")
                + " at start"));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "warm-up",
            String.format(
                Locale.ROOT,
                "%,d submissions and %,d reads, then batches",
                config.get("warmupRequests"),
                config.get("warmupRequests"))));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "single submit",
            String.format(
                Locale.ROOT,
                "%,d POST /api/v1/jobs of demo.noop, %s concurrent clients",
                config.get("submitJobs"),
                config.get("submitClients"))));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "batch submit",
            String.format(
                Locale.ROOT,
                "%,d jobs, %,d per POST /api/v1/jobs/batch, %s concurrent clients",
                config.get("batchJobs"),
                config.get("batchSize"),
                config.get("batchClients"))));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "get",
            String.format(
                Locale.ROOT,
                "%,d GET /api/v1/jobs/{id} of random submitted jobs, %,d/s for %s s open loop;"
                    + " latency from the scheduled send",
                config.get("getRequests"),
                config.get("getRatePerSec"),
                config.get("getSeconds"))));
    return sb.toString();
  }

  static String json(RestBench.Results r, Map<String, Object> config) {
    var sb = new StringBuilder("{");
    Report.field(sb, "submitJobsPerSec", Report.round(r.submitJobsPerSec(), 1)).append(',');
    Report.field(sb, "batchJobsPerSec", Report.round(r.batchJobsPerSec(), 1)).append(',');
    Report.latencyFields(sb, "get", r.get());
    return Report.closeWithGoalsAndConfig(sb, checks(r), config);
  }
}
