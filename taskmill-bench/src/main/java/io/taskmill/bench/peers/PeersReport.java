package io.taskmill.bench.peers;

import io.taskmill.bench.Latencies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The peers comparison as a table or as one JSON object: each system's figures side by side, and
 * for each peer the ratios that say how far ahead (above 1) or behind (below 1) Taskmill is.
 *
 * <p>Ratios are oriented so that above 1 always means Taskmill is ahead: a rate is Taskmill's over
 * the peer's, a latency or a cost the peer's over Taskmill's. In the JSON each system's figures are
 * an object of numbers (Taskmill's under {@code taskmill}, the peers' under their keys) and the
 * ratios sit under {@code ratios.<peer>}, each name ending in {@code Ratio}, so that {@code
 * --compare} can flatten and judge two builds' runs.
 */
public final class PeersReport {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One row: its label, its JSON name, how to read it from a system, and how to show it. */
  private record Row(
      String label, String figure, ToDoubleFunction<SystemFigures> value, Kind kind) {}

  private enum Kind {
    RATE,
    LATENCY,
    CPU
  }

  private static final List<Row> ROWS =
      List.of(
          new Row("drain throughput", "drain", SystemFigures::drainJobsPerSec, Kind.RATE),
          new Row(
              "  steady, 10-90% run",
              "drainSteady", SystemFigures::drainSteadyJobsPerSec, Kind.RATE),
          new Row("  CPU per job (bench)", "drainCpu", SystemFigures::drainCpuUsPerJob, Kind.CPU),
          new Row("batch enqueue", "enqueue", SystemFigures::enqueueJobsPerSec, Kind.RATE),
          new Row("pickup latency p50", "pickupP50", f -> f.pickup().p50Ms(), Kind.LATENCY),
          new Row("pickup latency p99", "pickupP99", f -> f.pickup().p99Ms(), Kind.LATENCY),
          new Row("pickup latency max", "pickupMax", f -> f.pickup().maxMs(), Kind.LATENCY));

  private PeersReport() {}

  /**
   * Taskmill's rate over a peer's: above 1, Taskmill is faster. NaN when either is not a positive
   * number.
   */
  public static double throughputRatio(double taskmill, double peer) {
    return positive(taskmill) && positive(peer) ? taskmill / peer : Double.NaN;
  }

  /**
   * A peer's latency (or cost) over Taskmill's: above 1, Taskmill is quicker. NaN when either is
   * not positive.
   */
  public static double latencyRatio(double taskmill, double peer) {
    return positive(taskmill) && positive(peer) ? peer / taskmill : Double.NaN;
  }

  private static boolean positive(double v) {
    return v > 0 && !Double.isInfinite(v);
  }

  private static double ratio(Row row, SystemFigures taskmill, SystemFigures peer) {
    double t = row.value().applyAsDouble(taskmill);
    double p = row.value().applyAsDouble(peer);
    return row.kind() == Kind.RATE ? throughputRatio(t, p) : latencyRatio(t, p);
  }

  /** {@code 3.52x}, or n/a. */
  static String ratioText(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%,.2fx", ratio);
  }

  private static String shown(Row row, double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return switch (row.kind()) {
      case RATE -> String.format(Locale.ROOT, "%,.0f jobs/s", v);
      case LATENCY -> String.format(Locale.ROOT, "%,.2f ms", v);
      case CPU -> String.format(Locale.ROOT, "%,.1f µs", v);
    };
  }

  /**
   * The configuration entries of the systems themselves, to add to the machine's: per system its
   * version, settings, N, pickup samples and schema, keyed {@code <key>.<entry>}.
   */
  public static Map<String, Object> systemsConfig(
      SystemFigures taskmill, List<SystemFigures> peers) {
    var c = new LinkedHashMap<String, Object>();
    var all = new ArrayList<SystemFigures>();
    all.add(taskmill);
    all.addAll(peers);
    for (SystemFigures f : all) {
      c.put(f.key() + ".version", f.version());
      c.put(f.key() + ".settings", f.settings());
      c.put(f.key() + ".jobs", f.jobs());
      c.put(f.key() + ".pickupSamples", f.pickup().samples());
      c.put(f.key() + ".pickupHow", f.pickupNote());
      c.put(f.key() + ".schema", f.schema());
    }
    c.put("schemas", String.join(" ", all.stream().map(SystemFigures::schema).toList()));
    return c;
  }

  /**
   * The table, then the configuration ({@code config} holds the machine's and {@link
   * #systemsConfig}'s entries).
   */
  public static String table(
      SystemFigures taskmill, List<SystemFigures> peers, Map<String, Object> config) {
    var sb = new StringBuilder();
    var names = peers.stream().map(SystemFigures::name).toList();
    sb.append("Taskmill beside ")
        .append(String.join(" and ", names))
        .append(" (PostgreSQL, one instance of each, measured one after another)\n\n");
    var header =
        new StringBuilder(String.format(Locale.ROOT, "  %-22s %16s", "FIGURE", taskmill.name()));
    for (SystemFigures p : peers) {
      header.append(String.format(Locale.ROOT, " %16s", p.name()));
    }
    for (SystemFigures p : peers) {
      header.append(String.format(Locale.ROOT, " %18s", "vs " + p.name()));
    }
    sb.append(header.toString().stripTrailing()).append('\n');
    for (Row row : ROWS) {
      var line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "  %-22s %16s",
                  row.label(),
                  shown(row, row.value().applyAsDouble(taskmill))));
      for (SystemFigures p : peers) {
        line.append(String.format(Locale.ROOT, " %16s", shown(row, row.value().applyAsDouble(p))));
      }
      for (SystemFigures p : peers) {
        line.append(String.format(Locale.ROOT, " %18s", ratioText(ratio(row, taskmill, p))));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    sb.append(
        "\n  ratios: for jobs/s Taskmill / peer, for latency and CPU peer / Taskmill; above 1.00x Taskmill\n"
            + "  is ahead. CPU is this process's only (the bench's JVM), not the database's.\n");

    sb.append("\nCONFIGURATION\n");
    String cfg = "  %-20s %s%n";
    sb.append(String.format(Locale.ROOT, cfg, "database", config.get("database")));
    sb.append(String.format(Locale.ROOT, cfg, "order", config.get("order")));
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
                + " at start, "
                + config.get("loadAverageAtEnd")
                + " at end"));
    var all = new ArrayList<SystemFigures>();
    all.add(taskmill);
    all.addAll(peers);
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "jobs (N)",
            String.join(
                    "; ",
                    all.stream()
                        .map(f -> String.format(Locale.ROOT, "%s %,d", f.name(), f.jobs()))
                        .toList())
                + String.format(
                    Locale.ROOT,
                    " no-op jobs, each after %,d warm-up jobs",
                    config.get("warmupJobs"))));
    sb.append(String.format(Locale.ROOT, cfg, "enqueue", config.get("enqueue")));
    sb.append(String.format(Locale.ROOT, cfg, "drain", config.get("drain")));
    sb.append(
        String.format(
            Locale.ROOT,
            cfg,
            "pickup samples",
            String.join(
                "; ",
                all.stream()
                    .map(
                        f ->
                            String.format(
                                Locale.ROOT,
                                "%s %,d, %s",
                                f.name(),
                                f.pickup().samples(),
                                f.pickupNote()))
                    .toList())));
    for (SystemFigures f : all) {
      sb.append(String.format(Locale.ROOT, cfg, f.name(), f.version() + ": " + f.settings()));
    }
    sb.append(
        String.format(
            Locale.ROOT, cfg, "schemas", config.get("schemas") + " (all dropped afterwards)"));
    return sb.toString();
  }

  /** One JSON object on one line: each system's figures, the ratios per peer, the configuration. */
  public static String json(
      SystemFigures taskmill, List<SystemFigures> peers, Map<String, Object> config) {
    ObjectNode root = JSON.createObjectNode();
    figures(root.putObject(taskmill.key()), taskmill);
    for (SystemFigures p : peers) {
      figures(root.putObject(p.key()), p);
    }
    ObjectNode ratios = root.putObject("ratios");
    for (SystemFigures p : peers) {
      ObjectNode r = ratios.putObject(p.key());
      for (Row row : ROWS) {
        number(r, row.figure() + "Ratio", ratio(row, taskmill, p), 3);
      }
    }
    ObjectNode c = root.putObject("config");
    for (var e : config.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        c.putNull(e.getKey());
      } else if (v instanceof Integer i) {
        c.put(e.getKey(), i);
      } else if (v instanceof Long l) {
        c.put(e.getKey(), l);
      } else if (v instanceof Number n) {
        c.put(e.getKey(), n.doubleValue());
      } else if (v instanceof Boolean b) {
        c.put(e.getKey(), b);
      } else {
        c.put(e.getKey(), String.valueOf(v));
      }
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  private static void figures(ObjectNode o, SystemFigures f) {
    number(o, "enqueueJobsPerSec", f.enqueueJobsPerSec(), 1);
    number(o, "drainJobsPerSec", f.drainJobsPerSec(), 1);
    number(o, "drainSteadyJobsPerSec", f.drainSteadyJobsPerSec(), 1);
    number(o, "drainCpuUsPerJob", f.drainCpuUsPerJob(), 2);
    Latencies l = f.pickup();
    number(o, "pickupP50Ms", l.p50Ms(), 3);
    number(o, "pickupP99Ms", l.p99Ms(), 3);
    number(o, "pickupMaxMs", l.maxMs(), 3);
  }

  private static void number(ObjectNode o, String name, double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      o.putNull(name);
    } else {
      double f = Math.pow(10, decimals);
      o.put(name, Math.round(v * f) / f);
    }
  }
}
