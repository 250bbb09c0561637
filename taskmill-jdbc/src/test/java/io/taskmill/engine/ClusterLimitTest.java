package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.testkit.FakeClock;
import io.taskmill.testkit.ManualEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Cluster-wide limits on one engine (H2): the dispatcher claims a rate-limited type again when its
 * window turns, and a concurrency-limited one when its own job finishes, without the poll.
 */
class ClusterLimitTest {
  /** Long enough that a test relying on the poll times out instead of passing. */
  private static final Duration NO_POLL = Duration.ofHours(1);

  private static List<JobId> enqueue(Taskmill tm, String type, int n) {
    var requests = new ArrayList<JobRequest>();
    for (int i = 0; i < n; i++) {
      requests.add(JobRequest.of(type, new Step("s" + i)));
    }
    return tm.enqueueAll(requests);
  }

  @Test
  void aRateLimitedBacklogDrainsWindowByWindowWithoutThePoll() {
    Duration per = Duration.ofMillis(200);
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .pollInterval(NO_POLL)
            .handler("mail.send", Step.class, (p, ctx) -> {}, h -> h.rateLimit(3, per))
            .start()) {
      List<JobId> ids = enqueue(tm, "mail.send", 12);

      Await.allTerminal(tm, ids);

      var startsPerWindow = new TreeMap<Long, Integer>();
      for (JobId id : ids) {
        assertThat(tm.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        for (JobEvent e : tm.jobs().events(id)) {
          if (e.to() == JobState.RUNNING) {
            startsPerWindow.merge(
                Math.floorDiv(e.at().toEpochMilli(), per.toMillis()), 1, Integer::sum);
          }
        }
      }
      assertThat(startsPerWindow.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3));
      assertThat(startsPerWindow.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
    }
  }

  @Test
  void aConcurrencyLimitedTypeIsClaimedAgainWhenItsJobFinishesHere() {
    var running = new AtomicInteger();
    var most = new AtomicInteger();
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .pollInterval(NO_POLL)
            .queue("default", q -> q.concurrency(4))
            .handler(
                "render.thumbnails",
                Step.class,
                (p, ctx) -> {
                  most.accumulateAndGet(running.incrementAndGet(), Math::max);
                  Payloads.work(Duration.ofMillis(5));
                  running.decrementAndGet();
                },
                h -> h.clusterMaxConcurrency(1))
            .start()) {
      List<JobId> ids = enqueue(tm, "render.thumbnails", 8);

      Await.allTerminal(tm, ids);

      assertThat(ids)
          .allSatisfy(
              id ->
                  assertThat(tm.jobs().get(id).orElseThrow().state())
                      .isEqualTo(JobState.SUCCEEDED));
      assertThat(most).hasValue(1);
    }
  }

  @Test
  void theManualEngineStartsTheNextWindowsJobsWhenTheClockReachesIt() {
    var clock = FakeClock.create();
    var ran = new AtomicInteger();
    try (var engine =
        ManualEngine.start(
            Taskmill.builder()
                .inMemory()
                .handler(
                    "mail.send",
                    Step.class,
                    (p, ctx) -> ran.incrementAndGet(),
                    h -> h.rateLimit(2, Duration.ofMinutes(1))),
            clock)) {
      enqueue(engine.taskmill(), "mail.send", 5);

      assertThat(engine.runDueJobs()).isEqualTo(2);
      assertThat(engine.runDueJobs()).isZero();
      engine.tick(Duration.ofMinutes(1));
      assertThat(engine.runDueJobs()).isEqualTo(2);
      engine.tick(Duration.ofMinutes(1));
      assertThat(engine.runDueJobs()).isEqualTo(1);
      assertThat(ran).hasValue(5);
      assertThat(engine.taskmill().jobs().counts())
          .allSatisfy(c -> assertThat(c.state()).isEqualTo(JobState.SUCCEEDED));
    }
  }
}
