package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.job.Job;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No accepted job is lost to a kill -9 or a graceful close; a restart finishes everything. */
class CrashRecoveryTest {
  private static final int JOBS = 400;

  @Test
  void killMinus9WithJobsInFlightThenRestartCompletesEveryJob(@TempDir Path dataDir)
      throws Exception {
    Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    var enqueued = new AtomicInteger();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                KillTarget.class.getName(),
                dataDir.toString(),
                Integer.toString(JOBS))
            .redirectErrorStream(true)
            .start();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (var in =
                      new BufferedReader(
                          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                      if (line.startsWith("started ")) {
                        starts
                            .computeIfAbsent(line.substring(8), k -> new AtomicInteger())
                            .incrementAndGet();
                      } else if (line.startsWith("enqueued ")) {
                        enqueued.set(Integer.parseInt(line.substring(9).trim()));
                      } else {
                        System.out.println("child: " + line);
                      }
                    }
                  } catch (IOException ignored) {
                    // the child was killed
                  }
                });
    try {
      await("child enqueued " + JOBS + " and started 50")
          .atMost(Duration.ofSeconds(120))
          .until(() -> enqueued.get() == JOBS && starts.size() >= 50);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no graceful close
      child.waitFor();
      reader.join(5_000);
    }
    int startedInChild = starts.size();
    assertThat(startedInChild).isLessThan(JOBS); // the kill really came mid-run

    var restartRuns = new ConcurrentHashMap<JobId, AtomicInteger>();
    try (Taskmill tm =
        Taskmill.builder()
            .dataDir(dataDir)
            .handler(
                "test.work",
                Step.class,
                (p, ctx) ->
                    restartRuns
                        .computeIfAbsent(ctx.jobId(), k -> new AtomicInteger())
                        .incrementAndGet())
            .start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  tm.jobs().counts().stream()
                          .filter(c -> c.state() == JobState.SUCCEEDED)
                          .mapToLong(JobCount::count)
                          .sum()
                      == JOBS);
      List<Job> all = new ArrayList<>();
      JobId cursor = null;
      List<Job> page;
      do {
        page = tm.jobs().list(JobQuery.all(1000).before(cursor));
        all.addAll(page);
        cursor = page.isEmpty() ? null : page.get(page.size() - 1).id();
      } while (page.size() == 1000);
      assertThat(all)
          .hasSize(JOBS)
          .allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
      // A job runs twice only if its outcome was not committed when the process died: it was still
      // RUNNING under the dead process's lease, and the restart rescued it (with an event saying
      // so).
      var rescued = new HashSet<JobId>();
      for (Job j : all) {
        if (tm.jobs().events(j.id()).stream()
            .anyMatch(e -> e.message() != null && e.message().contains("rescued"))) {
          rescued.add(j.id());
        }
      }
      var duplicated =
          restartRuns.keySet().stream().filter(id -> starts.containsKey(id.toString())).toList();
      assertThat(duplicated).as("jobs run in both processes").isSubsetOf(rescued);
      // A slot is held from claim until the outcome commits, so at most 8 (the concurrency) were.
      assertThat(rescued).as("jobs in flight when the process died").hasSizeLessThanOrEqualTo(8);
      // Everything else ran exactly once: jobs not started in the child ran only after the restart.
      assertThat(restartRuns.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    }
  }

  @Test
  void gracefulCloseReleasesUnfinishedJobsForTheNextStart(@TempDir Path dataDir) throws Exception {
    var started = new CountDownLatch(1);
    JobId longJob;
    JobId shortJob;
    try (Taskmill tm =
        Taskmill.builder()
            .dataDir(dataDir)
            .shutdownGrace(Duration.ofMillis(300))
            .handler(
                "test.long",
                Step.class,
                (p, ctx) -> {
                  started.countDown();
                  Payloads.blockUntilInterrupted();
                })
            .handler("test.short", Step.class, (p, ctx) -> {})
            .start()) {
      longJob = tm.enqueue("test.long", new Step("long"));
      shortJob = tm.enqueue("test.short", new Step("short"));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      Await.state(tm, shortJob, JobState.SUCCEEDED);
    }
    var ran = new AtomicInteger();
    try (Taskmill tm =
        Taskmill.builder()
            .dataDir(dataDir)
            .handler("test.long", Step.class, (p, ctx) -> ran.incrementAndGet())
            .handler("test.short", Step.class, (p, ctx) -> {})
            .start()) {
      assertThat(tm.jobs().events(longJob))
          .anySatisfy(e -> assertThat(e.message()).contains("released at shutdown"));
      Job done = Await.state(tm, longJob, JobState.SUCCEEDED);
      assertThat(done.attempt()).isEqualTo(1); // the released attempt was not counted
      assertThat(ran).hasValue(1);
    }
  }
}
