package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two engines (nodes) in one JVM sharing one PostgreSQL schema: the work is shared, never doubled.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgEngineClusterTest {
  record Work(int n) {}

  private String schema;
  private final Map<JobId, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();

  @BeforeEach
  void createSchema() {
    schema = PgStores.newSchema();
  }

  @AfterEach
  void dropSchema() {
    PgStores.dropSchema(schema);
  }

  private Taskmill node(String name) {
    return Taskmill.builder()
        .jdbcUrl(PgStores.url(schema), PgStores.USER, PgStores.PASSWORD)
        .nodeId(name)
        .pollInterval(Duration.ofMillis(50)) // LISTEN/NOTIFY wakes peers too; PgListenNotifyTest
        .queue("default", q -> q.concurrency(4))
        .handler(
            "test.work",
            Work.class,
            (p, ctx) -> {
              runs.computeIfAbsent(ctx.jobId(), k -> new AtomicInteger()).incrementAndGet();
              byNode.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
              LockSupport.parkNanos(
                  Duration.ofMillis(2).toNanos()); // a little work, so both nodes get some
            })
        .start();
  }

  @Test
  void twoNodesDrainOneQueueRunningEveryJobExactlyOnce() {
    try (Taskmill a = node("node-a");
        Taskmill b = node("node-b")) {
      var requests = new ArrayList<JobRequest>();
      for (int i = 0; i < 2000; i++) {
        requests.add(JobRequest.of("test.work", new Work(i)));
      }
      List<JobId> ids = a.enqueueAll(requests);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  b.jobs().counts().stream()
                          .filter(c -> c.state() == JobState.SUCCEEDED)
                          .mapToLong(JobCount::count)
                          .sum()
                      == ids.size());
      assertThat(runs).hasSize(ids.size());
      assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
      assertThat(byNode.keySet()).containsExactlyInAnyOrder("node-a", "node-b");
      assertThat(a.jobs().events(ids.get(0)))
          .extracting(e -> e.to())
          .containsExactly(JobState.ENQUEUED, JobState.RUNNING, JobState.SUCCEEDED);
    }
  }

  @Test
  void sameIdempotencyKeyFromTwoNodesAtOnceYieldsOneJob() throws Exception {
    try (Taskmill a = node("node-a");
        Taskmill b = node("node-b")) {
      a.queues().pause("default");
      Set<JobId> ids = ConcurrentHashMap.newKeySet();
      var go = new CountDownLatch(1);
      var futures = new ArrayList<Future<?>>();
      try (var pool = Executors.newFixedThreadPool(16)) {
        for (int i = 0; i < 16; i++) {
          Taskmill node = i % 2 == 0 ? a : b;
          int n = i;
          futures.add(
              pool.submit(
                  () -> {
                    go.await();
                    ids.add(
                        node.enqueue(
                            "test.work",
                            new Work(n),
                            JobOptions.defaults().idempotencyKey("report-2026-11")));
                    return null;
                  }));
        }
        go.countDown();
      }
      for (Future<?> f : futures) {
        f.get();
      }
      assertThat(ids).hasSize(1);
    }
  }
}
