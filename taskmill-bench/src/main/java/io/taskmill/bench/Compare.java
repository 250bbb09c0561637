package io.taskmill.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --compare REV}: builds REV in a scratch worktree and runs its bench and this build's
 * alternately, each run a fresh process with {@code --json}, then prints every figure's runs and
 * medians side by side with their ratio. On a noisy machine a ratio taken in one alternating run is
 * the only honest comparison: both builds see the same noise, spread over the same minutes.
 */
final class Compare {
  /** Options of the parent that make no sense for a child run, with whether they take a value. */
  private static final Map<String, Boolean> PARENT_ONLY =
      Map.of("--compare", true, "--runs", true, "--json", false);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * What to compare and how.
   *
   * @param root the checkout whose git history holds {@code rev}
   * @param rev the base revision, as git understands it (a sha, tag, branch, {@code HEAD~3})
   * @param runs runs of each build
   * @param benchArgs the bench options both builds run with, without {@code --json}
   * @param currentJava the java executable of this build's runs
   * @param currentClasspath this build's class path
   * @param jvmArgs JVM options both builds' processes get
   */
  record Plan(
      Path root,
      String rev,
      int runs,
      List<String> benchArgs,
      String currentJava,
      String currentClasspath,
      List<String> jvmArgs) {}

  /** One build's figures over its runs, in run order. */
  record Side(String label, String describe, List<Map<String, Double>> runs) {
    List<Double> values(String figure) {
      return runs.stream().map(r -> r.getOrDefault(figure, Double.NaN)).toList();
    }
  }

  /** The base and current builds' figures. */
  record Outcome(Side base, Side current, Map<String, Object> config) {}

  private final Plan plan;
  private final PrintStream progress;

  /** The configuration the first run printed (store, JDK, cores): the same for every run. */
  private Map<String, Object> configOf;

  Compare(Plan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
  }

  /**
   * The plan for this process: the checkout is {@code taskmill.root} (set by the launcher) or the
   * git top level of the working directory; this build runs with this JVM and class path.
   */
  static Plan planFor(String rev, int runs, List<String> originalArgs) {
    String rootProperty = System.getProperty("taskmill.root");
    Path root =
        rootProperty != null
            ? Path.of(rootProperty)
            : Path.of(git(Path.of("").toAbsolutePath(), "rev-parse", "--show-toplevel").trim());
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The same heap and GC flags for both builds; an agent or a recording is this process's own.
    List<String> jvmArgs =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                a ->
                    (a.startsWith("-X")
                            || a.startsWith("-XX:")
                            || a.startsWith("--sun-misc")
                            || a.startsWith("--enable-native-access"))
                        && !a.contains("FlightRecord"))
            .toList();
    return new Plan(
        root,
        rev,
        runs,
        childArgs(originalArgs),
        java,
        System.getProperty("java.class.path"),
        jvmArgs);
  }

  /** {@code args} without the options only the comparing process uses. */
  static List<String> childArgs(List<String> args) {
    var out = new ArrayList<String>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      Boolean takesValue = PARENT_ONLY.get(name);
      if (takesValue == null) {
        out.add(a);
      } else if (takesValue && !a.contains("=")) {
        i++;
      }
    }
    return List.copyOf(out);
  }

  /** Builds the base if needed, runs both builds alternately and collects their figures. */
  Outcome run() throws IOException, InterruptedException {
    String sha =
        git(plan.root(), "rev-parse", "--verify", "--quiet", plan.rev() + "^{commit}").trim();
    String baseClasspath = buildBase(sha);
    String current = currentDescription();
    var base = new Side("base", shortSha(sha) + " (" + plan.rev() + ")", new ArrayList<>());
    var mine = new Side("current", current, new ArrayList<>());
    int total = plan.runs() * 2;
    int n = 0;
    for (int round = 0; round < plan.runs(); round++) {
      // ABBA order: whichever build ran second in one round runs first in the next, so a drift
      // of the machine over the minutes favours neither.
      boolean baseFirst = round % 2 == 0;
      for (int k = 0; k < 2; k++) {
        boolean isBase = (k == 0) == baseFirst;
        Side side = isBase ? base : mine;
        n++;
        progress.printf(
            Locale.ROOT,
            "bench: compare run %d/%d: %s %s%n",
            n,
            total,
            side.label(),
            side.describe());
        progress.flush();
        var figures =
            runOnce(
                isBase ? baseClasspath : plan.currentClasspath(), side.label() + "-" + (round + 1));
        side.runs().add(figures.figures());
        progress.printf(Locale.ROOT, "bench:   %s%n", summary(figures.figures()));
        progress.flush();
        if (!figures.config().isEmpty() && configOf == null) {
          configOf = figures.config();
        }
      }
    }
    var config = new LinkedHashMap<String, Object>();
    config.put("base", base.describe());
    config.put("current", mine.describe());
    config.put("runsEach", plan.runs());
    config.put("order", "alternating, ABBA (base first in odd rounds)");
    config.put("benchArgs", String.join(" ", plan.benchArgs()));
    config.put("jvmArgs", String.join(" ", plan.jvmArgs()));
    if (configOf != null) {
      for (String key :
          List.of("store", "jdk", "cores", "maxHeapMb", "jobs", "warmupJobs", "nodes")) {
        if (configOf.containsKey(key)) {
          config.put(key, configOf.get(key));
        }
      }
    }
    return new Outcome(base, mine, config);
  }

  /** One run's figures and its printed configuration. */
  record RunFigures(Map<String, Double> figures, Map<String, Object> config) {}

  private RunFigures runOnce(String classpath, String name)
      throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add(plan.currentJava());
    command.addAll(plan.jvmArgs());
    command.add("-cp");
    command.add(classpath);
    command.add(Bench.class.getName());
    command.addAll(plan.benchArgs());
    command.add("--json");
    Path logs = Files.createDirectories(scratch().resolve("logs"));
    Path out = logs.resolve(name + ".json");
    Path err = logs.resolve(name + ".log");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    int code = p.waitFor();
    String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
    if (code != 0 || !stdout.startsWith("{")) {
      throw new IllegalStateException(
          "the "
              + name
              + " run failed (exit "
              + code
              + "); its output:\n"
              + tail(err, 15)
              + "\nfull log: "
              + err);
    }
    return parse(stdout);
  }

  /** The numeric figures of one bench JSON object (nested ones as {@code a.b}), and its config. */
  static RunFigures parse(String json) {
    JsonNode root = JSON.readTree(json);
    var figures = new LinkedHashMap<String, Double>();
    var config = new LinkedHashMap<String, Object>();
    for (var e : root.properties()) {
      if (e.getKey().equals("goals")) {
        continue;
      }
      if (e.getKey().equals("config")) {
        for (var c : e.getValue().properties()) {
          JsonNode v = c.getValue();
          config.put(c.getKey(), v.isNumber() ? v.numberValue() : v.isNull() ? null : v.asString());
        }
        continue;
      }
      flatten(e.getKey(), e.getValue(), figures);
    }
    return new RunFigures(figures, config);
  }

  private static void flatten(String name, JsonNode node, Map<String, Double> into) {
    if (node.isNumber()) {
      into.put(name, node.doubleValue());
    } else if (node.isNull()) {
      into.put(name, Double.NaN);
    } else if (node.isObject()) {
      for (var e : node.properties()) {
        flatten(name + "." + e.getKey(), e.getValue(), into);
      }
    }
  }

  /** The class path of REV's bench, built once per commit in a worktree under {@link #scratch}. */
  private String buildBase(String sha) throws IOException, InterruptedException {
    Path tree = scratch().resolve(shortSha(sha));
    Path stamp = tree.resolve(".taskmill-compare-built");
    if (!Files.exists(stamp)) {
      // A worktree left by an interrupted build, or whose directory `mvn clean` removed.
      git(plan.root(), "worktree", "prune");
      if (Files.exists(tree)) {
        git(plan.root(), "worktree", "remove", "--force", tree.toString());
      }
      progress.printf(
          Locale.ROOT, "bench: checking out %s (%s) in %s%n", shortSha(sha), plan.rev(), tree);
      git(plan.root(), "worktree", "add", "--detach", "--force", tree.toString(), sha);
      progress.printf(Locale.ROOT, "bench: building it (mvn package, tests skipped)…%n");
      progress.flush();
      Path log = scratch().resolve("build-" + shortSha(sha) + ".log");
      var mvn =
          new ProcessBuilder("mvn", "-B", "-q", "-Dmaven.test.skip=true", "package")
              .directory(tree.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      mvn.environment().put("JAVA_HOME", System.getProperty("java.home"));
      String opts = mvn.environment().getOrDefault("MAVEN_OPTS", "");
      if (Runtime.version().feature() >= 24 && !opts.contains("sun-misc-unsafe-memory-access")) {
        mvn.environment()
            .put("MAVEN_OPTS", (opts + " --sun-misc-unsafe-memory-access=allow").trim());
      }
      int code = mvn.start().waitFor();
      if (code != 0) {
        throw new IllegalStateException(
            "building "
                + plan.rev()
                + " ("
                + shortSha(sha)
                + ") failed (mvn exit "
                + code
                + "):\n"
                + tail(log, 20)
                + "\nfull log: "
                + log);
      }
      Files.writeString(stamp, sha + "\n");
    }
    Path target = tree.resolve("taskmill-bench").resolve("target");
    Path jar;
    try (Stream<Path> files = Files.list(target)) {
      jar =
          files
              .filter(
                  f ->
                      f.getFileName().toString().matches("taskmill-bench-.*\\.jar")
                          && !f.getFileName()
                              .toString()
                              .matches(".*-(sources|javadoc|tests)\\.jar"))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("no taskmill-bench jar under " + target));
    }
    return jar + File.pathSeparator + target.resolve("lib").resolve("*");
  }

  /**
   * Where worktrees, build logs and run logs go: the temporary directory, one folder per checkout.
   * Not under the checkout's {@code target/}: {@code mvn clean} would drop the builds, and tools
   * and tests that walk the checkout would find whole copies of other revisions' sources there.
   */
  Path scratch() throws IOException {
    String checkout =
        Integer.toHexString(plan.root().toAbsolutePath().normalize().toString().hashCode());
    return Files.createDirectories(
        Path.of(System.getProperty("java.io.tmpdir"), "taskmill-bench-compare", checkout));
  }

  private String currentDescription() {
    try {
      return "this build (" + git(plan.root(), "describe", "--always", "--dirty").trim() + ")";
    } catch (IllegalStateException e) {
      return "this build";
    }
  }

  static String git(Path dir, String... args) {
    var command = new ArrayList<String>();
    command.add("git");
    command.addAll(Arrays.asList(args));
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "git " + String.join(" ", args) + " did not finish in 2 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "git " + String.join(" ", args) + " in " + dir + " failed: " + out.trim());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("could not run git (is it installed?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }

  private static String shortSha(String sha) {
    return sha.substring(0, Math.min(12, sha.length()));
  }

  private static String tail(Path file, int lines) throws IOException {
    if (!Files.exists(file)) {
      return "(no output)";
    }
    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static String summary(Map<String, Double> figures) {
    var sb = new StringBuilder();
    for (var e : figures.entrySet()) {
      if (e.getKey().endsWith("PerSec") || e.getKey().endsWith("P99Ms")) {
        if (!sb.isEmpty()) {
          sb.append(", ");
        }
        sb.append(e.getKey()).append(' ').append(format(e.getValue()));
      }
    }
    return sb.toString();
  }

  /** Whether a larger value of the figure is better (true), worse (false) or neither (null). */
  static Boolean higherIsBetter(String figure) {
    if (figure.endsWith("PerSec") || figure.endsWith("Ratio") && !figure.contains("Fail")) {
      return true;
    }
    if (figure.endsWith("Ms")
        || figure.endsWith("Us")
        || figure.endsWith("UsPerJob")
        || figure.endsWith("Mib")
        || figure.endsWith("Bytes")) {
      return false;
    }
    return null;
  }

  static double median(List<Double> values) {
    double[] v =
        values.stream()
            .mapToDouble(Double::doubleValue)
            .filter(d -> !Double.isNaN(d))
            .sorted()
            .toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The side-by-side table: per figure, each build's runs and median, and current/base. */
  static String table(Outcome o) {
    var sb = new StringBuilder();
    sb.append(
        "Taskmill benchmark, compared ("
            + o.config().getOrDefault("store", "?")
            + ", "
            + o.config().get("runsEach")
            + " runs each, "
            + o.config().get("order")
            + ")\n\n");
    sb.append("  base     ").append(o.base().describe()).append('\n');
    sb.append("  current  ").append(o.current().describe()).append("\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "  %-28s %-8s %-40s %12s %9s%n",
            "FIGURE",
            "BUILD",
            "RUNS",
            "MEDIAN",
            "RATIO"));
    for (String figure : figures(o)) {
      double b = median(o.base().values(figure));
      double c = median(o.current().values(figure));
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-28s %-8s %-40s %12s%n",
              figure,
              "base",
              runs(o.base().values(figure)),
              format(b)));
      double ratio = c / b;
      Boolean higher = higherIsBetter(figure);
      String verdict =
          Double.isNaN(ratio) || Double.isInfinite(ratio) || higher == null
              ? ""
              : ratio == 1 ? "same" : (ratio > 1) == higher ? "better" : "worse";
      sb.append(
              String.format(
                      Locale.ROOT,
                      "  %-28s %-8s %-40s %12s %9s %s",
                      "",
                      "current",
                      runs(o.current().values(figure)),
                      format(c),
                      Double.isNaN(ratio) || Double.isInfinite(ratio)
                          ? "n/a"
                          : String.format(Locale.ROOT, "%.3f", ratio),
                      verdict)
                  .stripTrailing())
          .append('\n');
    }
    sb.append(
        "\n  ratio = current median / base median; 'better' follows the figure's direction\n");
    sb.append("  (jobs/s: higher; ms, µs of CPU, MiB, bytes: lower).\n");
    sb.append("\nCONFIGURATION\n");
    for (var e : o.config().entrySet()) {
      sb.append(String.format(Locale.ROOT, "  %-12s %s%n", e.getKey(), e.getValue()));
    }
    return sb.toString();
  }

  /** Every figure either build reported, in the order the runs reported them. */
  private static List<String> figures(Outcome o) {
    var names = new LinkedHashMap<String, Boolean>();
    Stream.concat(o.current().runs().stream(), o.base().runs().stream())
        .forEach(r -> r.forEach((k, v) -> names.merge(k, !Double.isNaN(v), Boolean::logicalOr)));
    // A figure neither build measured (cross-node pickup on H2) is only noise in the table.
    return names.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }

  static String json(Outcome o) {
    var sb = new StringBuilder("{\"figures\":{");
    boolean first = true;
    for (String figure : figures(o)) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      double b = median(o.base().values(figure));
      double c = median(o.current().values(figure));
      sb.append(Report.quote(figure))
          .append(":{\"base\":")
          .append(numbers(o.base().values(figure)))
          .append(",\"current\":")
          .append(numbers(o.current().values(figure)))
          .append(",\"baseMedian\":")
          .append(number(b))
          .append(",\"currentMedian\":")
          .append(number(c))
          .append(",\"ratio\":")
          .append(number(c / b))
          .append('}');
    }
    sb.append("},\"config\":{");
    first = true;
    for (var e : o.config().entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      Report.field(sb, e.getKey(), e.getValue());
    }
    return sb.append("}}\n").toString();
  }

  private static String numbers(List<Double> values) {
    return "[" + String.join(",", values.stream().map(Compare::number).toList()) + "]";
  }

  private static String number(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.valueOf(Report.round(v, 3));
  }

  private static String runs(List<Double> values) {
    return String.join(" · ", values.stream().map(Compare::format).toList());
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  /** Prints the outcome, as a table or as JSON. */
  static void print(Outcome o, boolean json, PrintWriter out) {
    out.print(json ? json(o) : table(o));
    out.flush();
  }
}
