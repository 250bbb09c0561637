package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.HandlerSettings;
import io.taskmill.Taskmill;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three engines (nodes) in one JVM on one PostgreSQL schema, racing for limited job types: the
 * database holds the cluster-wide limits, whichever node claims.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgClusterLimitTest {
  record Work(int n) {}

  private String schema;

  /** Handlers running now across all three nodes: they share this JVM. */
  private final AtomicInteger running = new AtomicInteger();

  private final AtomicInteger mostRunning = new AtomicInteger();
  private final Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();

  @BeforeEach
  void createSchema() {
    schema = PgStores.newSchema();
  }

  @AfterEach
  void dropSchema() {
    PgStores.dropSchema(schema);
  }

  private Taskmill node(
      String name, Duration pollInterval, Duration work, Consumer<HandlerSettings> limits) {
    return Taskmill.builder()
        .jdbcUrl(PgStores.url(schema), PgStores.USER, PgStores.PASSWORD)
        .nodeId(name)
        .pollInterval(pollInterval)
        .queue("default", q -> q.concurrency(4))
        .handler(
            "test.limited",
            Work.class,
            (p, ctx) -> {
              mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              byNode.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
              try {
                LockSupport.parkNanos(work.toNanos());
              } finally {
                running.decrementAndGet();
              }
            },
            limits)
        .start();
  }

  private static List<JobId> enqueue(Taskmill tm, int n) {
    var requests = new ArrayList<JobRequest>();
    for (int i = 0; i < n; i++) {
      requests.add(JobRequest.of("test.limited", new Work(i)));
    }
    return tm.enqueueAll(requests);
  }

  private static long succeeded(Taskmill tm) {
    return tm.jobs().counts().stream()
        .filter(c -> c.state() == JobState.SUCCEEDED)
        .mapToLong(JobCount::count)
        .sum();
  }

  @Test
  void threeNodesNeverRunMoreThanTheClusterConcurrencyLimit() throws Exception {
    Consumer<HandlerSettings> limits = h -> h.clusterMaxConcurrency(2);
    // Another node's finished job frees a slot this node only sees at its next poll.
    Duration poll = Duration.ofMillis(50);
    Duration work = Duration.ofMillis(10);
    var mostInDatabase = new AtomicInteger();
    var sampling = new AtomicBoolean(true);
    Thread sampler;
    try (Taskmill a = node("node-a", poll, work, limits);
        Taskmill b = node("node-b", poll, work, limits);
        Taskmill c = node("node-c", poll, work, limits);
        Connection db = PgStores.connect(PgStores.url(schema))) {
      sampler =
          Thread.ofPlatform()
              .name("running-sampler")
              .start(
                  () -> {
                    while (sampling.get()) {
                      mostInDatabase.accumulateAndGet(runningInDatabase(db), Math::max);
                    }
                  });
      List<JobId> ids = enqueue(a, 200);

      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> succeeded(b) == ids.size());
      sampling.set(false);
      sampler.join();

      assertThat(mostRunning).as("handlers running at once across the nodes").hasValue(2);
      assertThat(mostInDatabase.get()).as("RUNNING rows seen by the sampler").isBetween(1, 2);
      assertThat(byNode.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(200);
      assertThat(c.jobs().counts())
          .singleElement()
          .satisfies(n -> assertThat(n.state()).isEqualTo(JobState.SUCCEEDED));
    }
  }

  private static int runningInDatabase(Connection db) {
    try (var st =
            db.prepareStatement(
                "SELECT COUNT(*) FROM tm_job WHERE type = 'test.limited' AND state = 'RUNNING'");
        var rs = st.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void threeNodesStartAtMostTheRateLimitInEveryAlignedWindow() {
    Consumer<HandlerSettings> limits = h -> h.rateLimit(50, Duration.ofSeconds(1));
    // No poll to lean on: nodes must come back when the window turns.
    Duration poll = Duration.ofHours(1);
    try (Taskmill a = node("node-a", poll, Duration.ZERO, limits);
        Taskmill b = node("node-b", poll, Duration.ZERO, limits);
        Taskmill c = node("node-c", poll, Duration.ZERO, limits)) {
      List<JobId> ids = enqueue(a, 300);

      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> succeeded(c) == ids.size());

      // Starts are the RUNNING events, stamped with the claim's time: the time the limit counts.
      var startsPerSecond = new TreeMap<Long, Integer>();
      for (JobId id : ids) {
        for (JobEvent e : b.jobs().events(id)) {
          if (e.to() == JobState.RUNNING) {
            startsPerSecond.merge(Math.floorDiv(e.at().toEpochMilli(), 1000L), 1, Integer::sum);
          }
        }
      }
      assertThat(startsPerSecond.values())
          .as("starts per aligned second: " + startsPerSecond)
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(50));
      assertThat(startsPerSecond.values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(300);
      assertThat(startsPerSecond).hasSizeGreaterThanOrEqualTo(6);
    }
  }
}
