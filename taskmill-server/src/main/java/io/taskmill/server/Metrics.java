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
import io.taskmill.job.JobState;
import io.taskmill.node.Node;
import io.taskmill.server.api.HealthApi;
import io.taskmill.spi.JobCount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The meters behind {@code /metrics}: JVM and process meters, and the cluster as the store sees it
 * (jobs by state and type, node heartbeat age, leadership), read at most once per
 * {@link #STORE_READ_EVERY} however often Prometheus scrapes.
 */
final class Metrics {
  static final Duration STORE_READ_EVERY = Duration.ofSeconds(5);

  private Metrics() {}

  static String version() {
    String v = Taskmill.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  static void bind(MeterRegistry registry, Taskmill taskmill, HealthApi health) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    Supplier<List<JobCount>> counts = cached(() -> taskmill.jobs().counts());
    Supplier<List<Node>> nodes = cached(() -> taskmill.cluster().nodes());
    var registered = ConcurrentHashMap.<String>newKeySet();
    Runnable registerTypes = () -> {
      for (var h : taskmill.handlers().list()) {
        for (JobState state : JobState.values()) {
          if (registered.add(h.type() + "/" + state)) {
            Gauge.builder("taskmill.jobs.by-state", () -> count(counts.get(), h.type(), state))
                .description("jobs in the store by type and state")
                .tag("type", h.type()).tag("state", state.name())
                .register(registry);
          }
        }
      }
    };
    registerTypes.run();
    Gauge.builder("taskmill.cluster.leader", () -> taskmill.cluster().isLeader() ? 1 : 0)
        .description("1 when this node leads the cluster")
        .tag("node", taskmill.nodeId()).register(registry);
    Gauge.builder("taskmill.nodes.heartbeat.age", () -> nodes.get().stream()
            .mapToDouble(n -> Math.max(0, Duration.between(n.heartbeatAt(), Instant.now())
                .toMillis() / 1000.0)).max().orElse(0))
        .description("seconds since the stalest node's last heartbeat").baseUnit("seconds")
        .register(registry);
    Gauge.builder("taskmill.server.ready", () -> health.ready() ? 1 : 0)
        .description("1 when /health/ready answers UP").register(registry);
  }

  private static double count(List<JobCount> counts, String type, JobState state) {
    return counts.stream().filter(c -> c.type().equals(type) && c.state() == state)
        .mapToLong(JobCount::count).sum();
  }

  /** A value read at most once per {@link #STORE_READ_EVERY}; a failed read keeps the last one. */
  private static <T> Supplier<T> cached(Supplier<T> read) {
    var box = new Object() {
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
