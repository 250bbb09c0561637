package io.taskmill.cli;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.cli.SampleHandlers.RenderReport;
import io.taskmill.cli.SampleHandlers.ResizeImage;
import io.taskmill.cli.SampleHandlers.SendEmail;
import io.taskmill.demo.DemoHandlers;
import io.taskmill.demo.DemoHandlers.Echo;
import io.taskmill.demo.DemoHandlers.Fail;
import io.taskmill.demo.DemoHandlers.Noop;
import io.taskmill.demo.DemoHandlers.Sleep;
import io.taskmill.job.CancelResult;
import io.taskmill.job.Job;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.job.Retry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code taskmill demo}: runs an engine on the embedded H2 file store with a realistic mix of jobs
 * (successes, retries that recover, a dead job, a timeout, delayed and cancelled jobs), shows live
 * progress, and ends with a summary by type and state. Exits 0 when every job ended as planned.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Runs a short tour of Taskmill on an embedded database.",
    versionProvider = VersionProvider.class,
    description = {
      "Runs Taskmill on an embedded H2 file database with a realistic mix of jobs: successes,"
          + " failures that recover on retry, one job that dies, one that times out, delayed jobs"
          + " and two cancellations. Shows live progress, then a summary by type and state and a"
          + " few jobs' histories, results and logs.",
      "",
      "Exits 0 when every job ended as planned, 1 otherwise."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final Duration FAST_RETRY = Duration.ofMillis(300);
  private static final Duration TICK = Duration.ofMillis(100);
  private static final Duration CANCEL_AFTER = Duration.ofMillis(1500);
  private static final String ECHO_MESSAGE = "hello from Taskmill";

  @Spec CommandSpec spec;

  @Mixin LoggingOptions logging;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keep the demo's database in DIR and leave it there afterwards."
              + " Default: a fresh temporary directory, deleted at the end.")
  Path dataDir;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "200",
      description = "Size of the batch of ordinary jobs that succeed (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(
      names = "--deadline",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "Give up waiting for the jobs after this long (default: ${DEFAULT-VALUE}).")
  int deadlineSeconds;

  /** What one job is expected to end as, and an optional further check on how it ended. */
  private record Tracked(JobId id, String type, String label, JobState expected, Check check) {}

  @FunctionalInterface
  private interface Check {
    /** A problem with how the job ended, or null when it is fine. */
    String problem(Job job);
  }

  private PrintWriter out;
  private boolean interactive;
  private boolean lineOpen;
  private String lastPlainLine = "";
  private Instant startedAt;
  private long startNanos;
  private final List<Tracked> tracked = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (jobs < 0 || jobs > 100_000) {
      throw new ParameterException(
          spec.commandLine(), "--jobs must be between 0 and 100000, was " + jobs);
    }
    if (deadlineSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--deadline must be at least 1 second, was " + deadlineSeconds);
    }
    out = spec.commandLine().getOut();
    interactive = Terminal.isInteractive();
    boolean temporary = dataDir == null;
    Path dir = temporary ? Files.createTempDirectory("taskmill-demo-") : dataDir.toAbsolutePath();
    Files.createDirectories(dir);
    out.println(
        "Taskmill demo: embedded H2 database in " + dir + (temporary ? " (temporary)" : ""));
    out.flush();
    // The demo shows the jobs' log lines itself; on stderr its planned failures would be noise.
    AutoCloseable quiet = LoggingOptions.quietJobLogs();
    var engine = new AtomicReference<Taskmill>();
    // Ctrl-C: stop the engine and remove the temporary directory all the same.
    Thread cleanup =
        new Thread(
            () -> {
              closeQuietly(engine.getAndSet(null));
              if (temporary) {
                try {
                  deleteRecursively(dir);
                } catch (IOException | RuntimeException e) {
                  System.err.println("taskmill: could not remove " + dir + ": " + e);
                }
              }
            },
            "taskmill-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      TaskmillBuilder builder =
          Taskmill.builder()
              .dataDir(dir)
              .shutdownGrace(Duration.ofSeconds(2))
              .timeoutGrace(Duration.ofSeconds(2));
      DemoHandlers.registerAll(builder);
      SampleHandlers.registerAll(builder);
      Taskmill tm = builder.start();
      engine.set(tm);
      return run(tm) ? 0 : TaskmillCli.EXIT_FAILED;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        return TaskmillCli.EXIT_FAILED; // the hook cleans up
      }
      Taskmill tm = engine.getAndSet(null);
      if (tm != null) {
        tm.close();
      }
      quiet.close();
      if (temporary) {
        deleteRecursively(dir);
      } else {
        out.println("Data kept in " + dir);
      }
      out.flush();
    }
  }

  private static void closeQuietly(Taskmill tm) {
    if (tm != null) {
      try {
        tm.close();
      } catch (RuntimeException e) {
        // exiting anyway
      }
    }
  }

  private boolean run(Taskmill tm) {
    out.println(
        "Queues (concurrency): "
            + String.join(
                ", ",
                tm.queues().list().stream().map(q -> q.name() + " " + q.concurrency()).toList()));
    out.println(
        "Handlers: "
            + String.join(
                ", ",
                tm.handlers().list().stream()
                    .map(
                        h ->
                            h.type()
                                + (h.timeout() == null
                                    ? ""
                                    : " (timeout " + h.timeout().toSeconds() + " s)"))
                    .toList()));
    out.flush();
    List<JobCount> baseline = tm.jobs().counts();
    startedAt = Instant.now();
    startNanos = System.nanoTime();

    // The special cases first, so the long job is running before the batch fills the queues.
    JobId longJob =
        track(
            tm,
            DemoHandlers.SLEEP,
            new Sleep(60_000),
            JobOptions.defaults().tags("demo"),
            "long job, cancelled while running",
            JobState.CANCELLED,
            j -> null);
    JobId timeoutJob =
        track(
            tm,
            DemoHandlers.SLEEP,
            new Sleep(30_000),
            JobOptions.defaults().timeout(Duration.ofSeconds(1)).retry(Retry.none()),
            "runs past its 1 s timeout",
            JobState.DEAD,
            j ->
                contains(j.lastError(), "timed out")
                    ? null
                    : "expected a timeout error, got " + firstLine(j.lastError()));
    JobId deadJob =
        track(
            tm,
            DemoHandlers.FAIL,
            new Fail(-1),
            JobOptions.defaults().retry(Retry.fixed(FAST_RETRY).maxAttempts(3)),
            "always fails, 3 attempts",
            JobState.DEAD,
            j -> j.attempt() == 3 ? null : "expected 3 attempts, got " + j.attempt());
    JobId recovered = null;
    for (int times : new int[] {1, 1, 2, 1, 2}) {
      JobId id =
          track(
              tm,
              DemoHandlers.FAIL,
              new Fail(times),
              JobOptions.defaults().retry(Retry.fixed(FAST_RETRY).maxAttempts(4)),
              "fails " + times + "x, then recovers",
              JobState.SUCCEEDED,
              j ->
                  j.attempt() == times + 1
                      ? null
                      : "expected " + (times + 1) + " attempts, got " + j.attempt());
      if (times == 2 && recovered == null) {
        recovered = id;
      }
    }
    JobId echoJob =
        track(
            tm,
            DemoHandlers.ECHO,
            new Echo(ECHO_MESSAGE),
            JobOptions.defaults(),
            "returns a result",
            JobState.SUCCEEDED,
            j ->
                tm.jobs()
                        .result(j.id(), Echo.class)
                        .map(Echo::message)
                        .filter(ECHO_MESSAGE::equals)
                        .isPresent()
                    ? null
                    : "expected result '" + ECHO_MESSAGE + "', got " + j.resultJson());
    track(
        tm,
        SampleHandlers.SEND_MAIL,
        new SendEmail("ops@example.com", "daily-digest"),
        JobOptions.defaults().delay(Duration.ofSeconds(2)),
        "delayed 2 s",
        JobState.SUCCEEDED,
        j -> startedAfterRunAt(tm, j));
    track(
        tm,
        SampleHandlers.RESIZE,
        new ResizeImage("banners/spring-sale.png", 1920),
        JobOptions.defaults().delay(Duration.ofSeconds(3)),
        "delayed 3 s",
        JobState.SUCCEEDED,
        j -> startedAfterRunAt(tm, j));
    for (String report : List.of("sales-by-region", "churn", "inventory")) {
      track(
          tm,
          SampleHandlers.RENDER_REPORT,
          new RenderReport(report, "2025-10"),
          JobOptions.defaults().delay(Duration.ofSeconds(4)),
          "delayed 4 s",
          JobState.SUCCEEDED,
          j -> startedAfterRunAt(tm, j));
    }
    JobId waitingJob =
        track(
            tm,
            DemoHandlers.NOOP,
            new Noop(),
            JobOptions.defaults().delay(Duration.ofSeconds(30)),
            "delayed 30 s, cancelled while waiting",
            JobState.CANCELLED,
            j -> null);
    CancelResult waitingCancel = tm.jobs().cancel(waitingJob);
    if (waitingCancel != CancelResult.CANCELLED) {
      problems.add(
          "cancelling the waiting job "
              + waitingJob
              + " returned "
              + waitingCancel
              + ", expected CANCELLED");
    }

    // The batch: one transaction, a realistic spread of types.
    JobId greylisted = enqueueBatch(tm);
    say(
        String.format(
            Locale.ROOT,
            "Enqueued %d jobs in %d ms; cancelled the waiting job %s (%s).",
            tracked.size(),
            elapsed().toMillis(),
            waitingJob,
            waitingCancel));

    boolean finished = awaitAll(tm, baseline, longJob);
    StateTable table = StateTable.delta(tm.jobs().counts(), baseline);
    out.println();
    out.println("Jobs by type and state:");
    table.print(out);
    if (!finished) {
      reportUnfinished(tm);
    }
    checkOutcomes(tm);

    out.println();
    out.println("Of interest:");
    showDead(tm, deadJob);
    showError(tm, timeoutJob, "Timed out");
    showResult(tm, echoJob);
    showEvents(tm, longJob, "Cancelled while running");
    showLogs(tm, recovered, "Recovered after retries");
    if (greylisted != null) {
      showLogs(tm, greylisted, "Greylisted mail, delivered on retry");
    }
    tm
        .jobs()
        .list(JobQuery.all(1).withState(JobState.SUCCEEDED).withType(SampleHandlers.RESIZE))
        .stream()
        .findFirst()
        .ifPresent(j -> showLogs(tm, j.id(), "Log excerpt"));

    out.println();
    double seconds = elapsed().toMillis() / 1000.0;
    if (problems.isEmpty()) {
      out.printf(
          Locale.ROOT,
          "Demo finished in %.1f s: all %d jobs ended as planned.%n",
          seconds,
          tracked.size());
    } else {
      out.printf(
          Locale.ROOT,
          "Demo finished in %.1f s with %d unexpected outcome(s):%n",
          seconds,
          problems.size());
      problems.stream().limit(30).forEach(p -> out.println("  - " + p));
      if (problems.size() > 30) {
        out.println("  ... and " + (problems.size() - 30) + " more");
      }
    }
    out.flush();
    return problems.isEmpty();
  }

  /** Enqueues the batch in one transaction; returns one greylisted mail's id, if any. */
  private JobId enqueueBatch(Taskmill tm) {
    String[] templates = {"welcome", "receipt", "password-reset"};
    int[] widths = {320, 640, 1280};
    String[] reports = {"sales-by-region", "churn", "inventory", "payroll"};
    var requests = new ArrayList<JobRequest>(jobs);
    var kinds = new ArrayList<String>(jobs);
    for (int i = 0; i < jobs; i++) {
      int r = i % 20;
      JobOptions tagged = JobOptions.defaults().tags("demo", "batch");
      if (r < 9) {
        requests.add(
            JobRequest.of(
                SampleHandlers.RESIZE,
                new ResizeImage(
                    String.format(Locale.ROOT, "photos/2025/IMG_%04d.jpg", i), widths[i % 3]),
                tagged));
        kinds.add("batch");
      } else if (r < 15) {
        boolean grey = r == 9 && (i / 20) % 2 == 0;
        String to =
            String.format(
                Locale.ROOT,
                "user%04d@%s",
                i,
                grey ? SampleHandlers.GREYLISTING_DOMAIN : "example.com");
        requests.add(
            JobRequest.of(SampleHandlers.SEND_MAIL, new SendEmail(to, templates[i % 3]), tagged));
        kinds.add(grey ? "greylisted" : "batch");
      } else if (r < 17) {
        requests.add(JobRequest.of(DemoHandlers.NOOP, new Noop(), tagged));
        kinds.add("batch");
      } else if (r < 19) {
        requests.add(JobRequest.of(DemoHandlers.SLEEP, new Sleep(20 + (i * 37L) % 80), tagged));
        kinds.add("batch");
      } else {
        requests.add(
            JobRequest.of(
                SampleHandlers.RENDER_REPORT,
                new RenderReport(reports[(i / 20) % reports.length], "2025-09"),
                tagged.priority(-1)));
        kinds.add("batch");
      }
    }
    if (requests.isEmpty()) {
      return null;
    }
    List<JobId> ids = tm.enqueueAll(requests);
    JobId greylisted = null;
    for (int i = 0; i < ids.size(); i++) {
      JobRequest req = requests.get(i);
      if (kinds.get(i).equals("greylisted")) {
        greylisted = greylisted == null ? ids.get(i) : greylisted;
        tracked.add(
            new Tracked(
                ids.get(i),
                req.type(),
                "greylisted mail",
                JobState.SUCCEEDED,
                j ->
                    j.attempt() == 2
                        ? null
                        : "expected 2 attempts (first greylisted), got " + j.attempt()));
      } else {
        tracked.add(new Tracked(ids.get(i), req.type(), "batch", JobState.SUCCEEDED, j -> null));
      }
    }
    return greylisted;
  }

  private JobId track(
      Taskmill tm,
      String type,
      Object payload,
      JobOptions options,
      String label,
      JobState expected,
      Check check) {
    JobId id = tm.enqueue(type, payload, options.tags().isEmpty() ? options.tags("demo") : options);
    tracked.add(new Tracked(id, type, label, expected, check));
    return id;
  }

  /**
   * Shows progress until every tracked job is terminal or the deadline passes; cancels the long job
   * once it has run a while. Returns true when everything finished.
   */
  private boolean awaitAll(Taskmill tm, List<JobCount> baseline, JobId longJob) {
    long deadline = startNanos + TimeUnit.SECONDS.toNanos(deadlineSeconds);
    long nextPlainLine = startNanos + TimeUnit.SECONDS.toNanos(1);
    boolean cancelSent = false;
    var pending = new LinkedHashMap<JobId, Tracked>();
    tracked.forEach(t -> pending.put(t.id(), t));
    while (true) {
      StateTable now = StateTable.delta(tm.jobs().counts(), baseline);
      if (!cancelSent) {
        cancelSent = maybeCancel(tm, longJob);
      }
      String line =
          String.format(
              Locale.ROOT,
              "%5.1fs  %s",
              elapsed().toMillis() / 1000.0,
              now.progress(tracked.size()));
      if (interactive) {
        out.print("\r" + line + "\033[K");
        lineOpen = true;
        out.flush();
      } else if (System.nanoTime() >= nextPlainLine) {
        out.println(line);
        lastPlainLine = line;
        out.flush();
        nextPlainLine += TimeUnit.SECONDS.toNanos(1);
      }
      // The counts say "probably done"; the jobs themselves say for sure (the store may hold
      // jobs from an earlier run in the same data directory).
      if (now.unfinished() <= 0 && now.terminal() >= tracked.size() && cancelSent) {
        pending
            .values()
            .removeIf(t -> tm.jobs().get(t.id()).map(j -> j.state().isTerminal()).orElse(true));
        if (pending.isEmpty()) {
          endLine(line);
          return true;
        }
      }
      if (System.nanoTime() >= deadline) {
        endLine(line);
        return false;
      }
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        endLine(line);
        problems.add("interrupted while waiting for the jobs");
        return false;
      }
    }
  }

  private boolean maybeCancel(Taskmill tm, JobId longJob) {
    Optional<Job> job = tm.jobs().get(longJob);
    boolean running = job.map(j -> j.state() == JobState.RUNNING).orElse(false);
    boolean overdue = elapsed().compareTo(Duration.ofSeconds(10)) > 0;
    if (!(running && elapsed().compareTo(CANCEL_AFTER) >= 0) && !overdue) {
      return false;
    }
    CancelResult result = tm.jobs().cancel(longJob);
    say(
        String.format(
            Locale.ROOT,
            "Cancelled the long %s job %s while it was %s: %s",
            DemoHandlers.SLEEP,
            longJob,
            job.map(j -> j.state().name()).orElse("missing"),
            result));
    if (result != CancelResult.CANCEL_REQUESTED) {
      problems.add(
          "cancelling the running job "
              + longJob
              + " returned "
              + result
              + ", expected CANCEL_REQUESTED");
    }
    return true;
  }

  /** Prints a message, keeping the progress line intact on a terminal. */
  private void say(String message) {
    if (lineOpen) {
      out.print("\r\033[K");
      lineOpen = false;
    }
    out.printf(Locale.ROOT, "%5.1fs  %s%n", elapsed().toMillis() / 1000.0, message);
    out.flush();
  }

  private void endLine(String lastLine) {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    } else if (!interactive && !lastLine.equals(lastPlainLine)) {
      out.println(lastLine);
    }
    out.flush();
  }

  private void reportUnfinished(Taskmill tm) {
    var left = new ArrayList<Job>();
    for (Tracked t : tracked) {
      tm.jobs().get(t.id()).filter(j -> !j.state().isTerminal()).ifPresent(left::add);
    }
    out.println();
    out.printf(Locale.ROOT, "Not finished after %d s: %d job(s)%n", deadlineSeconds, left.size());
    left.stream()
        .limit(20)
        .forEach(
            j ->
                out.printf(
                    Locale.ROOT,
                    "  %s  %-14s %-9s attempt %d, runAt %s%s%n",
                    j.id(),
                    j.type(),
                    j.state(),
                    j.attempt(),
                    j.runAt(),
                    j.leaseOwner() == null ? "" : ", leased by " + j.leaseOwner()));
    if (left.size() > 20) {
      out.println("  ... and " + (left.size() - 20) + " more");
    }
  }

  private void checkOutcomes(Taskmill tm) {
    for (Tracked t : tracked) {
      Optional<Job> found = tm.jobs().get(t.id());
      if (found.isEmpty()) {
        problems.add(t.type() + " " + t.id() + " (" + t.label() + ") is missing from the store");
        continue;
      }
      Job job = found.get();
      if (job.state() != t.expected()) {
        problems.add(
            t.type()
                + " "
                + t.id()
                + " ("
                + t.label()
                + ") ended "
                + job.state()
                + ", expected "
                + t.expected()
                + (job.lastError() == null ? "" : "; last error: " + firstLine(job.lastError())));
        continue;
      }
      String problem = t.check().problem(job);
      if (problem != null) {
        problems.add(t.type() + " " + t.id() + " (" + t.label() + "): " + problem);
      }
    }
  }

  private void showDead(Taskmill tm, JobId id) {
    tm.jobs()
        .get(id)
        .ifPresent(
            j ->
                out.printf(
                    Locale.ROOT,
                    "  Dead job %s %s after %d attempts%n    last error: %s%n",
                    j.type(),
                    j.id(),
                    j.attempt(),
                    firstLine(j.lastError())));
    printEvents(tm, id);
  }

  private void showError(Taskmill tm, JobId id, String title) {
    tm.jobs()
        .get(id)
        .ifPresent(
            j ->
                out.printf(
                    Locale.ROOT,
                    "  %s: %s %s ended %s%n    error: %s%n",
                    title,
                    j.type(),
                    j.id(),
                    j.state(),
                    firstLine(j.lastError())));
  }

  private void showResult(Taskmill tm, JobId id) {
    tm.jobs()
        .get(id)
        .ifPresent(
            j ->
                out.printf(
                    Locale.ROOT, "  Result of %s %s: %s%n", j.type(), j.id(), j.resultJson()));
  }

  private void showEvents(Taskmill tm, JobId id, String title) {
    tm.jobs()
        .get(id)
        .ifPresent(j -> out.printf(Locale.ROOT, "  %s: %s %s%n", title, j.type(), j.id()));
    printEvents(tm, id);
  }

  private void printEvents(Taskmill tm, JobId id) {
    out.println("    history:");
    for (JobEvent e : tm.jobs().events(id)) {
      String note = e.error() != null ? firstLine(e.error()) : Objects.toString(e.message(), "");
      out.println(
          String.format(
                  Locale.ROOT,
                  "      %s  %-9s -> %-9s  attempt %d  %s",
                  since(e.at()),
                  e.from() == null ? "(new)" : e.from().name(),
                  e.to().name(),
                  e.attempt(),
                  abbreviate(note, 90))
              .stripTrailing());
    }
  }

  private void showLogs(Taskmill tm, JobId id, String title) {
    Optional<Job> job = tm.jobs().get(id);
    if (job.isEmpty()) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "  %s: %s %s (%s, %d attempt%s)%n",
        title,
        job.get().type(),
        id,
        job.get().state(),
        job.get().attempt(),
        job.get().attempt() == 1 ? "" : "s");
    List<JobLogLine> lines = tm.jobs().logs(id);
    if (lines.isEmpty()) {
      out.println("    (no log lines)");
    }
    lines.stream()
        .limit(8)
        .forEach(
            l ->
                out.printf(
                    Locale.ROOT,
                    "    %s  attempt %d  %-5s %s%n",
                    since(l.at()),
                    l.attempt(),
                    l.level(),
                    abbreviate(l.message(), 100)));
  }

  /** A delayed job must not start before its {@code runAt}. */
  private static String startedAfterRunAt(Taskmill tm, Job job) {
    Optional<JobEvent> started =
        tm.jobs().events(job.id()).stream().filter(e -> e.to() == JobState.RUNNING).findFirst();
    if (started.isEmpty()) {
      return "no RUNNING event in its history";
    }
    return started.get().at().isBefore(job.runAt())
        ? "started at " + started.get().at() + ", before its runAt " + job.runAt()
        : null;
  }

  private String since(Instant at) {
    return String.format(Locale.ROOT, "%+7.3fs", Duration.between(startedAt, at).toNanos() / 1e9);
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static boolean contains(String text, String part) {
    return text != null && text.contains(part);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "(none)";
    }
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  static void deleteRecursively(Path dir) throws IOException {
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
