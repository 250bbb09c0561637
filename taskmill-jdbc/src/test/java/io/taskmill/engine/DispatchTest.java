package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The real engine with its threads, on in-memory H2. */
class DispatchTest {

  @Test
  void higherPriorityRunsFirstThenFifoByRunAt() {
    var order = new CopyOnWriteArrayList<String>();
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .handler("test.step", Step.class, (p, ctx) -> order.add(p.name()))
            .queue("serial", q -> q.concurrency(1))
            .start()) {
      tm.queues().pause("serial");
      var requests = new ArrayList<JobRequest>();
      requests.add(
          JobRequest.of("test.step", new Step("low-1"), JobOptions.queue("serial").priority(-1)));
      requests.add(JobRequest.of("test.step", new Step("mid-1"), JobOptions.queue("serial")));
      requests.add(
          JobRequest.of("test.step", new Step("high-1"), JobOptions.queue("serial").priority(10)));
      requests.add(JobRequest.of("test.step", new Step("mid-2"), JobOptions.queue("serial")));
      requests.add(
          JobRequest.of("test.step", new Step("high-2"), JobOptions.queue("serial").priority(10)));
      // Older runAt first within a priority, even when enqueued later.
      requests.add(
          JobRequest.of(
              "test.step",
              new Step("mid-0"),
              JobOptions.queue("serial").runAt(Instant.now().minusSeconds(60))));
      var ids = tm.enqueueAll(requests);
      tm.queues().resume("serial");
      Await.allTerminal(tm, ids);
      assertThat(order).containsExactly("high-1", "high-2", "mid-0", "mid-1", "mid-2", "low-1");
    }
  }

  @Test
  void pausedQueueIsNotClaimedUntilResumed() {
    var ran = new AtomicInteger();
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .handler("test.step", Step.class, (p, ctx) -> ran.incrementAndGet())
            .start()) {
      tm.queues().pause("default");
      JobId id = tm.enqueue("test.step", new Step("x"));
      // The enqueue signal and a full poll cycle pass without a claim.
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> tm.jobs().get(id).orElseThrow().state() == JobState.ENQUEUED);
      assertThat(tm.queues().list()).anySatisfy(q -> assertThat(q.paused()).isTrue());
      tm.queues().resume("default");
      Await.state(tm, id, JobState.SUCCEEDED);
      assertThat(ran).hasValue(1);
    }
  }

  @Test
  void delayedJobRunsNoEarlierThanItsRunAt() {
    var startedAt = new CopyOnWriteArrayList<Instant>();
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .handler("test.step", Step.class, (p, ctx) -> startedAt.add(Instant.now()))
            .start()) {
      Instant before = Instant.now();
      JobId id =
          tm.enqueue(
              "test.step", new Step("later"), JobOptions.defaults().delay(Duration.ofMillis(400)));
      assertThat(tm.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
      Await.state(tm, id, JobState.SUCCEEDED);
      assertThat(startedAt.get(0)).isAfterOrEqualTo(before.plusMillis(400));
      assertThat(tm.jobs().events(id))
          .extracting(e -> e.to())
          .containsExactly(
              JobState.SCHEDULED, JobState.ENQUEUED, JobState.RUNNING, JobState.SUCCEEDED);
    }
  }

  @Test
  void queueAndTypeConcurrencyLimitsAreNeverExceeded() throws Exception {
    var running = new AtomicInteger();
    var maxSeen = new AtomicInteger();
    var thumbsRunning = new AtomicInteger();
    var thumbsMax = new AtomicInteger();
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .handler(
                "test.step",
                Step.class,
                (p, ctx) -> {
                  maxSeen.accumulateAndGet(running.incrementAndGet(), Math::max);
                  Payloads.work(Duration.ofMillis(5)); // hold the slot so overlaps are likely
                  running.decrementAndGet();
                },
                h -> h.queue("media"))
            .handler(
                "render.thumbnails",
                Step.class,
                (p, ctx) -> {
                  maxSeen.accumulateAndGet(running.incrementAndGet(), Math::max);
                  thumbsMax.accumulateAndGet(thumbsRunning.incrementAndGet(), Math::max);
                  Payloads.work(Duration.ofMillis(5));
                  thumbsRunning.decrementAndGet();
                  running.decrementAndGet();
                },
                h -> h.queue("media").maxConcurrency(2))
            .queue("media", q -> q.concurrency(6))
            .start()) {
      var requests = new ArrayList<JobRequest>();
      for (int i = 0; i < 150; i++) {
        requests.add(
            JobRequest.of(i % 2 == 0 ? "test.step" : "render.thumbnails", new Step("s" + i)));
      }
      Await.allTerminal(tm, tm.enqueueAll(requests));
      assertThat(maxSeen.get()).isBetween(3, 6);
      assertThat(thumbsMax.get()).isBetween(1, 2);
    }
  }

  @Test
  void handlerSeesItsJobInTheMdc() {
    var seen = new CopyOnWriteArrayList<String>();
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .handler(
                "test.step",
                Step.class,
                (p, ctx) -> {
                  seen.add(
                      MDC.get("jobId")
                          + "|"
                          + MDC.get("jobType")
                          + "|"
                          + MDC.get("attempt")
                          + "|"
                          + MDC.get("queue")
                          + "|"
                          + MDC.get("correlationId"));
                })
            .start()) {
      JobId id =
          tm.enqueue("test.step", new Step("x"), JobOptions.defaults().correlationId("req-42"));
      Await.state(tm, id, JobState.SUCCEEDED);
      assertThat(seen).containsExactly(id + "|test.step|1|default|req-42");
    }
  }

  @Test
  void idleEngineStartsAnEnqueuedJobWithoutWaitingForAPoll() throws Exception {
    var started = new CountDownLatch(1);
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .pollInterval(Duration.ofHours(1)) // only the enqueue signal can wake it
            .handler("test.step", Step.class, (p, ctx) -> started.countDown())
            .start()) {
      tm.enqueue("test.step", new Step("now"));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void resultsAreStoredAndDecoded() {
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .resultHandler("test.echo", Step.class, (p, ctx) -> new Step(p.name().toUpperCase()))
            .start()) {
      JobId id = tm.enqueue("test.echo", new Step("hello"));
      Await.state(tm, id, JobState.SUCCEEDED);
      assertThat(tm.jobs().result(id, Step.class)).contains(new Step("HELLO"));
      assertThat(tm.jobs().get(id).orElseThrow().resultJson()).isEqualTo("{\"name\":\"HELLO\"}");
    }
  }

  @Test
  void manyJobsAllSucceedExactlyOnce() {
    var runs = new ConcurrentHashMap<String, AtomicInteger>();
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .handler(
                "test.step",
                Step.class,
                (p, ctx) ->
                    runs.computeIfAbsent(p.name(), k -> new AtomicInteger()).incrementAndGet())
            .queue("default", q -> q.concurrency(32))
            .start()) {
      List<JobRequest> requests = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        requests.add(JobRequest.of("test.step", new Step("j" + i)));
      }
      Await.allTerminal(tm, tm.enqueueAll(requests));
      assertThat(runs).hasSize(3000);
      assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    }
  }
}
