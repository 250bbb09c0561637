package io.taskmill.bench.peers;

import io.taskmill.bench.Latencies;
import io.taskmill.bench.peers.JobRunrJobs.NoopHandler;
import io.taskmill.bench.peers.JobRunrJobs.NoopRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson3.Jackson3JsonMapper;

/**
 * JobRunr (the open-source edition) through its fluent configuration: a {@link
 * PostgresStorageProvider} that creates its own tables in the peer's schema, a background job
 * server polling every 5 seconds (the least it accepts on a SQL database), and its worker count for
 * virtual threads, its default on JDK 21 and later, which its documentation recommends for
 * throughput.
 *
 * <p>A server fetches enqueued jobs when it polls and, with a worker free, whenever a job finishes:
 * so a drain runs on without waiting for polls, but a job enqueued on an idle server waits for the
 * next poll. Pickup samples are therefore few ({@code --peer-samples}) and each is enqueued after a
 * random pause of up to one poll interval: back to back, every sample would be enqueued just after
 * the poll that fetched the one before and wait out nearly a whole interval.
 *
 * <p>The server's state filter reports each SUCCEEDED state after it is saved: the drain counts
 * those, and JobRunr's own job counts confirm the end.
 */
final class JobRunrPeer implements Peers.Peer {
  static final String NAME = "JobRunr";

  /** JobRunr refuses a shorter poll interval on any SQL or NoSQL store. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

  static final BackgroundJobServerThreadType THREAD_TYPE =
      BackgroundJobServerThreadType.VirtualThreads;

  /** Its default for virtual threads: 16 per core (32 on two cores). */
  static final int WORKERS = THREAD_TYPE.getDefaultWorkerCount();

  /** A connection for every worker, plus its zookeeper and master tasks and the enqueues. */
  static final int POOL_SIZE = WORKERS + 4;

  private final LongAdder runs = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private volatile boolean probing;
  private PickupProbe probe;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String schemaTag() {
    return "jobrunr";
  }

  static String version() {
    return Peers.version(JobRunr.class, "org.jobrunr", "jobrunr");
  }

  /** The configuration, as printed. */
  static String describe() {
    return String.format(
        Locale.ROOT,
        "BackgroundJobServerConfiguration pollInterval %d s (its minimum), %d workers on"
            + " %s (its default), PostgresStorageProvider (its own tables, prefix <schema>.), Jackson3JsonMapper,"
            + " JobRequest jobs, HikariCP pool of %d",
        POLL_INTERVAL.toSeconds(),
        WORKERS,
        THREAD_TYPE,
        POOL_SIZE);
  }

  /** How long one pickup sample may take: a few polls, and the usual margin. */
  static Duration sampleTimeout() {
    return POLL_INTERVAL.multipliedBy(3).plusSeconds(30);
  }

  @Override
  public SystemFigures measure(PeerDatabase db, Peers.Settings s, Peers.Progress progress)
      throws Exception {
    probe = new PickupProbe(NAME, sampleTimeout());
    DataSource pool = db.pool("bench-jobrunr", POOL_SIZE);
    var storage = new PostgresStorageProvider(pool, db.schema() + ".", DatabaseOptions.CREATE);
    var handler = new NoopHandler(this::ran);
    JobActivator activator =
        new JobActivator() {
          @Override
          public <T> T activateJob(Class<T> type) {
            return type == NoopHandler.class ? type.cast(handler) : null;
          }
        };
    var configured =
        JobRunr.configure()
            .useJsonMapper(new Jackson3JsonMapper())
            .useStorageProvider(storage)
            .useJobActivator(activator)
            .withJobFilter(new Outcomes())
            .useBackgroundJobServer(
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                    .andName("bench-jobrunr")
                    .andPollInterval(POLL_INTERVAL)
                    .andBackgroundJobServerWorkerPolicy(
                        new DefaultBackgroundJobServerWorkerPolicy(WORKERS, THREAD_TYPE)),
                false)
            .initialize();
    BackgroundJobServer server = configured.getBackgroundJobServer();
    JobRequestScheduler scheduler = configured.getJobRequestScheduler();
    try {
      progress.say("%s %s: warming up: %,d jobs", NAME, version(), s.warmupJobs());
      enqueue(scheduler, s.warmupJobs(), s.batch());
      server.start();
      // The first start also registers the cluster's metadata; only then does a server take jobs.
      await("the server to be ready", () -> !server.isNotReadyToProcessJobs(), s.phaseTimeout());
      await(
          "the warm-up",
          () -> succeeded.sum() >= s.warmupJobs() || failed.sum() > 0,
          s.phaseTimeout());
      if (failed.sum() > 0) {
        throw new IllegalStateException(NAME + ": " + failed.sum() + " warm-up jobs failed");
      }
      server.stop();

      progress.say(
          "%s: enqueueing %,d jobs in batches of %,d with the server stopped",
          NAME, s.jobs(), s.batch());
      double enqueueSeconds = enqueue(scheduler, s.jobs(), s.batch());
      progress.say("  %,.0f jobs/s (%.2f s)", s.jobs() / enqueueSeconds, enqueueSeconds);

      progress.say("%s: starting the server, draining %,d jobs", NAME, s.jobs());
      long runsBefore = runs.sum();
      long succeededBefore = succeeded.sum();
      long failedBefore = failed.sum();
      var drain =
          DrainTimer.run(
              NAME,
              s.jobs(),
              server::start,
              () -> succeeded.sum() - succeededBefore,
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
      checkDrained(storage, runs.sum() - runsBefore, s.jobs(), succeededBefore + s.jobs());

      int samples = s.pollingPeerSamples();
      progress.say(
          "%s: measuring pickup latency: %,d jobs, one at a time, each after a random pause of up to %d s"
              + " (--peer-samples; every sample waits for a poll)",
          NAME, samples, POLL_INTERVAL.toSeconds());
      var random = new SplittableRandom(42);
      probing = true;
      Latencies pickup =
          Latencies.ofNanos(
              probe.measure(
                  samples,
                  0,
                  sample -> scheduler.enqueue(new NoopRequest(sample)).asUUID(),
                  () -> random.nextLong(POLL_INTERVAL.toNanos())));
      probing = false;
      progress.say("  p50 %.2f ms, p99 %.2f ms", pickup.p50Ms(), pickup.p99Ms());
      return new SystemFigures(
          NAME,
          "jobrunr",
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
              "--peer-samples, fewer since each waits for a poll; no warm-up ones; each"
                  + " enqueued on the running server after a random pause of up to one poll interval (%d s)",
              POLL_INTERVAL.toSeconds()),
          db.schema());
    } finally {
      // Stops the server and closes the storage provider; the pool closes with the schema.
      JobRunr.destroy();
    }
  }

  private void ran(int sample) {
    probe.started(sample);
    runs.increment();
  }

  /** Enqueues {@code n} no-op jobs in batches of {@code batch}; returns the seconds it took. */
  private static double enqueue(JobRequestScheduler scheduler, int n, int batch) {
    long start = System.nanoTime();
    for (int done = 0; done < n; ) {
      int size = Math.min(batch, n - done);
      List<NoopRequest> requests = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        requests.add(new NoopRequest(PickupProbe.NOT_A_SAMPLE));
      }
      scheduler.enqueue(requests.stream());
      done += size;
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The drain ran every job once and, by JobRunr's own counts, none is left to run. */
  private static void checkDrained(StorageProvider storage, long ran, int n, long succeededTotal) {
    long succeeded = storage.countJobs(StateName.SUCCEEDED);
    long left =
        storage.countJobs(StateName.ENQUEUED)
            + storage.countJobs(StateName.PROCESSING)
            + storage.countJobs(StateName.SCHEDULED)
            + storage.countJobs(StateName.FAILED);
    if (ran != n || succeeded != succeededTotal || left != 0) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "%s: the drain of %,d jobs ran the handler %,d times;"
                  + " JobRunr counts %,d SUCCEEDED (expected %,d) and %,d not finished",
              NAME,
              n,
              ran,
              succeeded,
              succeededTotal,
              left));
    }
  }

  private static void await(String what, BooleanSupplier condition, Duration timeout)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        throw new TimeoutException(NAME + ": waited " + timeout.toSeconds() + " s for " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Counts outcomes once JobRunr has saved them. */
  private final class Outcomes implements ApplyStateFilter {
    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
      if (newState == null) {
        return;
      }
      if (newState.getName() == StateName.SUCCEEDED) {
        succeeded.increment();
        if (probing) {
          probe.finished(job.getId());
        }
      } else if (newState.getName() == StateName.FAILED) {
        failed.increment();
      }
    }
  }
}
