package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobState;
import io.taskmill.job.LogLevel;
import io.taskmill.job.Retry;
import io.taskmill.testkit.ManualEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retries on a fake clock: backoff is waited out by ticking, never by sleeping. */
class RetryTest {
  private final AtomicInteger attempts = new AtomicInteger();

  private ManualEngine engine(Retry handlerRetry, int failures, RuntimeException error) {
    return ManualEngine.start(
        Taskmill.builder()
            .inMemory()
            .handler(
                "test.flaky",
                Step.class,
                (p, ctx) -> {
                  ctx.log().info("attempt {} of {}", ctx.attempt(), p.name());
                  if (attempts.incrementAndGet() <= failures) {
                    throw error;
                  }
                },
                h -> h.retry(handlerRetry)));
  }

  @Test
  void failedAttemptIsRetriedAfterItsBackoffAndThenSucceeds() {
    try (var engine =
        engine(
            Retry.fixed(Duration.ofSeconds(30)).maxAttempts(3),
            1,
            new IllegalStateException("boom"))) {
      JobId id = engine.enqueue("test.flaky", new Step("a"), JobOptions.defaults());
      assertThat(engine.runDueJobs()).isEqualTo(1);
      Job failed = engine.taskmill().jobs().get(id).orElseThrow();
      assertThat(failed.state()).isEqualTo(JobState.SCHEDULED);
      assertThat(failed.runAt()).isEqualTo(engine.clock().instant().plusSeconds(30));
      assertThat(failed.lastError()).startsWith("java.lang.IllegalStateException: boom");

      engine.tick(Duration.ofSeconds(29));
      assertThat(engine.runDueJobs()).isZero();
      engine.tick(Duration.ofSeconds(1));
      assertThat(engine.runDueJobs()).isEqualTo(1);
      Job done = engine.taskmill().jobs().get(id).orElseThrow();
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.attempt()).isEqualTo(2);
      assertThat(engine.taskmill().jobs().events(id))
          .extracting(e -> e.to())
          .containsExactly(
              JobState.ENQUEUED,
              JobState.RUNNING,
              JobState.SCHEDULED,
              JobState.ENQUEUED,
              JobState.RUNNING,
              JobState.SUCCEEDED);
    }
  }

  @Test
  void exhaustingAttemptsMakesTheJobDeadKeepingItsLastErrorAndLogs() {
    try (var engine =
        engine(
            Retry.fixed(Duration.ZERO).maxAttempts(4), 100, new IllegalStateException("always"))) {
      JobId id = engine.enqueue("test.flaky", new Step("a"), JobOptions.defaults());
      assertThat(engine.runDueJobs()).isEqualTo(4);
      Job dead = engine.taskmill().jobs().get(id).orElseThrow();
      assertThat(dead.state()).isEqualTo(JobState.DEAD);
      assertThat(dead.attempt()).isEqualTo(4);
      assertThat(dead.finishedAt()).isNotNull();
      assertThat(dead.lastError())
          .startsWith("java.lang.IllegalStateException: always")
          .contains("at io.taskmill");
      var logs = engine.taskmill().jobs().logs(id);
      assertThat(logs)
          .filteredOn(l -> l.level() == LogLevel.INFO)
          .extracting(l -> l.message())
          .containsExactly("attempt 1 of a", "attempt 2 of a", "attempt 3 of a", "attempt 4 of a");
      assertThat(logs.get(logs.size() - 1).message()).contains("no attempts left");
    }
  }

  @Test
  void perJobPolicyOverridesTheHandlersAndAbortOnStopsAtOnce() {
    try (var engine =
        engine(
            Retry.fixed(Duration.ZERO).maxAttempts(10),
            100,
            new IllegalArgumentException("bad input"))) {
      JobId id =
          engine.enqueue(
              "test.flaky",
              new Step("a"),
              JobOptions.defaults()
                  .retry(
                      Retry.exponential(Duration.ofSeconds(1))
                          .maxAttempts(5)
                          .retryOn(IOException.class, UncheckedIOException.class)
                          .abortOn(IllegalArgumentException.class)));
      assertThat(engine.runDueJobs()).isEqualTo(1);
      Job dead = engine.taskmill().jobs().get(id).orElseThrow();
      assertThat(dead.state()).isEqualTo(JobState.DEAD);
      assertThat(dead.maxAttempts()).isEqualTo(5);
      assertThat(engine.taskmill().jobs().logs(id))
          .last()
          .extracting(l -> l.message())
          .asString()
          .contains("matches abortOn java.lang.IllegalArgumentException");
    }
  }

  @Test
  void errorOutsideRetryOnIsFinal() {
    try (var engine =
        engine(
            Retry.fixed(Duration.ZERO).maxAttempts(5).retryOn(IOException.class),
            100,
            new IllegalStateException("not io"))) {
      JobId id = engine.enqueue("test.flaky", new Step("a"), JobOptions.defaults());
      engine.runDueJobs();
      assertThat(engine.taskmill().jobs().get(id).orElseThrow().state()).isEqualTo(JobState.DEAD);
      assertThat(attempts).hasValue(1);
    }
  }

  @Test
  void handlerPredicatesAndCallbackApplyToEveryJobOfTheType() {
    var retries = new CopyOnWriteArrayList<String>();
    Retry policy =
        Retry.exponential(Duration.ofSeconds(2))
            .maxAttempts(5)
            .abortIf(e -> e.getMessage().contains("fatal"))
            .onRetry(
                (id, type, attempt, error, delay) ->
                    retries.add(type + "#" + attempt + " in " + delay));
    try (var engine = engine(policy, 2, new IllegalStateException("transient"))) {
      JobId id = engine.enqueue("test.flaky", new Step("a"), JobOptions.defaults());
      engine.runDueJobs();
      engine.tick(Duration.ofSeconds(2));
      engine.runDueJobs();
      engine.tick(Duration.ofSeconds(4));
      engine.runDueJobs();
      assertThat(engine.taskmill().jobs().get(id).orElseThrow().state())
          .isEqualTo(JobState.SUCCEEDED);
      assertThat(retries).containsExactly("test.flaky#1 in PT2S", "test.flaky#2 in PT4S");
    }
    attempts.set(0);
    try (var engine = engine(policy, 100, new IllegalStateException("fatal: disk gone"))) {
      JobId id = engine.enqueue("test.flaky", new Step("a"), JobOptions.defaults());
      engine.runDueJobs();
      assertThat(engine.taskmill().jobs().get(id).orElseThrow().state()).isEqualTo(JobState.DEAD);
    }
  }

  @Test
  void engineDefaultPolicyAppliesWhenNothingElseIsSet() {
    try (var engine =
        ManualEngine.start(
            Taskmill.builder()
                .inMemory()
                .defaultRetry(Retry.none())
                .handler(
                    "test.fail",
                    Step.class,
                    (p, ctx) -> {
                      throw new IllegalStateException("x");
                    }))) {
      JobId id = engine.enqueue("test.fail", new Step("a"), JobOptions.defaults());
      engine.runDueJobs();
      Job dead = engine.taskmill().jobs().get(id).orElseThrow();
      assertThat(dead.state()).isEqualTo(JobState.DEAD);
      assertThat(dead.maxAttempts()).isEqualTo(1);
    }
  }
}
