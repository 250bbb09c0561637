package io.taskmill.bench;

import java.util.Locale;
import java.util.Map;

/** Renders the benchmark's results as a table or as one JSON object. */
final class Report {
  private Report() {}

  static String table(Bench.Results r, Map<String, Object> config) {
    var sb = new StringBuilder();
    sb.append("Taskmill benchmark (" + ("PostgreSQL".equals(config.get("store"))
        ? "PostgreSQL, " + config.get("nodes") + " node(s)" : "embedded H2 store, file mode") + ")\n\n");
    String row = "  %-20s %18s   %-18s %s%n";
    var goals = Bench.Goals.forStore(config.get("store"));
    sb.append(String.format(Locale.ROOT, row, "MEASUREMENT", "RESULT", "GOAL", ""));
    sb.append(String.format(Locale.ROOT, row, "drain throughput", rate(r.drainJobsPerSec()),
        goal(">= ", rate(goals.drainJobsPerSec()), goals.drainJobsPerSec()),
        verdict(r.drainJobsPerSec(), goals.drainJobsPerSec(), true)));
    sb.append(String.format(Locale.ROOT, row, "batch enqueue", rate(r.enqueueJobsPerSec()),
        goal(">= ", rate(goals.enqueueJobsPerSec()), goals.enqueueJobsPerSec()),
        verdict(r.enqueueJobsPerSec(), goals.enqueueJobsPerSec(), true)));
    sb.append(String.format(Locale.ROOT, row, "pickup latency p50", millis(r.pickupP50Ms()), "", ""));
    sb.append(String.format(Locale.ROOT, row, "pickup latency p99", millis(r.pickupP99Ms()),
        goal("<= ", millis(goals.pickupP99Ms()), goals.pickupP99Ms()),
        verdict(r.pickupP99Ms(), goals.pickupP99Ms(), false)));
    sb.append(String.format(Locale.ROOT, row, "pickup latency max", millis(r.pickupMaxMs()), "", ""));
    sb.append("\nCONFIGURATION\n");
    String cfg = "  %-20s %s%n";
    sb.append(String.format(Locale.ROOT, cfg, "store", config.get("store") + ": " + config.get("location")));
    sb.append(String.format(Locale.ROOT, cfg, "nodes", config.get("nodes") + " engine(s) in this process"));
    sb.append(String.format(Locale.ROOT, cfg, "jdk", config.get("jdk")));
    sb.append(String.format(Locale.ROOT, cfg, "cores / max heap", config.get("cores") + " / "
        + config.get("maxHeapMb") + " MB"));
    sb.append(String.format(Locale.ROOT, cfg, "jobs (N)", String.format(Locale.ROOT,
        "%,d demo.noop (after %,d warm-up jobs)", config.get("jobs"), config.get("warmupJobs"))));
    sb.append(String.format(Locale.ROOT, cfg, "enqueue batch", config.get("enqueueBatch") + " jobs per enqueueAll"));
    sb.append(String.format(Locale.ROOT, cfg, "queue concurrency", config.get("concurrency")));
    sb.append(String.format(Locale.ROOT, cfg, "claimBatchSize", config.get("claimBatchSize")));
    sb.append(String.format(Locale.ROOT, cfg, "completionBatchSize", config.get("completionBatchSize")));
    sb.append(String.format(Locale.ROOT, cfg, "poolSize", config.get("poolSize")));
    sb.append(String.format(Locale.ROOT, cfg, "pickup samples", config.get("pickupSamples")
        + ", one at a time on an idle engine"));
    sb.append(String.format(Locale.ROOT, cfg, "drain progress", "handler runs counted in memory every "
        + config.get("drainPollMs") + " ms; counts() confirms the end"));
    return sb.toString();
  }

  private static String goal(String op, String shown, double value) {
    return Double.isNaN(value) ? "" : op + shown;
  }

  private static String verdict(double measured, double goal, boolean higherIsBetter) {
    if (Double.isNaN(goal)) {
      return "";
    }
    return verdict(higherIsBetter ? measured >= goal : measured <= goal);
  }

  static String json(Bench.Results r, Map<String, Object> config) {
    var sb = new StringBuilder("{");
    field(sb, "drainJobsPerSec", round(r.drainJobsPerSec(), 1)).append(',');
    field(sb, "enqueueJobsPerSec", round(r.enqueueJobsPerSec(), 1)).append(',');
    field(sb, "pickupP50Ms", round(r.pickupP50Ms(), 3)).append(',');
    field(sb, "pickupP99Ms", round(r.pickupP99Ms(), 3)).append(',');
    field(sb, "pickupMaxMs", round(r.pickupMaxMs(), 3)).append(',');
    sb.append("\"config\":{");
    boolean first = true;
    for (var e : config.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      field(sb, e.getKey(), e.getValue());
    }
    return sb.append("}}\n").toString();
  }

  private static StringBuilder field(StringBuilder sb, String name, Object value) {
    sb.append(quote(name)).append(':');
    if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else {
      sb.append(quote(String.valueOf(value)));
    }
    return sb;
  }

  static String quote(String s) {
    var sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  private static String rate(double perSec) {
    return String.format(Locale.ROOT, "%,.0f jobs/s", perSec);
  }

  private static String millis(double ms) {
    return String.format(Locale.ROOT, "%.2f ms", ms);
  }

  private static String verdict(boolean ok) {
    return ok ? "ok" : "BELOW GOAL";
  }
}
