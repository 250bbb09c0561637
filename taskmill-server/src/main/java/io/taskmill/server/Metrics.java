package io.taskmill.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.taskmill.Taskmill;
import io.taskmill.job.JobCount;
import io.taskmill.job.JobState;
import io.taskmill.node.Node;
import io.taskmill.queue.QueueStat;
import io.taskmill.server.api.HealthApi;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The meters behind {@code /metrics}: JVM and process meters, and the cluster as the store sees it
 * (jobs by state and type, node heartbeat age, leadership), read at most once per {@link
 * #STORE_READ_EVERY} however often Prometheus scrapes.
 */
final class Metrics {
  static final Duration STORE_READ_EVERY = Duration.ofSeconds(5);

  private Metrics() {}

  static String version() {
    String v = Taskmill.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  /**
   * Binds the meters and returns what to run before each scrape: it registers gauges for queues and
   * states that appeared since the last one.
   */
  static Runnable bind(MeterRegistry registry, Taskmill taskmill, HealthApi health) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    Supplier<List<JobCount>> counts = cached(() -> taskmill.jobs().counts());
    Supplier<List<Node>> nodes = cached(() -> taskmill.cluster().nodes());
    var registered = ConcurrentHashMap.<String>newKeySet();
    Runnable registerTypes =
        () -> {
          for (var h : taskmill.handlers().list()) {
            for (JobState state : JobState.values()) {
              if (registered.add(h.type() + "/" + state)) {
                Gauge.builder("taskmill.jobs.by-state", () -> count(counts.get(), h.type(), state))
                    .description("jobs in the store by type and state")
                    .tag("type", h.type())
                    .tag("state", state.name())
                    .register(registry);
              }
            }
          }
        };
    registerTypes.run();
    Supplier<List<QueueStat>> queues =
        cached(() -> taskmill.queues().stats(Instant.now().minus(Duration.ofMinutes(1))));
    Runnable registerQueues =
        () -> {
          for (QueueStat q : queues.get()) {
            for (JobState state : JobState.values()) {
              if (registered.add("queue/" + q.queue() + "/" + state)) {
                Gauge.builder(
                        "taskmill.jobs.queue.depth",
                        () ->
                            queues.get().stream()
                                .filter(x -> x.queue().equals(q.queue()))
                                .mapToLong(x -> x.counts().getOrDefault(state, 0L))
                                .sum())
                    .description("jobs in a queue by state, across the cluster")
                    .tag("queue", q.queue())
                    .tag("state", state.name())
                    .register(registry);
              }
            }
            if (registered.add("lag/" + q.queue())) {
              Gauge.builder(
                      "taskmill.jobs.queue.lag",
                      () ->
                          queues.get().stream()
                              .filter(x -> x.queue().equals(q.queue()) && x.oldestReadyAt() != null)
                              .mapToDouble(
                                  x ->
                                      Math.max(
                                              0,
                                              Duration.between(x.oldestReadyAt(), Instant.now())
                                                  .toMillis())
                                          / 1000.0)
                              .max()
                              .orElse(0))
                  .description("seconds the oldest ready job of a queue has waited")
                  .baseUnit("seconds")
                  .tag("queue", q.queue())
                  .register(registry);
              Gauge.builder(
                      "taskmill.jobs.queue.finished.last-minute",
                      () ->
                          queues.get().stream()
                              .filter(x -> x.queue().equals(q.queue()))
                              .mapToLong(QueueStat::finishedSince)
                              .sum())
                  .description("jobs of a queue that finished in the last minute, cluster-wide")
                  .tag("queue", q.queue())
                  .register(registry);
            }
          }
        };
    Runnable refresh =
        () -> {
          try {
            registerTypes.run();
            registerQueues.run();
          } catch (RuntimeException e) {
            // The store is down: scrape what exists; health and heartbeat age tell the story.
          }
        };
    refresh.run();
    Gauge.builder("taskmill.cluster.leader", () -> taskmill.cluster().isLeader() ? 1 : 0)
        .description("1 when this node leads the cluster")
        .tag("node", taskmill.nodeId())
        .register(registry);
    Gauge.builder(
            "taskmill.nodes.heartbeat.age",
            () ->
                nodes.get().stream()
                    .mapToDouble(
                        n ->
                            Math.max(
                                0,
                                Duration.between(n.heartbeatAt(), Instant.now()).toMillis()
                                    / 1000.0))
                    .max()
                    .orElse(0))
        .description("seconds since the stalest node's last heartbeat")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("taskmill.server.ready", () -> health.ready() ? 1 : 0)
        .description("1 when /health/ready answers UP")
        .register(registry);
    return refresh;
  }

  private static double count(List<JobCount> counts, String type, JobState state) {
    return counts.stream()
        .filter(c -> c.type().equals(type) && c.state() == state)
        .mapToLong(JobCount::count)
        .sum();
  }

  /** A value read at most once per {@link #STORE_READ_EVERY}; a failed read keeps the last one. */
  private static <T> Supplier<T> cached(Supplier<T> read) {
    var box =
        new Object() {
          T value;
          long readAt = Long.MIN_VALUE;
        };
    return () -> {
      synchronized (box) {
        long now = System.nanoTime();
        if (box.value == null || now - box.readAt > STORE_READ_EVERY.toNanos()) {
          try {
            box.value = read.get();
          } catch (RuntimeException e) {
            if (box.value == null) {
              throw e;
            }
          }
          box.readAt = now;
        }
        return box.value;
      }
    };
  }
}
