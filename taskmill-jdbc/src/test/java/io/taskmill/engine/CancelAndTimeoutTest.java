package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.handler.JobTimeoutException;
import io.taskmill.job.CancelResult;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobState;
import io.taskmill.job.Retry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Timeouts and cancellation on the real engine. */
class CancelAndTimeoutTest {

  @Test
  void attemptPastItsTimeoutIsInterruptedAndCountedAsFailed() {
    var interrupted = new AtomicBoolean();
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .handler(
                "test.slow",
                Step.class,
                (p, ctx) -> {
                  try {
                    Payloads.blockUntilInterrupted();
                  } catch (InterruptedException e) {
                    interrupted.set(ctx.isCancelled());
                    throw e;
                  }
                })
            .start()) {
      JobId id =
          tm.enqueue(
              "test.slow",
              new Step("x"),
              JobOptions.defaults().timeout(Duration.ofMillis(200)).retry(Retry.none()));
      Job dead = Await.state(tm, id, JobState.DEAD);
      assertThat(interrupted).isTrue();
      assertThat(dead.lastError())
          .startsWith(JobTimeoutException.class.getName() + ": attempt timed out after PT0.2S");
    }
  }

  @Test
  void handlerIgnoringItsTimeoutIsRecordedAsFailedAfterTheGrace() {
    var release = new CountDownLatch(1);
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .timeoutGrace(Duration.ofMillis(200))
            .shutdownGrace(Duration.ZERO)
            .handler(
                "test.stubborn",
                Step.class,
                (p, ctx) -> {
                  while (true) {
                    try {
                      if (release.await(10, TimeUnit.MILLISECONDS)) {
                        return;
                      }
                    } catch (InterruptedException swallowed) {
                      // a handler that ignores interrupts
                    }
                  }
                })
            .start()) {
      JobId id =
          tm.enqueue(
              "test.stubborn",
              new Step("x"),
              JobOptions.defaults().timeout(Duration.ofMillis(100)).retry(Retry.none()));
      Job dead = Await.state(tm, id, JobState.DEAD);
      assertThat(dead.lastError()).contains("timed out");
      assertThat(tm.jobs().logs(id))
          .anySatisfy(l -> assertThat(l.message()).contains("ignored its interrupt"));
      release.countDown();
    }
  }

  @Test
  void cancellingAWaitingJobMakesItCancelled() {
    try (Taskmill tm =
        Taskmill.builder().inMemory().handler("test.step", Step.class, (p, ctx) -> {}).start()) {
      JobId id =
          tm.enqueue("test.step", new Step("x"), JobOptions.defaults().delay(Duration.ofHours(1)));
      assertThat(tm.jobs().cancel(id)).isEqualTo(CancelResult.CANCELLED);
      Job job = tm.jobs().get(id).orElseThrow();
      assertThat(job.state()).isEqualTo(JobState.CANCELLED);
      assertThat(job.finishedAt()).isNotNull();
      assertThat(tm.jobs().cancel(id)).isEqualTo(CancelResult.ALREADY_FINISHED);
      assertThat(tm.jobs().cancel(JobId.newId(0))).isEqualTo(CancelResult.NOT_FOUND);
    }
  }

  @Test
  void cancellingARunningJobInterruptsItAndEndsCancelled() throws Exception {
    var started = new CountDownLatch(1);
    var sawCancel = new AtomicBoolean();
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .handler(
                "test.long",
                Step.class,
                (p, ctx) -> {
                  started.countDown();
                  try {
                    Payloads.blockUntilInterrupted();
                  } finally {
                    sawCancel.set(ctx.isCancelled());
                  }
                })
            .start()) {
      JobId id = tm.enqueue("test.long", new Step("x"));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(tm.jobs().cancel(id)).isEqualTo(CancelResult.CANCEL_REQUESTED);
      Job job = Await.state(tm, id, JobState.CANCELLED);
      assertThat(sawCancel).isTrue();
      assertThat(job.attempt()).isEqualTo(1);
    }
  }

  @Test
  void cooperativeHandlerStopsOnCheckCancelled() throws Exception {
    var started = new CountDownLatch(1);
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .handler(
                "test.loop",
                Step.class,
                (p, ctx) -> {
                  started.countDown();
                  while (true) {
                    ctx.checkCancelled();
                    Thread.onSpinWait();
                  }
                })
            .start()) {
      JobId id = tm.enqueue("test.loop", new Step("x"));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      tm.jobs().cancel(id);
      Await.state(tm, id, JobState.CANCELLED);
    }
  }
}
