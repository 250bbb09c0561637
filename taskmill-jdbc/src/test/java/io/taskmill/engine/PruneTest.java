package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.Taskmill;
import io.taskmill.jdbc.JdbcStoreProvider;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.FakeClock;
import io.taskmill.testkit.ManualEngine;
import io.taskmill.testkit.fault.FaultInjectingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The leader's pruner: finished jobs older than their retention are deleted in batches, and a
 * backlog larger than one pass may delete goes on at the next duty round, not a minute later, so a
 * busy store cannot outgrow its pruner.
 */
class PruneTest {
  private static final Duration RETAIN = Duration.ofHours(1);
  private static final int JOBS = 4_000;

  record Step(String name) {}

  @Test
  void aBacklogLargerThanOnePassIsPrunedAtTheNextRoundsNotAMinuteLater() {
    // Each prune batch (1,000 jobs) takes at least 400 ms, so one pass (1 s) ends with jobs left.
    FaultInjectingStore store =
        FaultInjectingStore.around(
                new JdbcStoreProvider()
                    .open(
                        new StoreSettings(null, "prune-" + UUID.randomUUID(), null, null, null, 4)))
            .seed(1)
            .delay(StoreOp.PRUNE, 1.0, Duration.ofMillis(400))
            .build();
    FakeClock clock = FakeClock.create();
    try (store;
        var engine =
            ManualEngine.start(
                Taskmill.builder()
                    .store(store)
                    .retainSucceeded(RETAIN)
                    .queue("default", q -> q.concurrency(64))
                    .handler("test.step", Step.class, (p, ctx) -> {}),
                clock)) {
      var requests = new ArrayList<JobRequest>();
      for (int i = 0; i < JOBS; i++) {
        requests.add(JobRequest.of("test.step", new Step("s" + i), JobOptions.defaults()));
      }
      for (int from = 0; from < JOBS; from += 1_000) {
        engine.taskmill().enqueueAll(requests.subList(from, from + 1_000));
      }
      while (engine.runDueJobs() > 0) {
        // run them all to SUCCEEDED
      }
      assertThat(succeeded(engine)).isEqualTo(JOBS);
      engine.tick(RETAIN.plusSeconds(1));
      engine.heartbeat();

      engine.runRescuer();
      long afterFirst = succeeded(engine);
      assertThat(afterFirst)
          .as("one pass stops when its time is spent")
          .isPositive()
          .isLessThan(JOBS);

      // The same minute: the old pruner waited a minute between passes whatever was left.
      int rounds = 1;
      while (succeeded(engine) > 0 && rounds < 20) {
        engine.tick(Duration.ofSeconds(2));
        engine.runRescuer();
        rounds++;
      }
      assertThat(succeeded(engine)).isZero();
      assertThat(Duration.ofSeconds(2L * (rounds - 1))).isLessThan(Duration.ofMinutes(1));
    }
  }

  private static long succeeded(ManualEngine engine) {
    return engine.taskmill().jobs().counts().stream()
        .filter(c -> c.state() == JobState.SUCCEEDED)
        .mapToLong(JobCount::count)
        .sum();
  }
}
