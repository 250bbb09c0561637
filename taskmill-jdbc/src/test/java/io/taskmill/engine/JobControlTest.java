package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.internal.dispatch.Claim;
import io.taskmill.jdbc.JdbcStoreProvider;
import io.taskmill.job.BulkResult;
import io.taskmill.job.Enqueued;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.job.Retry;
import io.taskmill.job.RetryResult;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.ManualEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A user's commands through the engine: manual retry, bulk cancel and retry, keyed submission. */
class JobControlTest {
  private static final JobOptions ONE_ATTEMPT = JobOptions.defaults().retry(Retry.none());

  /** Fails until {@code failures} attempts have failed, then succeeds. */
  private final AtomicInteger failuresLeft = new AtomicInteger();

  private final AtomicInteger runs = new AtomicInteger();

  private TaskmillBuilder builder() {
    return handlers(Taskmill.builder().inMemory());
  }

  private TaskmillBuilder handlers(TaskmillBuilder builder) {
    return builder
        .leaseDuration(Duration.ofSeconds(30))
        .handler(
            "test.flaky",
            Step.class,
            (p, ctx) -> {
              runs.incrementAndGet();
              if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("broken " + p.name());
              }
            });
  }

  @Test
  void aDeadJobRetriedRunsAgainAndSucceeds() {
    failuresLeft.set(1);
    try (var engine = ManualEngine.start(builder())) {
      Taskmill tm = engine.taskmill();
      JobId id = engine.enqueue("test.flaky", new Step("a"), ONE_ATTEMPT);
      engine.runDueJobs();
      Job dead = tm.jobs().get(id).orElseThrow();
      assertThat(dead.state()).isEqualTo(JobState.DEAD);

      engine.tick(Duration.ofMinutes(5));
      assertThat(tm.jobs().retry(id)).isEqualTo(RetryResult.RETRIED);
      Job retried = tm.jobs().get(id).orElseThrow();
      assertThat(retried.state()).isEqualTo(JobState.ENQUEUED);
      assertThat(retried.attempt()).isZero();
      assertThat(retried.lastError()).startsWith("java.lang.IllegalStateException: broken a");

      assertThat(engine.runDueJobs()).isEqualTo(1);
      Job done = tm.jobs().get(id).orElseThrow();
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.attempt())
          .as("a fresh budget: the first attempt of the new one")
          .isEqualTo(1);
      assertThat(done.startedAt())
          .as("claimed at once, at the retry's runAt")
          .isEqualTo(retried.runAt());
      assertThat(done.lastError()).isNull();
      assertThat(runs).hasValue(2);
      assertThat(tm.jobs().events(id))
          .extracting(JobEvent::to)
          .containsExactly(
              JobState.ENQUEUED,
              JobState.RUNNING,
              JobState.DEAD,
              JobState.ENQUEUED,
              JobState.RUNNING,
              JobState.SUCCEEDED);
      assertThat(tm.jobs().events(id).get(3).message()).isEqualTo("retried by " + tm.nodeId());
    }
  }

  @Test
  void retryOfARunningJobIsRefused() {
    try (Store store = openInMemory();
        var engine = ManualEngine.start(handlers(Taskmill.builder().store(store)))) {
      Taskmill tm = engine.taskmill();
      JobId id = engine.enqueue("test.flaky", new Step("a"), ONE_ATTEMPT);
      // Another node claims it and is still running it.
      assertThat(
              Claim.run(
                      store,
                      new JobClaim(
                          "default",
                          1,
                          "other-node",
                          engine.clock().instant(),
                          Duration.ofSeconds(30),
                          Set.of("test.flaky"),
                          Map.of()))
                  .jobs())
          .hasSize(1);
      Job running = tm.jobs().get(id).orElseThrow();

      assertThat(tm.jobs().retry(id)).isEqualTo(RetryResult.NOT_RETRYABLE);
      assertThat(tm.jobs().retry(JobId.newId(0))).isEqualTo(RetryResult.NOT_FOUND);

      assertThat(tm.jobs().get(id).orElseThrow()).isEqualTo(running);
      assertThat(tm.jobs().retryAll(JobQuery.all(10))).isEqualTo(new BulkResult(1, 0, null));
    }
  }

  @Test
  void bulkCancelWithATagFilterCancelsOnlyTaggedJobsPageByPage() {
    try (var engine = ManualEngine.start(builder())) {
      Taskmill tm = engine.taskmill();
      var later = JobOptions.defaults().delay(Duration.ofHours(1));
      var tagged = new ArrayList<JobId>();
      for (int i = 0; i < 5; i++) {
        tagged.add(engine.enqueue("test.flaky", new Step("t" + i), later.tags("import-42", "eu")));
      }
      JobId similar = engine.enqueue("test.flaky", new Step("s"), later.tags("import-420"));
      JobId untagged = engine.enqueue("test.flaky", new Step("u"), later);

      JobQuery query = JobQuery.all(2).withTag("import-42");
      var pages = new ArrayList<BulkResult>();
      BulkResult page = tm.jobs().cancelAll(query);
      pages.add(page);
      while (page.hasNext()) {
        page = tm.jobs().cancelAll(query.before(page.next()));
        pages.add(page);
      }

      assertThat(pages).extracting(BulkResult::changed).containsExactly(2, 2, 1);
      for (JobId id : tagged) {
        assertThat(tm.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
      }
      assertThat(tm.jobs().get(similar).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
      assertThat(tm.jobs().get(untagged).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
      // Again: every match is finished now, so nothing changes.
      assertThat(tm.jobs().cancelAll(JobQuery.all(10).withTag("import-42")))
          .isEqualTo(new BulkResult(5, 0, null));

      // And back: the cancelled ones run, the rest stay where they were.
      BulkResult retried = tm.jobs().retryAll(JobQuery.all(10).withTag("eu"));
      assertThat(retried).isEqualTo(new BulkResult(5, 5, null));
      assertThat(engine.runDueJobs()).isEqualTo(5);
      assertThat(tm.jobs().list(JobQuery.all(10).withState(JobState.SUCCEEDED)))
          .extracting(Job::id)
          .containsExactlyInAnyOrderElementsOf(tagged);
    }
  }

  @Test
  void submitAllSaysWhichJobsAreNewAndEnqueueAllGoesTheSamePath() {
    try (var engine = ManualEngine.start(builder())) {
      Taskmill tm = engine.taskmill();
      var keyed =
          JobRequest.of(
              "test.flaky", new Step("k"), JobOptions.defaults().idempotencyKey("order-7"));
      var plain = JobRequest.of("test.flaky", new Step("p"));

      List<Enqueued> first = tm.submitAll(List.of(keyed, plain, keyed));

      assertThat(first).extracting(Enqueued::created).containsExactly(true, true, false);
      assertThat(first.get(2).id()).isEqualTo(first.get(0).id());

      List<Enqueued> again = tm.submitAll(List.of(keyed));
      assertThat(again).containsExactly(new Enqueued(first.get(0).id(), false));
      assertThat(tm.enqueueAll(List.of(keyed))).containsExactly(first.get(0).id());
      assertThat(tm.jobs().list(JobQuery.all(10))).hasSize(2);
    }
  }

  @Test
  void aRetryWakesTheLocalDispatcherWithoutWaitingForAPoll() {
    failuresLeft.set(1);
    // Polls once an hour: only the retry's own wake-up can get the job run within the deadline.
    try (Taskmill tm = builder().pollInterval(Duration.ofHours(1)).start()) {
      JobId id = tm.enqueue("test.flaky", new Step("w"), ONE_ATTEMPT);
      Await.state(tm, id, JobState.DEAD);

      assertThat(tm.jobs().retryAll(JobQuery.all(10).withState(JobState.DEAD)).changed())
          .isEqualTo(1);

      assertThat(Await.state(tm, id, JobState.SUCCEEDED).attempt()).isEqualTo(1);
    }
  }

  /** A store of the test's own, for writing as another node would. */
  static Store openInMemory() {
    return new JdbcStoreProvider()
        .open(new StoreSettings(null, "test-" + UUID.randomUUID(), null, null, null, 4));
  }
}
