package io.taskmill.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskmill.Taskmill;
import io.taskmill.event.EventKind;
import io.taskmill.event.Events;
import io.taskmill.event.FeedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Execution meters (the names JobRunr and db-scheduler users know) computed from the engine's event
 * feed, counting only what this node did, so summing over nodes in Prometheus counts each job once:
 * {@code taskmill.jobs.enqueued}, {@code taskmill.jobs.completed{outcome}}, {@code
 * taskmill.jobs.retries}, {@code taskmill.jobs.duration} (claim to outcome) and {@code
 * taskmill.jobs.queue.latency} (due to claimed).
 */
final class ExecutionMeters implements AutoCloseable {
  /** Jobs remembered between two of their events; beyond it the oldest are forgotten. */
  private static final int MAX_TRACKED = 200_000;

  private final MeterRegistry registry;
  private final String node;
  private final Map<Object, Instant> dueAt = new ConcurrentHashMap<>();
  private final Map<Object, Instant> startedAt = new ConcurrentHashMap<>();
  private final Events.Subscription subscription;

  ExecutionMeters(MeterRegistry registry, Taskmill taskmill) {
    this.registry = registry;
    this.node = taskmill.nodeId();
    this.subscription =
        taskmill.events().subscribe(taskmill.events().latestSeq(), e -> true, this::on);
  }

  private void on(FeedEvent e) {
    if (e.kind() == EventKind.JOB_CREATED) {
      if (e.runAt() != null) {
        remember(dueAt, e.jobId(), e.runAt());
      }
      if (node.equals(e.node())) {
        counter("taskmill.jobs.enqueued", e, null).increment();
      }
      return;
    }
    if (!node.equals(e.node())) {
      return;
    }
    switch (e.kind()) {
      case JOB_RUNNING -> {
        remember(startedAt, e.jobId(), e.at());
        Instant due = dueAt.remove(e.jobId());
        if (due != null) {
          Timer.builder("taskmill.jobs.queue.latency")
              .description("from a job's due time to its claim, on this node")
              .tag("queue", tag(e.queue()))
              .tag("type", tag(e.type()))
              .publishPercentileHistogram()
              .register(registry)
              .record(
                  Duration.between(due, e.at()).isNegative()
                      ? Duration.ZERO
                      : Duration.between(due, e.at()));
        }
      }
      case JOB_SUCCEEDED, JOB_DEAD, JOB_CANCELLED, JOB_RETRYING -> {
        String outcome =
            switch (e.kind()) {
              case JOB_SUCCEEDED -> "succeeded";
              case JOB_DEAD -> "dead";
              case JOB_CANCELLED -> "cancelled";
              default -> "retrying";
            };
        if (e.kind() == EventKind.JOB_RETRYING) {
          counter("taskmill.jobs.retries", e, null).increment();
        } else {
          counter("taskmill.jobs.completed", e, outcome).increment();
        }
        Instant started = startedAt.remove(e.jobId());
        if (started != null) {
          Timer.builder("taskmill.jobs.duration")
              .description("from claim to outcome of an attempt, on this node")
              .tag("queue", tag(e.queue()))
              .tag("type", tag(e.type()))
              .tag("outcome", outcome)
              .publishPercentileHistogram()
              .register(registry)
              .record(Duration.between(started, e.at()));
        }
      }
      default -> {}
    }
  }

  private Counter counter(String name, FeedEvent e, String outcome) {
    var b = Counter.builder(name).tag("queue", tag(e.queue())).tag("type", tag(e.type()));
    if (outcome != null) {
      b.tag("outcome", outcome);
    }
    return b.register(registry);
  }

  private static String tag(String value) {
    return value == null ? "unknown" : value;
  }

  private static void remember(Map<Object, Instant> map, Object key, Instant at) {
    if (map.size() >= MAX_TRACKED) {
      map.clear(); // a backlog beyond this loses some latency samples, never memory
    }
    map.put(key, at);
  }

  @Override
  public void close() {
    subscription.close();
  }
}
