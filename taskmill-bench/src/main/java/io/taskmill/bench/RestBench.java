package io.taskmill.bench;

import io.taskmill.bench.KeepAliveClient.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures a running server's REST API from this process over HTTP/1.1 keep-alive connections
 * ({@link KeepAliveClient}): single submissions from many concurrent clients, batch submissions,
 * and job reads at a fixed open-loop rate. Every answer's status is checked; a phase with any
 * non-2xx answer (or I/O error) fails the run.
 */
final class RestBench {
  /** The queue demo.noop runs on; paused for the whole run so no job runs. */
  static final String QUEUE = "default";

  private static final String NOOP = "{\"type\":\"demo.noop\",\"payload\":{}}";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Failed requests described in the error, at most. */
  private static final int FAILURES_SHOWN = 3;

  /**
   * What to measure.
   *
   * @param jobs single submissions measured
   * @param clients concurrent clients for single submissions (and the warm-up's reads)
   * @param batchJobs jobs submitted in batches
   * @param batchSize jobs per batch request
   * @param batchClients concurrent clients for batch submissions
   * @param getRate reads per second, open loop
   * @param getSeconds how long reads are measured
   * @param warmup single submissions and reads before measuring, plus a tenth as many jobs in
   *     batches
   * @param phaseTimeout give up on a phase after this long
   */
  record Settings(
      int jobs,
      int clients,
      int batchJobs,
      int batchSize,
      int batchClients,
      int getRate,
      int getSeconds,
      int warmup,
      Duration phaseTimeout) {}

  /** The measured figures: jobs/s of each submit phase and the reads' latencies. */
  record Results(double submitJobsPerSec, double batchJobsPerSec, Latencies get) {}

  private final Settings settings;
  private final Consumer<String> progress;
  private final KeepAliveClient http;
  private final ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();

  RestBench(URI base, String adminKey, Settings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
    this.http = new KeepAliveClient(base, "Bearer " + adminKey, settings.phaseTimeout());
  }

  /** Pauses the queue, warms up, then measures the three phases in order. */
  Results run() throws Exception {
    try {
      expectOk(http.post("/api/v1/queues/" + QUEUE + "/pause", ""), "pausing queue " + QUEUE);
      var s = settings;
      if (s.warmup() > 0) {
        progress(
            "warming up: %,d submissions, %,d jobs in batches, %,d reads",
            s.warmup(), Math.max(1, s.warmup() / 10), s.warmup());
        String[] warmIds = submitSingles(s.warmup(), s.clients(), "warm-up submissions");
        submitBatches(Math.max(1, s.warmup() / 10), s.batchClients(), "warm-up batches");
        readClosedLoop(warmIds, s.warmup(), s.clients());
      }

      progress("single submissions: %,d from %d clients", s.jobs(), s.clients());
      long start = System.nanoTime();
      String[] ids = submitSingles(s.jobs(), s.clients(), "single submissions");
      double submitRate = s.jobs() / seconds(start);
      progress("  %,.0f jobs/s", submitRate);

      progress(
          "batch submissions: %,d jobs, %,d per request, from %d clients",
          s.batchJobs(), s.batchSize(), s.batchClients());
      start = System.nanoTime();
      submitBatches(s.batchJobs(), s.batchClients(), "batch submissions");
      double batchRate = s.batchJobs() / seconds(start);
      progress("  %,.0f jobs/s", batchRate);

      progress(
          "reads: GET /api/v1/jobs/{id} at %,d/s open loop for %d s", s.getRate(), s.getSeconds());
      Latencies get = Latencies.ofNanos(readOpenLoop(ids));
      progress("  p50 %.2f ms, p99 %.2f ms, max %.2f ms", get.p50Ms(), get.p99Ms(), get.maxMs());
      return new Results(submitRate, batchRate, get);
    } finally {
      clientThreads.shutdownNow();
      http.close();
    }
  }

  /** Submits {@code n} demo.noop jobs one per request; returns their ids. */
  private String[] submitSingles(int n, int clients, String phase) throws Exception {
    var ids = new String[n];
    var failures = new Failures(phase);
    closedLoop(
        n,
        clients,
        failures,
        i -> {
          var r = http.post("/api/v1/jobs", NOOP);
          if (r.status() != 201) {
            failures.add(r);
            return;
          }
          ids[i] = JSON.readTree(r.body()).get("id").asString();
        });
    failures.check(n);
    return ids;
  }

  /** Submits {@code n} demo.noop jobs in batches of the configured size. */
  private void submitBatches(int n, int clients, String phase) throws Exception {
    int size = settings.batchSize();
    int requests = (n + size - 1) / size;
    String full = batchBody(size);
    var failures = new Failures(phase);
    closedLoop(
        requests,
        clients,
        failures,
        i -> {
          int jobs = Math.min(size, n - i * size);
          var r = http.post("/api/v1/jobs/batch", jobs == size ? full : batchBody(jobs));
          if (r.status() != 201) {
            failures.add(r);
            return;
          }
          int items = JSON.readTree(r.body()).get("items").size();
          if (items != jobs) {
            failures.add("201 with " + items + " items for a batch of " + jobs);
          }
        });
    failures.check(requests);
  }

  static String batchBody(int jobs) {
    return "{\"jobs\":[" + String.join(",", Collections.nCopies(jobs, NOOP)) + "]}";
  }

  /** Reads {@code n} jobs back to back from {@code clients} clients (the warm-up). */
  private void readClosedLoop(String[] ids, int n, int clients) throws Exception {
    var failures = new Failures("warm-up reads");
    closedLoop(
        n,
        clients,
        failures,
        i -> {
          var r = http.get(jobPath(ids[i % ids.length]));
          if (r.status() != 200) {
            failures.add(r);
          }
        });
    failures.check(n);
  }

  /**
   * Reads random jobs of {@code ids} on the open-loop schedule, each request in its own virtual
   * thread so that a slow answer never delays the next send; returns the latencies from each
   * request's due time to its answer.
   */
  private long[] readOpenLoop(String[] ids) throws Exception {
    var loop =
        OpenLoop.of(
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50),
            settings.getRate(),
            Duration.ofSeconds(settings.getSeconds()));
    var latencies = new long[loop.count()];
    var failures = new Failures("reads");
    var pending = new ArrayList<Future<?>>(loop.count());
    for (int i = 0; i < loop.count(); i++) {
      long wait = loop.dueNanos(i) - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int n = i;
      String id = ids[ThreadLocalRandom.current().nextInt(ids.length)];
      pending.add(
          clientThreads.submit(
              () -> {
                try {
                  var r = http.get(jobPath(id));
                  latencies[n] = loop.latencyNanos(n, System.nanoTime());
                  if (r.status() != 200) {
                    failures.add(r);
                  }
                } catch (Exception e) {
                  latencies[n] = loop.latencyNanos(n, System.nanoTime());
                  failures.add(e);
                }
              }));
    }
    long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
    for (var f : pending) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new TimeoutException(
            "reads: answers still missing "
                + settings.phaseTimeout().toSeconds()
                + " s after the last was sent");
      }
    }
    failures.check(loop.count());
    return latencies;
  }

  /** One request of a closed-loop phase; {@code i} is its number. */
  private interface Step {
    void run(int i) throws Exception;
  }

  /**
   * Runs {@code n} steps from {@code clients} clients, each sending its next as soon as it has an
   * answer.
   */
  private void closedLoop(int n, int clients, Failures failures, Step step) throws Exception {
    var next = new AtomicInteger();
    var workers = new ArrayList<Future<?>>(clients);
    for (int c = 0; c < Math.min(clients, n); c++) {
      workers.add(
          clientThreads.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                  try {
                    step.run(i);
                  } catch (Exception e) {
                    failures.add(e);
                  }
                }
                return null;
              }));
    }
    long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
    for (var w : workers) {
      try {
        w.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        next.set(n);
        throw new TimeoutException(
            failures.phase
                + ": not done after "
                + settings.phaseTimeout().toSeconds()
                + " s ("
                + Math.min(next.get(), n)
                + " of "
                + n
                + " requests started)");
      }
    }
  }

  private static String jobPath(String id) {
    return "/api/v1/jobs/" + id;
  }

  private static void expectOk(Answer r, String what) {
    if (r.status() / 100 != 2) {
      throw new IllegalStateException(what + " answered " + r.status() + ": " + r.body());
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void progress(String format, Object... args) {
    progress.accept(String.format(Locale.ROOT, format, args));
  }

  /** The failed requests of one phase: counted, the first few described. */
  private static final class Failures {
    final String phase;
    private final LongAdder count = new LongAdder();
    private final List<String> shown = Collections.synchronizedList(new ArrayList<>());

    Failures(String phase) {
      this.phase = phase;
    }

    void add(Answer r) {
      String body = r.body();
      add(
          r.status()
              + " "
              + r.method()
              + " "
              + r.path()
              + ": "
              + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
    }

    void add(Exception e) {
      add(e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    void add(String description) {
      count.increment();
      if (shown.size() < FAILURES_SHOWN) {
        shown.add(description);
      }
    }

    /** Fails the run when any of the phase's {@code requests} failed. */
    void check(int requests) {
      long n = count.sum();
      if (n > 0) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "%s: %,d of %,d requests failed (not 2xx or no answer), so the figures would not be"
                    + " the API's; first: %s",
                phase,
                n,
                requests,
                String.join(" | ", shown)));
      }
    }
  }
}
