package io.taskmill.bench.peers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.TaskSummary;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.taskmill.bench.Latencies;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * db-scheduler in the configuration its README gives for high throughput on PostgreSQL: the {@code
 * lock-and-fetch} polling strategy ({@code select for update skip locked}) with the limits it names
 * "for high throughput" (1.0, 4.0), 32 threads, a short polling interval, and immediate execution,
 * which wakes the local scheduler when a job due now is scheduled through it.
 *
 * <p>Jobs are one-time tasks of one no-op handler with no task data (so no serializer runs; the
 * default one is left in place). A one-time task's row is deleted when it completes, and the
 * scheduler's listener reports each completion after that delete: the drain counts those.
 */
final class DbSchedulerPeer implements Peers.Peer {
  static final String NAME = "db-scheduler";
  static final String TASK = "bench-noop";
  static final int THREADS = 32;
  static final double LOWER_LIMIT_FRACTION_OF_THREADS = 1.0;
  static final double UPPER_LIMIT_FRACTION_OF_THREADS = 4.0;
  static final Duration POLLING_INTERVAL = Duration.ofMillis(100);

  /** A connection for every execution thread, plus the due-executor, housekeeping and enqueues. */
  static final int POOL_SIZE = THREADS + 4;

  private static final String DDL = "db-scheduler-postgresql_tables.sql";

  /** Instance ids: drained jobs {@code d<n>}, pickup probes {@code p<sample>}. */
  private static final char DRAIN = 'd';

  private static final char PROBE = 'p';

  private final LongAdder runs = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private PickupProbe probe;
  private final OneTimeTask<Void> task =
      Tasks.oneTime(TASK)
          .execute(
              (instance, context) -> {
                String id = instance.getId();
                if (id.charAt(0) == PROBE) {
                  probe.started(Integer.parseInt(id.substring(1)));
                }
                runs.increment();
              });
  private int nextDrainId;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String schemaTag() {
    return "dbscheduler";
  }

  static String version() {
    return Peers.version(Scheduler.class, "com.github.kagkarlsson", "db-scheduler");
  }

  /** The configuration, as printed. */
  static String describe() {
    return String.format(
        Locale.ROOT,
        "pollUsingLockAndFetch(%.1f, %.1f), threads(%d), pollingInterval(%d ms),"
            + " enableImmediateExecution(), one-time task without data (default serializer, unused),"
            + " HikariCP pool of %d, table from its postgresql_tables.sql",
        LOWER_LIMIT_FRACTION_OF_THREADS,
        UPPER_LIMIT_FRACTION_OF_THREADS,
        THREADS,
        POLLING_INTERVAL.toMillis(),
        POOL_SIZE);
  }

  @Override
  public SystemFigures measure(PeerDatabase db, Peers.Settings s, Peers.Progress progress)
      throws Exception {
    db.run(ddl());
    probe = new PickupProbe(NAME, s.sampleTimeout());
    DataSource pool = db.pool("bench-db-scheduler", POOL_SIZE);
    SchedulerClient client = SchedulerClient.Builder.create(pool, task).build();

    progress.say(
        "%s %s: warming up: %,d jobs, %d pickups",
        NAME, version(), s.warmupJobs(), s.warmPickupSamples());
    Scheduler warm = scheduler(pool, "bench-db-scheduler-warm-up");
    try {
      enqueue(client, s.warmupJobs(), s.batch());
      long base = completed.sum();
      warm.start();
      awaitCompleted(base + s.warmupJobs(), s.phaseTimeout());
      probe.measure(s.warmPickupSamples(), -1_000_000, sample -> schedule(warm, sample), () -> 0);
    } finally {
      warm.stop();
    }

    progress.say(
        "%s: enqueueing %,d jobs in batches of %,d with the scheduler stopped",
        NAME, s.jobs(), s.batch());
    double enqueueSeconds = enqueue(client, s.jobs(), s.batch());
    progress.say("  %,.0f jobs/s (%.2f s)", s.jobs() / enqueueSeconds, enqueueSeconds);

    Scheduler scheduler = scheduler(pool, "bench-db-scheduler");
    var started = new AtomicBoolean();
    try {
      progress.say("%s: starting the scheduler, draining %,d jobs", NAME, s.jobs());
      long runsBefore = runs.sum();
      long completedBefore = completed.sum();
      long failedBefore = failed.sum();
      DrainTimer.Start start =
          () -> {
            started.set(true);
            scheduler.start();
          };
      var drain =
          DrainTimer.run(
              NAME,
              s.jobs(),
              start,
              () -> completed.sum() - completedBefore,
              () -> failed.sum() - failedBefore,
              s.phaseTimeout(),
              s.drainPollMs(),
              progress);
      progress.say(
          "  %,.0f jobs/s (%.2f s, first done after %.2f s); steady (10-90%%) %,.0f jobs/s; %.1f µs CPU per job",
          drain.jobsPerSec(),
          drain.seconds(),
          drain.firstDoneSeconds(),
          drain.steadyJobsPerSec(),
          drain.cpuUsPerJob());
      checkDrained(scheduler, runs.sum() - runsBefore, s.jobs());

      progress.say("%s: measuring pickup latency: %,d jobs, one at a time", NAME, s.samples());
      Latencies pickup =
          Latencies.ofNanos(
              probe.measure(s.samples(), 0, sample -> schedule(scheduler, sample), () -> 0));
      progress.say("  p50 %.2f ms, p99 %.2f ms", pickup.p50Ms(), pickup.p99Ms());
      return new SystemFigures(
          NAME,
          "dbScheduler",
          version(),
          describe(),
          s.jobs(),
          s.jobs() / enqueueSeconds,
          drain.jobsPerSec(),
          drain.steadyJobsPerSec(),
          drain.cpuUsPerJob(),
          pickup,
          String.format(
              Locale.ROOT,
              "--samples after %d warm-up ones, each scheduled through the running"
                  + " scheduler, which immediate execution wakes",
              s.warmPickupSamples()),
          db.schema());
    } finally {
      if (started.get()) {
        scheduler.stop();
      }
    }
  }

  private Scheduler scheduler(DataSource pool, String name) {
    return Scheduler.create(pool, task)
        .schedulerName(new SchedulerName.Fixed(name))
        .threads(THREADS)
        .pollUsingLockAndFetch(LOWER_LIMIT_FRACTION_OF_THREADS, UPPER_LIMIT_FRACTION_OF_THREADS)
        .pollingInterval(POLLING_INTERVAL)
        .enableImmediateExecution()
        .addSchedulerListener(
            new AbstractSchedulerListener() {
              @Override
              public void onExecutionComplete(ExecutionComplete complete) {
                var instance = complete.getExecution().taskInstance;
                if (!instance.getTaskName().equals(TASK)) {
                  return;
                }
                if (complete.getResult() != ExecutionComplete.Result.OK) {
                  failed.increment();
                  return;
                }
                completed.increment();
                if (instance.getId().charAt(0) == PROBE) {
                  probe.finished(instance.getId());
                }
              }
            })
        .build();
  }

  /** Schedules pickup probe {@code sample} to run now through {@code scheduler}; returns its id. */
  private Object schedule(Scheduler scheduler, int sample) {
    String id = PROBE + Integer.toString(sample);
    scheduler.schedule(task.instance(id), Instant.now());
    return id;
  }

  /** Schedules {@code n} no-op jobs due now in batches; returns the seconds it took. */
  private double enqueue(SchedulerClient client, int n, int batch) {
    long start = System.nanoTime();
    for (int done = 0; done < n; ) {
      int size = Math.min(batch, n - done);
      List<TaskInstance<?>> instances = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        instances.add(task.instance(DRAIN + Integer.toString(nextDrainId++)));
      }
      client.scheduleBatch(instances, Instant.now());
      done += size;
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private void awaitCompleted(long target, Duration timeout) throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (completed.sum() < target) {
      if (failed.sum() > 0) {
        throw new IllegalStateException(NAME + ": " + failed.sum() + " warm-up jobs failed");
      }
      if (System.nanoTime() >= deadline) {
        throw new TimeoutException(
            NAME + ": the warm-up did not finish in " + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** The drain ran every job once and, db-scheduler's way, left no execution of the task behind. */
  private static void checkDrained(Scheduler scheduler, long ran, int n) {
    int left =
        scheduler.getScheduledExecutionsSummaryByTask().stream()
            .filter(t -> t.taskName().equals(TASK))
            .mapToInt(TaskSummary::instanceCount)
            .sum();
    if (ran != n || left != 0) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "%s: the drain of %,d jobs ran the handler %,d"
                  + " times and left %,d executions scheduled",
              NAME,
              n,
              ran,
              left));
    }
  }

  private static String ddl() throws IOException {
    try (InputStream in = DbSchedulerPeer.class.getResourceAsStream(DDL)) {
      if (in == null) {
        throw new IllegalStateException("resource " + DDL + " is missing from the bench's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
