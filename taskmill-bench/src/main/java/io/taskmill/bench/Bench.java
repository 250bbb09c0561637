package io.taskmill.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.bench.peers.PeerOptions;
import io.taskmill.demo.DemoHandlers;
import io.taskmill.demo.DemoHandlers.Noop;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.server.ServerConfig;
import io.taskmill.server.TaskmillServer;
import io.taskmill.server.api.JobsApi;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreProvider;
import io.taskmill.spi.StoreSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures the engine on the embedded H2 store in file mode, or on PostgreSQL with one or more
 * nodes: drain throughput, batch enqueue rate, idle pickup latency (on PostgreSQL also of a job
 * enqueued on another node) and delayed jobs' lateness, after a warm-up. Prints a table (or one
 * JSON object with {@code --json}); progress goes to stderr. With {@code --rest} it measures the
 * REST API of a server started in this process instead ({@link RestBench}).
 */
@Command(
    name = "taskmill bench",
    mixinStandardHelpOptions = true,
    versionProvider = Bench.Version.class,
    sortOptions = false,
    description = {
      "Measures Taskmill on the embedded H2 store in file mode (never in memory), or on PostgreSQL",
      "with --db-url and --nodes, after a warm-up:",
      "  enqueue     N demo.noop jobs, enqueueAll in batches into a paused queue",
      "  drain       the queue resumed: jobs/s until all N have SUCCEEDED",
      "  pickup      one job at a time on an idle engine: enqueue call to handler start",
      "  cross-node  (PostgreSQL) the same, enqueued on another engine that runs none of them",
      "  delayed     jobs due 200-500 ms after enqueue: handler start minus due time",
      "Goals, H2 file: drain >= 10,000 jobs/s, enqueue >= 50,000 jobs/s, pickup p99 <= 10 ms;",
      "PostgreSQL: drain >= 12,000 jobs/s, pickup p99 <= 10 ms, cross-node pickup p99 <= 15 ms;",
      "both: delayed p99 <= 100 ms.",
      "",
      "With --rest it measures the REST API instead: one server in this process on",
      "the same store (H2 file, or PostgreSQL with --db-url), queue 'default' paused",
      "throughout so no job runs, blocking HTTP/1.1 keep-alive clients on virtual",
      "threads, after a warm-up:",
      "  submit  POST /api/v1/jobs of demo.noop, --rest-clients concurrent clients",
      "  batch   POST /api/v1/jobs/batch, --rest-batch-size jobs per request,",
      "          --rest-batch-clients concurrent clients",
      "  get     GET /api/v1/jobs/{id} of submitted jobs, --rest-get-rate per second",
      "          open loop (latency from each request's scheduled send time)",
      "REST goals: submit >= 2,000 jobs/s, batch >= 20,000 jobs/s, get p99 <= 10 ms.",
      "Any non-2xx answer fails the run. With --rest only --data-dir, --db-*,",
      "--phase-timeout, --json and -v apply besides the --rest-* options.",
      "",
      "Progress goes to stderr; the table (or --json) to stdout.",
      ""
    })
public final class Bench implements Callable<Integer> {
  private static final String BENCH_QUEUE = "bench";

  /** Sample numbers of the warm-up probes, far from the measured ones (which start at 0). */
  private static final int WARM_UP_SAMPLES = -1_000_000;

  private final LongAdder noopRuns = new LongAdder();

  /** Handler runs when the last enqueue into the paused queue began; the drain checks it. */
  private long runsAtEnqueue;

  @Spec CommandSpec spec;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "50000",
      description = "Jobs for the drain and enqueue measurements (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(
      names = "--batch",
      paramLabel = "B",
      defaultValue = "1000",
      description = "Jobs per enqueueAll call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--samples",
      paramLabel = "S",
      defaultValue = "1000",
      description = "Pickup latency samples (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--delayed-samples",
      paramLabel = "D",
      defaultValue = "300",
      description =
          "Delayed jobs measured, one enqueued every "
              + Probes.DELAYED_EVERY_MS
              + " ms, each due "
              + Probes.DELAYED_MIN_MS
              + "-"
              + Probes.DELAYED_MAX_MS
              + " ms later (default: ${DEFAULT-VALUE}).")
  int delayedSamples;

  @Option(
      names = "--prefill",
      paramLabel = "F",
      defaultValue = "0",
      description =
          "Before the warm-up, run F jobs to SUCCEEDED, unmeasured (enqueued and drained"
              + " as the measured ones are), so the run meets a table that already holds F finished"
              + " jobs, as a long-lived store's does (default: ${DEFAULT-VALUE}).")
  int prefill;

  @Option(
      names = "--prune-cycle",
      description =
          "After the measurements, wait a minute, prune every"
              + " finished job (a node that keeps them a minute), then run as many jobs to their end again, and"
              + " report the store's size on disk after each step and the pruner's rate: pruning keeps it flat.")
  boolean pruneCycle;

  @Option(
      names = "--warmup",
      paramLabel = "W",
      defaultValue = "50000",
      description =
          "Warm-up jobs enqueued and drained before measuring (default: ${DEFAULT-VALUE});"
              + " their own rates are printed as the cold JVM's;"
              + " a tenth as many pickup samples (at most 200) warm up each latency path.")
  int warmup;

  // A slot stays taken until its job's outcome is committed, so for no-op jobs the queue needs
  // enough slots for the next claim to overlap the previous batch's completion write: 256 gave
  // 8,400 jobs/s, 1,024 gave 11,000 (virtual threads make a slot cheap).
  @Option(
      names = "--concurrency",
      paramLabel = "C",
      defaultValue = "1024",
      description = "Concurrency of the drained queue (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--claim-batch",
      paramLabel = "K",
      defaultValue = "300",
      description = "Engine claimBatchSize (default: ${DEFAULT-VALUE}).")
  int claimBatch;

  @Option(
      names = "--completion-batch",
      paramLabel = "K",
      defaultValue = "1000",
      description = "Engine completionBatchSize (default: ${DEFAULT-VALUE}).")
  int completionBatch;

  @Option(
      names = "--pool-size",
      paramLabel = "P",
      defaultValue = "8",
      description = "Database connection pool size (default: ${DEFAULT-VALUE}).")
  int poolSize;

  @Option(
      names = "--drain-poll-ms",
      paramLabel = "MS",
      defaultValue = "20",
      description = "How often the drain checks its progress (default: ${DEFAULT-VALUE}).")
  int drainPollMs;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keep the database in DIR (kept afterwards). Default: a fresh temporary"
              + " directory, deleted at the end.")
  Path dataDir;

  @Option(
      names = "--db-url",
      paramLabel = "URL",
      description =
          "Measure on this PostgreSQL database (jdbc:postgresql://…) instead of the"
              + " embedded H2 file store; the run uses a fresh schema, dropped at the end. A password in"
              + " the URL is never printed.")
  String dbUrl;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      defaultValue = "postgres",
      description = "User for --db-url (default: ${DEFAULT-VALUE}).")
  String dbUser;

  @Option(
      names = "--db-password",
      paramLabel = "PASSWORD",
      description = "Password for --db-url (default: none).")
  String dbPassword;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Engines (nodes) sharing the database, in this process (default: ${DEFAULT-VALUE};"
              + " more than 1 needs --db-url).")
  int nodes;

  @Option(
      names = "--phase-timeout",
      paramLabel = "SECONDS",
      defaultValue = "600",
      description = "Give up on a phase after this long (default: ${DEFAULT-VALUE}).")
  int phaseTimeoutSeconds;

  @Option(
      names = "--rest",
      description =
          "Measure the REST API of a server started in this process"
              + " (see above) instead of the engine.")
  boolean rest;

  @Option(
      names = "--rest-jobs",
      paramLabel = "N",
      defaultValue = "20000",
      description = "With --rest: jobs submitted one per request (default: ${DEFAULT-VALUE}).")
  int restJobs;

  @Option(
      names = "--rest-clients",
      paramLabel = "C",
      defaultValue = "64",
      description =
          "With --rest: concurrent clients submitting one job per request (default: ${DEFAULT-VALUE}).")
  int restClients;

  @Option(
      names = "--rest-batch-jobs",
      paramLabel = "N",
      defaultValue = "50000",
      description = "With --rest: jobs submitted in batches (default: ${DEFAULT-VALUE}).")
  int restBatchJobs;

  @Option(
      names = "--rest-batch-size",
      paramLabel = "B",
      defaultValue = "1000",
      description =
          "With --rest: jobs per batch request, at most 1000 (default: ${DEFAULT-VALUE}).")
  int restBatchSize;

  @Option(
      names = "--rest-batch-clients",
      paramLabel = "C",
      defaultValue = "4",
      description =
          "With --rest: concurrent clients submitting batches (default: ${DEFAULT-VALUE}).")
  int restBatchClients;

  @Option(
      names = "--rest-get-rate",
      paramLabel = "R",
      defaultValue = "500",
      description =
          "With --rest: job reads per second, sent on schedule whether or not earlier"
              + " ones were answered (default: ${DEFAULT-VALUE}).")
  int restGetRate;

  @Option(
      names = "--rest-get-seconds",
      paramLabel = "S",
      defaultValue = "20",
      description = "With --rest: how long reads are measured (default: ${DEFAULT-VALUE}).")
  int restGetSeconds;

  @Option(
      names = "--rest-warmup",
      paramLabel = "W",
      defaultValue = "3000",
      description =
          "With --rest: warm-up submissions and reads, plus a tenth as many jobs in"
              + " batches (default: ${DEFAULT-VALUE}).")
  int restWarmup;

  @Option(
      names = "--peers",
      description =
          "Also measure db-scheduler and JobRunr on the same PostgreSQL"
              + " (--db-url), each in its best documented throughput configuration and a fresh schema, the same way"
              + " (drain of N no-op jobs, idle pickup), and print their figures beside Taskmill's with ratios; see"
              + " docs/benchmarks.md, Peers.")
  boolean peers;

  /** {@code --peer-jobs} and {@code --peer-samples}, which only {@code --peers} reads. */
  @Mixin PeerOptions peerOptions = new PeerOptions();

  @Option(
      names = "--compare",
      paramLabel = "REV",
      description =
          "Build git revision REV (a sha, tag, branch or HEAD~N) in a scratch worktree under"
              + " the temporary directory (taskmill-bench-compare) and run its bench and this build's alternately, --runs times each,"
              + " each run a fresh process with the other options given here; then print every figure's"
              + " runs, medians and the ratio current/base.")
  String compare;

  @Option(
      names = "--runs",
      paramLabel = "N",
      defaultValue = "3",
      description = "With --compare: runs of each build (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--json",
      description = "Print only one JSON object with the figures and configuration.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log what Taskmill does (INFO) to stderr.")
  boolean verbose;

  /** {@code --version}: the jar's version and the JVM. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Bench.class.getPackage().getImplementationVersion();
      return new String[] {
        "taskmill bench " + (v == null ? "(development build)" : v),
        "JVM: " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }

  private PrintStream err = System.err;

  /** Times the measured drain's claims on every node's store. */
  private final ClaimTimer claimTimer = new ClaimTimer();

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The command line with a one-line error report (stack trace with {@code --verbose}). */
  static CommandLine newCommandLine() {
    var cli = new CommandLine(new Bench());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          var err = commandLine.getErr();
          // A driver's message may quote the URL, with the password a user put in it.
          err.println(
              "bench failed: "
                  + withoutPassword(ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          if (parseResult.hasMatchedOption("--verbose")) {
            ex.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    return cli;
  }

  /**
   * The measured figures.
   *
   * @param crossNodePickup null when not measured (the H2 file store has one process)
   */
  record Results(
      DrainMeter.Drain drain,
      double enqueueJobsPerSec,
      double enqueueSteadyJobsPerSec,
      Latencies pickup,
      Latencies crossNodePickup,
      Latencies delayedLateness,
      Latencies claims,
      StoreSize store,
      Cold cold) {
    Results(
        DrainMeter.Drain drain,
        double enqueueJobsPerSec,
        Latencies pickup,
        Latencies crossNodePickup,
        Latencies delayedLateness) {
      this(
          drain,
          enqueueJobsPerSec,
          Double.NaN,
          pickup,
          crossNodePickup,
          delayedLateness,
          null,
          null,
          Cold.NONE);
    }

    double drainJobsPerSec() {
      return drain.jobsPerSec();
    }
  }

  /**
   * The warm-up's own enqueue and drain rates: the first jobs a fresh JVM runs, before the JIT has
   * compiled the paths the measured ones take. Printed beside the measured figures so that neither
   * hides the other; NaN without a warm-up, and after a prefill (which warmed the JVM already).
   */
  record Cold(int jobs, double enqueueJobsPerSec, double drainJobsPerSec) {
    static final Cold NONE = new Cold(0, Double.NaN, Double.NaN);
  }

  /**
   * The store on disk after the measurements.
   *
   * @param finishedJobs jobs in a final state then
   * @param mibAfterPrune with {@code --prune-cycle}: the size once every finished job was pruned,
   *     else NaN
   * @param mibAfterRefill with {@code --prune-cycle}: the size once as many jobs again were run to
   *     their end after the prune, else NaN
   */
  record StoreSize(
      double mib, long finishedJobs, double mibAfterPrune, double mibAfterRefill, double liveMib) {
    /** MiB per million finished jobs; NaN when none finished. */
    double mibPerMillionFinished() {
      return finishedJobs == 0 ? Double.NaN : mib / (finishedJobs / 1e6);
    }
  }

  @Override
  public Integer call() throws Exception {
    validate();
    if (compare != null) {
      var plan = Compare.planFor(compare, runs, spec.commandLine().getParseResult().originalArgs());
      Compare.print(new Compare(plan, err).run(), json, spec.commandLine().getOut());
      return 0;
    }
    if (verbose) {
      ((Logger) LoggerFactory.getLogger("io.taskmill")).setLevel(Level.INFO);
    }
    boolean temporary = dataDir == null;
    Path dir = null;
    String schema = null;
    if (dbUrl == null) {
      dir = temporary ? Files.createTempDirectory("taskmill-bench-") : dataDir.toAbsolutePath();
      Files.createDirectories(dir);
    } else {
      schema = "taskmill_bench_" + UUID.randomUUID().toString().replace("-", "");
      postgres("CREATE SCHEMA " + schema);
    }
    if (rest) {
      return runRest(dir, temporary, schema);
    }
    Map<String, Object> config = config(dir, temporary, schema);
    Results results;
    try {
      results = measureEngine(dir, schema, config);
    } finally {
      cleanUp(dir, temporary, schema);
    }
    if (peers) {
      return PeersHook.run(this, results, config, schema);
    }
    var stdout = spec.commandLine().getOut();
    stdout.print(json ? Report.json(results, config) : Report.table(results, config));
    stdout.flush();
    return 0;
  }

  /**
   * Runs the engine measurements on the H2 data dir {@code dir} or the PostgreSQL schema {@code
   * schema}: warm-up, enqueue, drain, pickup (and cross-node pickup on PostgreSQL), delayed jobs.
   */
  Results measureEngine(Path dir, String schema, Map<String, Object> config) throws Exception {
    Results results;
    var engines = new ArrayList<Taskmill>();
    var stores = new ArrayList<Store>();
    Duration sampleTimeout = Duration.ofSeconds(Math.min(phaseTimeoutSeconds, 30));
    var probes = new Probes(sampleTimeout);
    Sender sender = null;
    Taskmill tm = null;
    try {
      for (int i = 1; i <= nodes; i++) {
        engines.add(engine(probes, dir, schema, "bench-node-" + i, stores));
      }
      tm = engines.get(0);
      if (schema != null) {
        // Its own small pool: it only enqueues, one job at a time.
        sender = new Sender(onStore(dir, schema).poolSize(2), sampleTimeout);
      }
      Taskmill delayedOn = sender != null ? sender.engine() : tm;
      progress(
          "started %d engine(s)%s on %s",
          nodes,
          sender != null ? " and " + Sender.NODE_ID : "",
          config.get("store") + " " + config.get("location"));
      setPaused(engines, true);

      if (prefill > 0) {
        progress("prefilling: %,d jobs run to SUCCEEDED first, unmeasured", prefill);
        enqueuePaused(tm, prefill);
        drain(engines, prefill);
      }
      progress("warming up: %,d jobs", warmup);
      Cold cold = Cold.NONE;
      if (warmup > 0) {
        Enqueue warmEnqueue = enqueuePaused(tm, warmup);
        DrainMeter.Drain warmDrain = drain(engines, warmup);
        if (prefill == 0) {
          cold = new Cold(warmup, warmup / warmEnqueue.seconds(), warmDrain.jobsPerSec());
          progress(
              "  cold JVM: enqueue %,.0f jobs/s, drain %,.0f jobs/s",
              cold.enqueueJobsPerSec(), cold.drainJobsPerSec());
        }
      }
      int warmSamples = Math.min(200, Math.max(samples / 10, 20));
      probes.pickup(tm, Probes.MARK, warmSamples, WARM_UP_SAMPLES);
      if (sender != null) {
        probes.pickup(sender.engine(), Probes.REMOTE, warmSamples, WARM_UP_SAMPLES);
      }
      probes.delayed(delayedOn, Math.min(20, delayedSamples), WARM_UP_SAMPLES);

      progress("enqueueing %,d jobs in batches of %,d into the paused queue", jobs, batch);
      Enqueue enqueue = enqueuePaused(tm, jobs);
      double enqueueRate = jobs / enqueue.seconds();
      progress(
          "  %,.0f jobs/s (%.2f s); steady (10-90%% of the jobs) %,.0f jobs/s",
          enqueueRate, enqueue.seconds(), enqueue.steadyJobsPerSec());

      progress("draining %,d jobs with concurrency %d", jobs, concurrency);
      claimTimer.start();
      DrainMeter.Drain drain = drain(engines, jobs);
      Latencies claims = claimTimer.stop();
      progress(
          "  %,.0f jobs/s (%.2f s); steady (%.0f-%.0f%% of the jobs) %,.0f jobs/s; %.1f µs CPU per job",
          drain.jobsPerSec(),
          drain.seconds(),
          DrainMeter.STEADY_FROM * 100,
          DrainMeter.STEADY_TO * 100,
          drain.steadyJobsPerSec(),
          drain.cpuUsPerJob());

      progress("measuring pickup latency: %,d jobs, one at a time", samples);
      Latencies pickup = Latencies.ofNanos(probes.pickup(tm, Probes.MARK, samples, 0));
      progress("  p50 %.2f ms, p99 %.2f ms", pickup.p50Ms(), pickup.p99Ms());
      Latencies crossNode = null;
      if (sender != null) {
        progress(
            "measuring cross-node pickup latency: %,d jobs enqueued on %s, one at a time",
            samples, Sender.NODE_ID);
        crossNode = Latencies.ofNanos(probes.pickup(sender.engine(), Probes.REMOTE, samples, 0));
        progress("  p50 %.2f ms, p99 %.2f ms", crossNode.p50Ms(), crossNode.p99Ms());
      }
      progress(
          "measuring delayed-job lateness: %,d jobs enqueued on %s",
          delayedSamples, delayedOn.nodeId());
      Latencies delayed = Latencies.ofNanos(probes.delayed(delayedOn, delayedSamples, 0));
      progress("  p50 %.2f ms, p99 %.2f ms", delayed.p50Ms(), delayed.p99Ms());
      if (sender != null) {
        sender.checkRanNone();
      }
      long finished = finishedJobs(tm);
      results =
          new Results(
              drain,
              enqueueRate,
              enqueue.steadyJobsPerSec(),
              pickup,
              crossNode,
              delayed,
              claims,
              new StoreSize(Double.NaN, finished, Double.NaN, Double.NaN, Double.NaN),
              cold);
    } finally {
      if (!engines.isEmpty()) {
        try {
          engines.get(0).queues().resume(BENCH_QUEUE);
        } catch (RuntimeException e) {
          // the store is gone; nothing to leave tidy
        }
      }
      if (sender != null) {
        sender.close();
      }
      engines.forEach(Taskmill::close);
      stores.forEach(Store::close);
    }
    // At rest, with every engine closed: H2 compacts its file a little as it closes.
    double mib = storeBytes(dir, schema) / (1024.0 * 1024.0);
    double live = schema == null ? mib * h2LiveShare(dir) : Double.NaN;
    long finished = results.store().finishedJobs();
    if (Double.isNaN(live)) {
      progress("store: %,.1f MiB on disk with %,d finished jobs", mib, finished);
    } else {
      progress(
          "store: %,.1f MiB on disk (%,.1f MiB of it live) with %,d finished jobs",
          mib, live, finished);
    }
    StoreSize size = new StoreSize(mib, finished, Double.NaN, Double.NaN, live);
    if (pruneCycle) {
      try {
        size = pruneCycle(dir, schema, size);
      } catch (TimeoutException e) {
        // The run's own figures stand; the cycle's are left unmeasured, and the reason printed.
        progress("prune cycle gave up: %s", e.getMessage());
      }
    }
    return new Results(
        results.drain(),
        results.enqueueJobsPerSec(),
        results.enqueueSteadyJobsPerSec(),
        results.pickup(),
        results.crossNodePickup(),
        results.delayedLateness(),
        results.claims(),
        size,
        results.cold());
  }

  /** Jobs in a final state, of every type. */
  private static long finishedJobs(Taskmill tm) {
    return tm.jobs().counts().stream()
        .filter(c -> c.state().isTerminal())
        .mapToLong(JobCount::count)
        .sum();
  }

  /**
   * {@code --prune-cycle}: a node that keeps no finished job prunes them all, then as many jobs
   * again run to their end; the store's size after each step shows whether pruning keeps it flat
   * (the freed space taken again) or lets it grow.
   */
  private StoreSize pruneCycle(Path dir, String schema, StoreSize before) throws Exception {
    // The shortest retention a node accepts is a minute: wait until the last job is that old.
    Duration retain = Duration.ofMinutes(1);
    progress(
        "waiting %d s until every finished job is older than the pruner's retention of %s",
        retain.toSeconds() + 1, retain);
    LockSupport.parkNanos(retain.plusSeconds(1).toNanos());
    progress(
        "pruning %,d finished jobs (retainSucceeded and retainFinished %s)",
        before.finishedJobs(), retain);
    long start = System.nanoTime();
    try (Taskmill pruner =
        onStore(dir, schema)
            .nodeId("bench-pruner")
            .retainSucceeded(retain)
            .retainFinished(retain)
            .start()) {
      long deadline = start + TimeUnit.SECONDS.toNanos(phaseTimeoutSeconds);
      long left;
      while ((left = finishedJobs(pruner)) > 0) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              String.format(
                  Locale.ROOT,
                  "the pruner left %,d of %,d finished" + " jobs after %d s",
                  left,
                  before.finishedJobs(),
                  phaseTimeoutSeconds));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double afterPrune = storeBytes(dir, schema) / (1024.0 * 1024.0);
    progress(
        "  pruned in %.1f s (%,.0f jobs/s); store %,.1f MiB",
        seconds, before.finishedJobs() / seconds, afterPrune);
    int refill = (int) Math.min(Integer.MAX_VALUE, before.finishedJobs());
    progress("refilling: %,d jobs run to SUCCEEDED again", refill);
    var engines = new ArrayList<Taskmill>();
    var stores = new ArrayList<Store>();
    try {
      engines.add(engine(new Probes(Duration.ofSeconds(30)), dir, schema, "bench-node-1", stores));
      setPaused(engines, true);
      enqueuePaused(engines.getFirst(), refill);
      drain(engines, refill);
    } finally {
      engines.forEach(Taskmill::close);
      stores.forEach(Store::close);
    }
    double afterRefill = storeBytes(dir, schema) / (1024.0 * 1024.0);
    progress("  store %,.1f MiB (%,.1f MiB before the prune)", afterRefill, before.mib());
    return new StoreSize(
        before.mib(), before.finishedJobs(), afterPrune, afterRefill, before.liveMib());
  }

  /**
   * The share of the H2 file its live pages fill ({@code info.FILL_RATE} times {@code
   * info.CHUNKS_FILL_RATE}), read with the store closed: the rest is chunks H2 keeps for 45 s after
   * they died, so a power cut finds an older consistent state, and space it has not yet compacted
   * or reused.
   */
  private static double h2LiveShare(Path dir) {
    // The store's file is <data dir>/taskmill.mv.db (DatabaseTarget); nothing else has it open now.
    // FILL_RATE is the share of the file's blocks that chunks use, CHUNKS_FILL_RATE the share of
    // those chunks' bytes still live: their product is the live share of the file.
    try (var c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("taskmill"));
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME IN ('info.FILL_RATE', 'info.CHUNKS_FILL_RATE')")) {
      double share = 1;
      int found = 0;
      while (rs.next()) {
        share *= Integer.parseInt(rs.getString(2)) / 100.0;
        found++;
      }
      return found == 2 ? share : Double.NaN;
    } catch (SQLException | NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The store's size on disk: the H2 data dir's files, or the PostgreSQL schema's relations. */
  private long storeBytes(Path dir, String schema) throws IOException {
    if (schema == null) {
      try (var files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      }
    }
    try (var c = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
        var ps =
            c.prepareStatement(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relkind IN ('r', 'm')")) {
      ps.setString(1, schema);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not read the size of schema " + schema + ": " + e.getMessage(), e);
    }
  }

  /** Drops the run's schema or deletes its temporary data dir. */
  private void cleanUp(Path dir, boolean temporary, String schema) throws IOException {
    if (schema != null) {
      postgres("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } else if (temporary) {
      deleteRecursively(dir);
    }
  }

  /** {@code --rest}: one server on the run's store, measured over HTTP by {@link RestBench}. */
  private int runRest(Path dir, boolean temporary, String schema) throws Exception {
    var serverConfig =
        ServerConfig.defaults()
            .withHost("127.0.0.1")
            .withPort(0)
            // The per-key limit (1,000/s by default) would answer 429 and measure itself.
            .withRequestsPerSecond(Integer.MAX_VALUE);
    serverConfig =
        schema == null
            ? serverConfig.withDataDir(dir)
            : serverConfig.withDb(schemaUrl(schema), dbUser, dbPassword);
    var settings =
        new RestBench.Settings(
            restJobs,
            restClients,
            restBatchJobs,
            restBatchSize,
            restBatchClients,
            restGetRate,
            restGetSeconds,
            restWarmup,
            Duration.ofSeconds(phaseTimeoutSeconds));
    Map<String, Object> config = restConfig(dir, temporary, schema, settings);
    RestBench.Results results;
    try (var server = TaskmillServer.start(serverConfig, DemoHandlers::registerAll)) {
      String key =
          server
              .bootstrapSecret()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the server found API keys in a store that should be new; use a fresh --data-dir"));
      progress(
          "server listening on %s on %s",
          server.uri(), config.get("store") + " " + config.get("location"));
      results = new RestBench(server.uri(), key, settings, line -> progress("%s", line)).run();
      checkNoneRan(server.taskmill());
    } finally {
      cleanUp(dir, temporary, schema);
    }
    var stdout = spec.commandLine().getOut();
    stdout.print(json ? RestReport.json(results, config) : RestReport.table(results, config));
    stdout.flush();
    return 0;
  }

  /** The pause held: every demo.noop job submitted is still waiting, none ran. */
  private static void checkNoneRan(Taskmill tm) {
    List<JobCount> counts = tm.jobs().counts();
    long ran =
        counts.stream()
            .filter(
                c ->
                    c.type().equals(DemoHandlers.NOOP)
                        && c.state() != JobState.ENQUEUED
                        && c.state() != JobState.SCHEDULED)
            .mapToLong(JobCount::count)
            .sum();
    if (ran > 0) {
      throw new IllegalStateException(
          ran
              + " demo.noop jobs left the queue while it was paused"
              + " (states "
              + describe(counts, DemoHandlers.NOOP)
              + "); the submit figures include their work");
    }
  }

  private void validate() {
    var cl = spec.commandLine();
    check(
        cl, jobs >= 1 && jobs <= 10_000_000, "--jobs must be between 1 and 10000000, was " + jobs);
    check(cl, batch >= 1 && batch <= 10_000, "--batch must be between 1 and 10000, was " + batch);
    check(
        cl,
        samples >= 1 && samples <= 1_000_000,
        "--samples must be between 1 and 1000000, was " + samples);
    check(
        cl,
        delayedSamples >= 1 && delayedSamples <= 100_000,
        "--delayed-samples must be between 1 and 100000, was " + delayedSamples);
    check(cl, warmup >= 0, "--warmup must be 0 or more, was " + warmup);
    check(
        cl,
        prefill >= 0 && prefill <= 10_000_000,
        "--prefill must be between 0 and 10000000, was " + prefill);
    check(
        cl,
        drainPollMs >= 1 && drainPollMs <= 10_000,
        "--drain-poll-ms must be between 1 and 10000, was " + drainPollMs);
    check(cl, nodes >= 1 && nodes <= 8, "--nodes must be between 1 and 8, was " + nodes);
    check(
        cl,
        nodes == 1 || dbUrl != null,
        "--nodes "
            + nodes
            + " needs a shared database: add"
            + " --db-url jdbc:postgresql://host:5432/db (the embedded H2 file is one process's)");
    check(
        cl,
        dbUrl == null || dbUrl.startsWith("jdbc:postgresql:"),
        "--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), was "
            + withoutPassword(dbUrl));
    check(
        cl, dbUrl == null || dataDir == null, "--db-url and --data-dir are alternatives; give one");
    String peersApply =
        " With --peers these apply: --db-url (required), --db-user, --db-password, --jobs,"
            + " --peer-jobs, --samples, --peer-samples, --warmup, --batch, --drain-poll-ms, --phase-timeout, --json,"
            + " -v, --compare/--runs, and Taskmill's --concurrency, --claim-batch, --completion-batch, --pool-size,"
            + " --delayed-samples.";
    check(
        cl,
        !peers || dbUrl != null,
        "--peers runs db-scheduler and JobRunr on the PostgreSQL database Taskmill"
            + " is measured on: add --db-url jdbc:postgresql://host:5432/db (they have no embedded store)."
            + peersApply);
    check(
        cl,
        !peers || !rest && nodes == 1,
        "--peers compares one instance of each system on the engine"
            + " benchmark: leave out "
            + (rest ? "--rest" : "--nodes " + nodes)
            + "."
            + peersApply);
    if (peers) {
      peerOptions.validate(cl);
    }
    check(
        cl,
        restJobs >= 1 && restJobs <= 10_000_000,
        "--rest-jobs must be between 1 and 10000000, was " + restJobs);
    check(
        cl,
        restClients >= 1 && restClients <= 10_000,
        "--rest-clients must be between 1 and 10000, was " + restClients);
    check(
        cl,
        restBatchJobs >= 1 && restBatchJobs <= 100_000_000,
        "--rest-batch-jobs must be between 1 and 100000000, was " + restBatchJobs);
    check(
        cl,
        restBatchSize >= 1 && restBatchSize <= JobsApi.MAX_BATCH,
        "--rest-batch-size must be between 1 and "
            + JobsApi.MAX_BATCH
            + " (the API's limit per request), was "
            + restBatchSize);
    check(
        cl,
        restBatchClients >= 1 && restBatchClients <= 1_000,
        "--rest-batch-clients must be between 1 and 1000, was " + restBatchClients);
    check(
        cl,
        restGetRate >= 1 && restGetRate <= 100_000,
        "--rest-get-rate must be between 1 and 100000, was " + restGetRate);
    check(
        cl,
        restGetSeconds >= 1 && restGetSeconds <= 3_600,
        "--rest-get-seconds must be between 1 and 3600, was " + restGetSeconds);
    check(
        cl,
        restWarmup >= 0 && restWarmup <= 1_000_000,
        "--rest-warmup must be between 0 and 1000000, was " + restWarmup);
    check(cl, runs >= 1 && runs <= 50, "--runs must be between 1 and 50, was " + runs);
    check(
        cl,
        compare == null || dataDir == null,
        "--compare runs each build in a fresh temporary" + " data dir; leave out --data-dir");
    check(
        cl,
        compare == null || !compare.isBlank() && !compare.startsWith("-"),
        "--compare needs a git revision (a sha, tag, branch or HEAD~N), was '" + compare + "'");
    check(
        cl,
        phaseTimeoutSeconds >= 1,
        "--phase-timeout must be at least 1, was " + phaseTimeoutSeconds);
    // concurrency, claim and completion batch and pool size are checked by the engine's builder.
  }

  private static void check(CommandLine cl, boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(cl, message);
    }
  }

  /**
   * Enqueues {@code n} no-op jobs into the paused queue in batches; returns the seconds it took.
   */
  private Enqueue enqueuePaused(Taskmill tm, int n) {
    runsAtEnqueue = noopRuns.sum();
    var options = JobOptions.queue(BENCH_QUEUE);
    var noop = new Noop();
    long start = System.nanoTime();
    long steadyFromNanos = -1;
    long steadyToNanos = -1;
    int steadyFromJobs = 0;
    int steadyToJobs = 0;
    for (int done = 0; done < n; ) {
      int size = Math.min(batch, n - done);
      var requests = new ArrayList<JobRequest>(size);
      for (int i = 0; i < size; i++) {
        requests.add(JobRequest.of(DemoHandlers.NOOP, noop, options));
      }
      tm.enqueueAll(requests);
      done += size;
      // The first batch to reach 10% and the first to reach 90% bound the steady part, as in the
      // drain: without the first calls (the JIT still compiling the insert path) and the last.
      if (steadyFromNanos < 0 && done * 10L >= n) {
        steadyFromNanos = System.nanoTime();
        steadyFromJobs = done;
      }
      if (steadyToNanos < 0 && done * 10L >= 9L * n) {
        steadyToNanos = System.nanoTime();
        steadyToJobs = done;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double steady =
        steadyToJobs > steadyFromJobs
            ? (steadyToJobs - steadyFromJobs) / ((steadyToNanos - steadyFromNanos) / 1e9)
            : Double.NaN;
    return new Enqueue(seconds, steady);
  }

  /**
   * A batch enqueue's whole time and its rate between the 10% and 90% marks (NaN when no batch lies
   * between them).
   */
  private record Enqueue(double seconds, double steadyJobsPerSec) {}

  /**
   * Resumes the bench queue and waits until {@code n} more no-op jobs have run and every outcome is
   * committed; pauses it again. The time runs from the resume to that last commit.
   *
   * <p>Progress is followed through an in-memory count of handler runs, and the end through each
   * node's slots, which a job holds until its outcome is committed, rather than by polling {@code
   * counts()}: its full-table GROUP BY would compete with the drain for the same two cores, and
   * cost more the more finished jobs the table holds. {@code counts()} checks the end afterwards.
   */
  private DrainMeter.Drain drain(List<Taskmill> engines, int n) throws TimeoutException {
    Taskmill tm = engines.get(0);
    long early = noopRuns.sum() - runsAtEnqueue;
    if (early > 0) {
      throw new IllegalStateException(
          early
              + " demo.noop jobs ran while the bench queue was paused;"
              + " the drain would not measure them");
    }
    long before = count(tm.jobs().counts(), DemoHandlers.NOOP, JobState.SUCCEEDED);
    long runsBefore = noopRuns.sum();
    DrainMeter.Drain drain;
    try (var meter = new DrainMeter(n)) {
      long start = System.nanoTime();
      long deadline = start + TimeUnit.SECONDS.toNanos(phaseTimeoutSeconds);
      long nextReport = start + TimeUnit.SECONDS.toNanos(2);
      setPaused(engines, false);
      try {
        while (true) {
          long now = System.nanoTime();
          long ran = noopRuns.sum() - runsBefore;
          meter.sample(ran, now);
          if (ran >= n && slotsHeld(engines) == 0) {
            long end = System.nanoTime();
            progress("  ran by %s", meter.tenths(end));
            drain = meter.finish(end);
            break;
          }
          if (now >= deadline) {
            throw new TimeoutException(
                String.format(
                    Locale.ROOT,
                    "drain did not finish in %d s: %,d of %,d ran; states now %s",
                    phaseTimeoutSeconds,
                    ran,
                    n,
                    describe(tm.jobs().counts(), DemoHandlers.NOOP)));
          }
          if (now >= nextReport) {
            progress("  %,d/%,d ran after %.1f s", ran, n, (now - start) / 1e9);
            nextReport += TimeUnit.SECONDS.toNanos(2);
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ran >= n ? 1 : drainPollMs));
        }
      } finally {
        setPaused(engines, true);
      }
    }
    List<JobCount> counts = tm.jobs().counts();
    long dead = count(counts, DemoHandlers.NOOP, JobState.DEAD);
    long succeeded = count(counts, DemoHandlers.NOOP, JobState.SUCCEEDED) - before;
    if (dead > 0 || succeeded != n) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "the drain of %,d jobs ended with %,d"
                  + " more SUCCEEDED and %,d DEAD (states now %s)",
              n,
              succeeded,
              dead,
              describe(counts, DemoHandlers.NOOP)));
    }
    return drain;
  }

  /**
   * Slots taken on the bench queue across the nodes: jobs claimed whose outcome is not committed.
   */
  private static int slotsHeld(List<Taskmill> engines) {
    int held = 0;
    for (Taskmill engine : engines) {
      for (var q : engine.queues().list()) {
        if (q.name().equals(BENCH_QUEUE)) {
          held += q.running();
        }
      }
    }
    return held;
  }

  /**
   * Pauses or resumes the bench queue on every node, not just in the store: a node learns of a
   * switch flipped elsewhere only at its next poll (up to a second), and until then it claims from
   * a paused queue when a notification wakes it, or sits out a resumed one.
   */
  private static void setPaused(List<Taskmill> engines, boolean paused) {
    for (Taskmill engine : engines) {
      if (paused) {
        engine.queues().pause(BENCH_QUEUE);
      } else {
        engine.queues().resume(BENCH_QUEUE);
      }
    }
  }

  /** One engine (node) of the run, on the H2 data dir or the PostgreSQL schema. */
  private Taskmill engine(
      Probes probes, Path dir, String schema, String nodeId, List<Store> stores) {
    // The bench opens the store itself to time the engine's claims; it closes it after the engine.
    Store store = openStore(dir, schema);
    stores.add(store);
    TaskmillBuilder builder =
        Taskmill.builder()
            .store(claimTimer.wrap(store))
            .nodeId(nodeId)
            .claimBatchSize(claimBatch)
            .completionBatchSize(completionBatch)
            .queue(BENCH_QUEUE, q -> q.concurrency(concurrency))
            // demo.noop, counted: the same empty handler, so the drain can follow progress in
            // memory.
            .handler(DemoHandlers.NOOP, Noop.class, (p, ctx) -> noopRuns.increment());
    return probes.serve(builder).start();
  }

  /** The run's store, opened as the builder would: the H2 data dir or the PostgreSQL schema. */
  private Store openStore(Path dir, String schema) {
    var settings =
        schema == null
            ? new StoreSettings(dir, null, null, null, null, poolSize)
            : new StoreSettings(null, null, schemaUrl(schema), dbUser, dbPassword, poolSize);
    StoreProvider provider =
        ServiceLoader.load(StoreProvider.class)
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("no store on the class path (taskmill-jdbc)"));
    return provider.open(settings);
  }

  /** A builder on the run's store: the H2 data dir or the PostgreSQL schema. */
  private TaskmillBuilder onStore(Path dir, String schema) {
    TaskmillBuilder builder = Taskmill.builder();
    return schema == null
        ? builder.dataDir(dir)
        : builder.jdbcUrl(schemaUrl(schema), dbUser, dbPassword);
  }

  private String schemaUrl(String schema) {
    return dbUrl + (dbUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private void postgres(String sql) {
    try (var c = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
        var st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "'" + sql + "' failed on " + withoutPassword(dbUrl) + ": " + e.getMessage(), e);
    }
  }

  private Map<String, Object> config(Path dir, boolean temporary, String schema) {
    var c = new LinkedHashMap<String, Object>();
    machine(c, dir, temporary, schema);
    c.put("nodes", nodes);
    c.put("jobs", jobs);
    c.put("prefilledJobs", prefill);
    c.put("pruneCycle", pruneCycle);
    c.put("warmupJobs", warmup);
    c.put("enqueueBatch", batch);
    c.put("concurrency", concurrency);
    c.put("claimBatchSize", claimBatch);
    c.put("completionBatchSize", completionBatch);
    c.put("poolSize", poolSize);
    c.put("pickupSamples", samples);
    c.put("crossNodeSamples", schema == null ? 0 : samples);
    c.put("crossNodeEnqueuedOn", schema == null ? null : Sender.NODE_ID);
    c.put("delayedSamples", delayedSamples);
    c.put("delayedEveryMs", Probes.DELAYED_EVERY_MS);
    c.put("delayedDueAfterMs", Probes.DELAYED_MIN_MS + "-" + Probes.DELAYED_MAX_MS);
    c.put("delayedEnqueuedOn", schema == null ? "bench-node-1" : Sender.NODE_ID);
    c.put("drainPollMs", drainPollMs);
    return c;
  }

  private Map<String, Object> restConfig(
      Path dir, boolean temporary, String schema, RestBench.Settings s) {
    var c = new LinkedHashMap<String, Object>();
    machine(c, dir, temporary, schema);
    c.put(
        "server",
        "TaskmillServer in this process on 127.0.0.1, demo handlers, per-key rate limit off");
    c.put(
        "client",
        "blocking HTTP/1.1 keep-alive sockets (KeepAliveClient), one virtual thread per client");
    c.put(
        "paused",
        "queue '"
            + RestBench.QUEUE
            + "' (POST /api/v1/queues/"
            + RestBench.QUEUE
            + "/pause) for the whole run: no job runs, the engine only polls");
    c.put("warmupRequests", s.warmup());
    c.put("submitJobs", s.jobs());
    c.put("submitClients", s.clients());
    c.put("batchJobs", s.batchJobs());
    c.put("batchSize", s.batchSize());
    c.put("batchClients", s.batchClients());
    c.put("getRatePerSec", s.getRate());
    c.put("getSeconds", s.getSeconds());
    c.put("getRequests", OpenLoop.of(0, s.getRate(), Duration.ofSeconds(s.getSeconds())).count());
    return c;
  }

  /** Store, JDK, cores, heap and load: what both modes print beside their figures. */
  private void machine(Map<String, Object> c, Path dir, boolean temporary, String schema) {
    if (schema == null) {
      c.put("store", "H2 file");
      c.put("location", dir.toString() + (temporary ? " (deleted afterwards)" : " (kept)"));
    } else {
      c.put("store", "PostgreSQL");
      c.put("location", withoutPassword(dbUrl) + " schema " + schema + " (dropped afterwards)");
    }
    c.put("jdk", Runtime.version().toString() + " (" + System.getProperty("java.vendor") + ")");
    c.put("cores", Runtime.getRuntime().availableProcessors());
    c.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    // The launcher sets -Xmx256m unless TASKMILL_JAVA_OPTS gives a heap; say which this run had.
    c.put(
        "jvmOptions",
        String.join(
            " ",
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X") && !a.startsWith("-Xlog"))
                .toList()));
    // The machine may be shared: a busy one explains figures that a quiet one would not give.
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    c.put("loadAverageAtStart", load < 0 ? null : Math.round(load * 100) / 100.0);
  }

  private static long count(List<JobCount> counts, String type, JobState state) {
    return counts.stream()
        .filter(c -> c.type().equals(type) && c.state() == state)
        .mapToLong(JobCount::count)
        .sum();
  }

  private static String describe(List<JobCount> counts, String type) {
    var m = new LinkedHashMap<JobState, Long>();
    counts.stream()
        .filter(c -> c.type().equals(type))
        .forEach(c -> m.merge(c.state(), c.count(), Long::sum));
    return m.toString();
  }

  /**
   * {@code text} with the value of every {@code password=} parameter and the password of a {@code
   * user:password@} part replaced by {@code ***}: URLs and driver messages are printed and kept.
   */
  static String withoutPassword(String text) {
    if (text == null) {
      return null;
    }
    return text.replaceAll("(?i)(password=)[^&;\\s]*", "$1***")
        .replaceAll("(//[^/@?\\s:]*:)[^/@?\\s]*@", "$1***@");
  }

  private void progress(String format, Object... args) {
    err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    err.flush();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
