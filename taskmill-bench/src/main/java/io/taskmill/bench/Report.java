package io.taskmill.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the benchmark's results as a table or as one JSON object, each figure that has a goal for
 * the store judged against it.
 */
final class Report {
  private Report() {}

  /**
   * One figure judged against its goal.
   *
   * @param figure the figure's name in the JSON output
   * @param measured the figure, NaN when it was not measured
   * @param goal the goal, NaN when the store has none for this figure
   * @param higherIsBetter whether the goal is a minimum rather than a maximum
   */
  record Check(String figure, double measured, double goal, boolean higherIsBetter) {
    boolean hasGoal() {
      return !Double.isNaN(goal);
    }

    /** Whether the goal was met; null when there is no goal or the figure was not measured. */
    Boolean met() {
      if (!hasGoal() || Double.isNaN(measured)) {
        return null;
      }
      return higherIsBetter ? measured >= goal : measured <= goal;
    }

    String verdict() {
      Boolean met = met();
      if (met == null) {
        return hasGoal() ? "not measured" : "";
      }
      return met ? "ok" : "MISSED";
    }
  }

  /** Every figure that has a goal for this store, judged, in the order of the table. */
  static List<Check> checks(Bench.Results r, Goals goals) {
    return List.of(
            new Check("drainJobsPerSec", r.drainJobsPerSec(), goals.drainJobsPerSec(), true),
            new Check("enqueueJobsPerSec", r.enqueueJobsPerSec(), goals.enqueueJobsPerSec(), true),
            new Check("pickupP99Ms", r.pickup().p99Ms(), goals.pickupP99Ms(), false),
            new Check(
                "crossNodePickupP99Ms",
                r.crossNodePickup() == null ? Double.NaN : r.crossNodePickup().p99Ms(),
                goals.crossNodePickupP99Ms(),
                false),
            new Check(
                "delayedLatenessP99Ms",
                r.delayedLateness().p99Ms(),
                goals.delayedLatenessP99Ms(),
                false))
        .stream()
        .filter(Check::hasGoal)
        .toList();
  }

  static String table(Bench.Results r, Map<String, Object> config) {
    boolean postgres = "PostgreSQL".equals(config.get("store"));
    var checks = checks(r, Goals.forStore(config.get("store")));
    var sb = new StringBuilder();
    sb.append(
        "Taskmill benchmark ("
            + (postgres
                ? "PostgreSQL, " + config.get("nodes") + " node(s)"
                : "embedded H2 store, file mode")
            + ")\n\n");
    row(sb, "MEASUREMENT", "RESULT", "GOAL", "");
    row(sb, checks, "drain throughput", "drainJobsPerSec", rate(r.drainJobsPerSec()));
    row(
        sb,
        checks,
        "  steady, 10-90% run",
        "drainSteadyJobsPerSec",
        rate(r.drain().steadyJobsPerSec()));
    coldRow(sb, checks, "drainColdJobsPerSec", r.cold(), r.cold().drainJobsPerSec());
    row(
        sb,
        checks,
        "  CPU per job",
        "drainCpuUsPerJob",
        String.format(Locale.ROOT, "%.1f µs", r.drain().cpuUsPerJob()));
    row(sb, checks, "  peak heap in use", "drainPeakHeapMib", mib(r.drain().peakHeapMib()));
    row(
        sb,
        checks,
        "  heap after GC, most",
        "drainHeapAfterGcMib",
        mib(r.drain().heapAfterGcMib()));
    row(sb, checks, "  peak resident (RSS)", "drainPeakRssMib", mib(r.drain().peakRssMib()));
    row(sb, checks, "  live heap after it", "drainLiveHeapMib", mib(r.drain().liveHeapMib()));
    row(sb, checks, "batch enqueue", "enqueueJobsPerSec", rate(r.enqueueJobsPerSec()));
    row(
        sb,
        checks,
        "  steady, 10-90% run",
        "enqueueSteadyJobsPerSec",
        rate(r.enqueueSteadyJobsPerSec()));
    coldRow(sb, checks, "enqueueColdJobsPerSec", r.cold(), r.cold().enqueueJobsPerSec());
    latencyRows(sb, checks, "pickup latency", "pickup", r.pickup());
    if (r.crossNodePickup() != null) {
      latencyRows(sb, checks, "cross-node pickup", "crossNodePickup", r.crossNodePickup());
    } else {
      row(sb, checks, "cross-node pickup", "crossNodePickupP99Ms", "n/a");
    }
    latencyRows(sb, checks, "delayed lateness", "delayedLateness", r.delayedLateness());
    if (r.claims() != null) {
      latencyRows(sb, checks, "claim (drain)", "claim", r.claims());
    }
    if (r.store() != null) {
      Bench.StoreSize s = r.store();
      row(sb, checks, "store on disk", "storeMib", mib1(s.mib()));
      row(sb, checks, "  of it live (H2)", "storeLiveMib", mib1(s.liveMib()));
      row(
          sb,
          checks,
          "  finished jobs in it",
          "finishedJobs",
          String.format(Locale.ROOT, "%,d", s.finishedJobs()));
      row(
          sb,
          checks,
          "  per million finished",
          "storeMibPerMillionFinished",
          mib1(s.mibPerMillionFinished()));
      if (!Double.isNaN(s.mibAfterPrune())) {
        row(sb, checks, "  after pruning them", "storeMibAfterPrune", mib1(s.mibAfterPrune()));
        row(sb, checks, "  after as many again", "storeMibAfterRefill", mib1(s.mibAfterRefill()));
      }
    }
    long met = checks.stream().filter(c -> Boolean.TRUE.equals(c.met())).count();
    long judged = checks.stream().filter(c -> c.met() != null).count();
    sb.append(
        String.format(
            Locale.ROOT,
            "%n  goals met: %d of %d (%s goals)%n",
            met,
            judged,
            postgres ? "PostgreSQL" : "H2 file"));

    sb.append("\nCONFIGURATION\n");
    String cfg = "  %-20s %s%n";
    sb.append(
        String.format(
            Locale.ROOT, cfg, "store", config.get("store") + ": " + config.get("location")));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "nodes",
            config.get("nodes")
                + " engine(s) in this process"
                + (postgres
                    ? ", plus " + config.get("crossNodeEnqueuedOn") + " for the cross-node figures"
                    : "")));
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
        String.format(Locale.ROOT, cfg, "jvm options", config.getOrDefault("jvmOptions", "")));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "jobs (N)",
            String.format(
                Locale.ROOT,
                "%,d demo.noop (after %,d warm-up jobs)",
                config.get("jobs"),
                config.get("warmupJobs"))));
    if (config.get("prefilledJobs") instanceof Integer p && p > 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              cfg,
              "prefilled",
              String.format(
                  Locale.ROOT,
                  "%,d jobs run to SUCCEEDED before the warm-up, so the table already held them",
                  p)));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "enqueue batch",
            config.get("enqueueBatch") + " jobs per enqueueAll"));
    sb.append(
        String.format(
            Locale.ROOT, cfg, "queue concurrency", config.get("concurrency") + " per node"));
    sb.append(String.format(Locale.ROOT, cfg, "claimBatchSize", config.get("claimBatchSize")));
    sb.append(
        String.format(Locale.ROOT, cfg, "completionBatchSize", config.get("completionBatchSize")));
    sb.append(String.format(Locale.ROOT, cfg, "poolSize", config.get("poolSize")));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "pickup samples",
            config.get("pickupSamples")
                + ", one at a time on an idle engine, from the enqueue call to handler start"));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "cross-node samples",
            postgres
                ? config.get("crossNodeSamples")
                    + ", the same, enqueued on "
                    + config.get("crossNodeEnqueuedOn")
                    + " (which runs none), run by a node woken by NOTIFY"
                : "not measured: the H2 file store belongs to one process"));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "delayed samples",
            config.get("delayedSamples")
                + ", one every "
                + config.get("delayedEveryMs")
                + " ms, due "
                + config.get("delayedDueAfterMs")
                + " ms later, enqueued on "
                + config.get("delayedEnqueuedOn")
                + "; handler start - runAt"));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "drain progress",
            "handler runs counted in memory every "
                + config.get("drainPollMs")
                + " ms; counts() confirms the end"));
    return sb.toString();
  }

  static void latencyRows(
      StringBuilder sb, List<Check> checks, String label, String figure, Latencies l) {
    row(sb, checks, label + " p50", figure + "P50Ms", millis(l.p50Ms()));
    row(sb, checks, label + " p99", figure + "P99Ms", millis(l.p99Ms()));
    row(sb, checks, label + " max", figure + "MaxMs", millis(l.maxMs()));
  }

  static void row(StringBuilder sb, List<Check> checks, String label, String figure, String shown) {
    var check = checks.stream().filter(c -> c.figure().equals(figure)).findFirst();
    String goal =
        check
            .map(
                c ->
                    (c.higherIsBetter() ? ">= " : "<= ")
                        + (c.higherIsBetter() ? rate(c.goal()) : millis(c.goal())))
            .orElse("");
    row(sb, label, shown, goal, check.map(Check::verdict).orElse(""));
  }

  /** The warm-up's rate of a figure, when the run had a warm-up in a fresh JVM. */
  private static void coldRow(
      StringBuilder sb, List<Check> checks, String figure, Bench.Cold cold, double perSec) {
    if (cold.jobs() > 0) {
      row(sb, checks, "  cold JVM (warm-up)", figure, rate(perSec));
    }
  }

  static void row(StringBuilder sb, String label, String shown, String goal, String verdict) {
    sb.append(
            String.format(Locale.ROOT, "  %-22s %18s   %-18s %s", label, shown, goal, verdict)
                .stripTrailing())
        .append('\n');
  }

  static String json(Bench.Results r, Map<String, Object> config) {
    var sb = new StringBuilder("{");
    field(sb, "drainJobsPerSec", round(r.drainJobsPerSec(), 1)).append(',');
    field(sb, "drainSteadyJobsPerSec", number(r.drain().steadyJobsPerSec(), 1)).append(',');
    field(sb, "drainCpuUsPerJob", number(r.drain().cpuUsPerJob(), 2)).append(',');
    field(sb, "drainPeakHeapMib", number(r.drain().peakHeapMib(), 1)).append(',');
    field(sb, "drainHeapAfterGcMib", number(r.drain().heapAfterGcMib(), 1)).append(',');
    field(sb, "drainPeakRssMib", number(r.drain().peakRssMib(), 1)).append(',');
    field(sb, "drainLiveHeapMib", number(r.drain().liveHeapMib(), 1)).append(',');
    field(sb, "enqueueJobsPerSec", round(r.enqueueJobsPerSec(), 1)).append(',');
    field(sb, "enqueueSteadyJobsPerSec", number(r.enqueueSteadyJobsPerSec(), 1)).append(',');
    field(sb, "drainColdJobsPerSec", number(r.cold().drainJobsPerSec(), 1)).append(',');
    field(sb, "enqueueColdJobsPerSec", number(r.cold().enqueueJobsPerSec(), 1)).append(',');
    latencyFields(sb, "pickup", r.pickup());
    latencyFields(sb, "crossNodePickup", r.crossNodePickup());
    latencyFields(sb, "delayedLateness", r.delayedLateness());
    if (r.claims() != null) {
      latencyFields(sb, "claim", r.claims());
    }
    if (r.store() != null) {
      Bench.StoreSize s = r.store();
      field(sb, "storeMib", number(s.mib(), 1)).append(',');
      field(sb, "storeLiveMib", number(s.liveMib(), 1)).append(',');
      field(sb, "finishedJobs", s.finishedJobs()).append(',');
      field(sb, "storeMibPerMillionFinished", number(s.mibPerMillionFinished(), 1)).append(',');
      field(sb, "storeMibAfterPrune", number(s.mibAfterPrune(), 1)).append(',');
      field(sb, "storeMibAfterRefill", number(s.mibAfterRefill(), 1)).append(',');
    }
    return closeWithGoalsAndConfig(sb, checks(r, Goals.forStore(config.get("store"))), config);
  }

  /** Appends the judged goals and the configuration and closes the object begun in {@code sb}. */
  static String closeWithGoalsAndConfig(
      StringBuilder sb, List<Check> checks, Map<String, Object> config) {
    sb.append("\"goals\":{");
    boolean first = true;
    for (Check c : checks) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(quote(c.figure())).append(":{");
      field(sb, c.higherIsBetter() ? "min" : "max", c.goal()).append(',');
      field(sb, "met", c.met()).append('}');
    }
    sb.append("},\"config\":{");
    first = true;
    for (var e : config.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      field(sb, e.getKey(), e.getValue());
    }
    return sb.append("}}\n").toString();
  }

  /** {@code <figure>P50Ms}, {@code P99Ms} and {@code MaxMs}, each null when not measured. */
  static void latencyFields(StringBuilder sb, String figure, Latencies l) {
    field(sb, figure + "P50Ms", l == null ? null : round(l.p50Ms(), 3)).append(',');
    field(sb, figure + "P99Ms", l == null ? null : round(l.p99Ms(), 3)).append(',');
    field(sb, figure + "MaxMs", l == null ? null : round(l.maxMs(), 3)).append(',');
  }

  static StringBuilder field(StringBuilder sb, String name, Object value) {
    sb.append(quote(name)).append(':');
    if (value == null || value instanceof Number || value instanceof Boolean) {
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

  /** {@code v} rounded, or null (JSON's "not measured") when it is NaN. */
  static Double number(double v, int decimals) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : round(v, decimals);
  }

  static String mib1(double mib) {
    return Double.isNaN(mib) ? "n/a" : String.format(Locale.ROOT, "%,.1f MiB", mib);
  }

  static String mib(double mib) {
    return Double.isNaN(mib) ? "n/a" : String.format(Locale.ROOT, "%,.0f MiB", mib);
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  static String rate(double perSec) {
    return Double.isNaN(perSec) ? "n/a" : String.format(Locale.ROOT, "%,.0f jobs/s", perSec);
  }

  static String millis(double ms) {
    return String.format(Locale.ROOT, "%.2f ms", ms);
  }
}
