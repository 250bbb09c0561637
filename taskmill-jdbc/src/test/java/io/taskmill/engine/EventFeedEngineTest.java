package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.event.EventFilter;
import io.taskmill.event.EventKind;
import io.taskmill.event.Events.Subscription;
import io.taskmill.event.FeedEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The event feed of the real engine with its threads, on in-memory H2. */
class EventFeedEngineTest {
  private static final int JOBS = 500;

  private static Taskmill start() {
    return Taskmill.builder()
        .inMemory()
        .handler("test.step", Step.class, (p, ctx) -> {})
        .queue("default", q -> q.concurrency(16))
        .start();
  }

  private static List<JobId> enqueue(Taskmill tm, int n, int batch) {
    var ids = new ArrayList<JobId>();
    for (int from = 0; from < n; from += batch) {
      var requests = new ArrayList<JobRequest>();
      for (int i = from; i < Math.min(n, from + batch); i++) {
        requests.add(JobRequest.of("test.step", new Step("s" + i), JobOptions.defaults()));
      }
      ids.addAll(tm.enqueueAll(requests));
    }
    return ids;
  }

  @Test
  void everyJobIsSeenCreatedRunningSucceededInOrderWithNoGaps() {
    try (Taskmill tm = start()) {
      var got = new CopyOnWriteArrayList<FeedEvent>();
      tm.events().subscribe(tm.events().latestSeq(), EventFilter.all(), got::add);

      List<JobId> ids = enqueue(tm, JOBS, 50);

      await().atMost(Duration.ofSeconds(60)).until(() -> got.size() >= 3 * JOBS);
      assertThat(got).hasSize(3 * JOBS);
      var kinds = new HashMap<JobId, List<EventKind>>();
      long lastSeq = 0;
      for (FeedEvent e : got) {
        assertThat(e.seq()).as("seq order").isGreaterThanOrEqualTo(lastSeq);
        lastSeq = e.seq();
        kinds.computeIfAbsent(e.jobId(), k -> new ArrayList<>()).add(e.kind());
        assertThat(e.type()).isEqualTo("test.step");
        assertThat(e.queue()).isEqualTo("default");
      }
      assertThat(kinds.keySet()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(kinds.values())
          .allSatisfy(
              k ->
                  assertThat(k)
                      .containsExactly(
                          EventKind.JOB_CREATED, EventKind.JOB_RUNNING, EventKind.JOB_SUCCEEDED));
      // Nothing committed was skipped: the feed from the start holds the same events.
      var replay = new CopyOnWriteArrayList<FeedEvent>();
      tm.events().subscribe(0, EventFilter.all(), replay::add);
      await().atMost(Duration.ofSeconds(30)).until(() -> replay.size() >= 3 * JOBS);
      assertThat(replay).isEqualTo(got);
    }
  }

  @Test
  void resumingAfterTheLastSeqReceivedYieldsEveryEventExactlyOnce() {
    try (Taskmill tm = start()) {
      List<JobId> ids = enqueue(tm, 200, 20);
      Await.allTerminal(tm, ids);
      int total = 3 * ids.size();
      int k = 250;

      var first = new CopyOnWriteArrayList<FeedEvent>();
      var stopped = new Subscription[1];
      stopped[0] =
          tm.events()
              .subscribe(
                  0,
                  EventFilter.all(),
                  e -> {
                    first.add(e);
                    // Stop at the first whole seq from the K-th event on, as an SSE client whose id
                    // is set
                    // on the last event of each seq would.
                    if (first.size() >= k && e.lastInSeq()) {
                      stopped[0].close();
                    }
                  });
      await().atMost(Duration.ofSeconds(30)).until(() -> !stopped[0].isOpen());
      long resumeAfter = stopped[0].lastSeq();
      assertThat(resumeAfter).isEqualTo(first.getLast().seq());

      var second = new CopyOnWriteArrayList<FeedEvent>();
      tm.events().subscribe(resumeAfter, EventFilter.all(), second::add);
      await().atMost(Duration.ofSeconds(30)).until(() -> first.size() + second.size() >= total);

      var union = new ArrayList<FeedEvent>(first);
      union.addAll(second);
      assertThat(union).hasSize(total);
      var seen = new HashSet<String>();
      for (FeedEvent e : union) {
        assertThat(seen.add(e.jobId() + " " + e.kind())).as("once: " + e).isTrue();
      }
      Map<EventKind, Long> counts = new HashMap<>();
      union.forEach(e -> counts.merge(e.kind(), 1L, Long::sum));
      assertThat(counts)
          .containsOnly(
              Map.entry(EventKind.JOB_CREATED, 200L),
              Map.entry(EventKind.JOB_RUNNING, 200L),
              Map.entry(EventKind.JOB_SUCCEEDED, 200L));
    }
  }

  @Test
  void aFilterByKindAndQueueSeesOnlyThose() {
    try (Taskmill tm = start()) {
      var got = new CopyOnWriteArrayList<FeedEvent>();
      tm.events()
          .subscribe(
              0, EventFilter.all().kinds(EventKind.JOB_SUCCEEDED).queues("default"), got::add);
      List<JobId> ids = enqueue(tm, 10, 10);

      await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= 10);
      assertThat(got).extracting(FeedEvent::jobId).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(got).extracting(FeedEvent::kind).containsOnly(EventKind.JOB_SUCCEEDED);
    }
  }
}
