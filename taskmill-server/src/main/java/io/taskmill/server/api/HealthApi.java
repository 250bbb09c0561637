package io.taskmill.server.api;

import io.taskmill.Taskmill;
import io.taskmill.access.Role;
import io.taskmill.server.http.Exchange;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} (the process answers), {@code /health/ready} (the database answers and the
 * engine runs) and {@code /health/status} (nodes, queues, leader, version, uptime; needs a key).
 * Readiness comes from a probe that runs in the background, so the endpoint answers at once even
 * while the database hangs.
 */
public final class HealthApi implements AutoCloseable {
  private static final Duration PROBE_EVERY = Duration.ofMillis(500);

  /** A probe older than this (it hangs) counts as a failure. */
  private static final Duration STALE_AFTER = Duration.ofSeconds(3);

  private final Taskmill taskmill;
  private final String version;
  private final Instant started = Instant.now();
  private final AtomicReference<Probe> last =
      new AtomicReference<>(new Probe(false, "not probed yet", System.nanoTime()));
  private final Thread prober;
  private volatile boolean stopping;

  private record Probe(boolean ok, String reason, long atNanos) {}

  /**
   * @param storeProbe a cheap read of the store that throws when the database does not answer
   */
  public HealthApi(Taskmill taskmill, String version, BooleanSupplier storeProbe) {
    this.taskmill = taskmill;
    this.version = version;
    this.prober =
        Thread.ofPlatform()
            .daemon()
            .name("taskmill-health")
            .unstarted(
                () -> {
                  while (!stopping) {
                    Probe p;
                    try {
                      p =
                          storeProbe.getAsBoolean()
                              ? new Probe(true, null, System.nanoTime())
                              : new Probe(false, "the engine is not running", System.nanoTime());
                    } catch (RuntimeException e) {
                      p = new Probe(false, "database: " + e.getMessage(), System.nanoTime());
                    }
                    last.set(p);
                    try {
                      Thread.sleep(PROBE_EVERY);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    prober.start();
  }

  public List<Route> routes() {
    return List.of(
        Route.open("GET", "/health/live", ex -> ex.reply(200, Json.object().put("status", "UP"))),
        Route.open("GET", "/health/ready", this::ready),
        Route.read("GET", "/health/status", Role.VIEWER, this::status));
  }

  /** Whether the last probe passed and is recent. */
  public boolean ready() {
    Probe p = last.get();
    return p.ok && System.nanoTime() - p.atNanos < STALE_AFTER.toNanos();
  }

  private void ready(Exchange ex) {
    if (ready()) {
      ex.reply(200, Json.object().put("status", "UP"));
    } else {
      // No details without a key: only whether it is ready.
      ex.reply(503, Json.object().put("status", "DOWN"));
    }
  }

  private void status(Exchange ex) {
    Probe p = last.get();
    var json =
        Json.object()
            .put("status", ready() ? "UP" : "DOWN")
            .put("reason", ready() ? null : p.reason)
            .put("version", version)
            .put("node", taskmill.nodeId())
            .put("startedAt", started.toString())
            .put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
    var leader = taskmill.cluster().leader();
    json.put("leader", leader.map(l -> l.node()).orElse(null));
    json.put("leaderTerm", leader.map(l -> l.term()).orElse(null));
    var nodes = json.putArray("nodes");
    taskmill.cluster().nodes().forEach(n -> nodes.add(ClusterApi.node(n, leader)));
    var queues = json.putArray("queues");
    taskmill
        .queues()
        .list()
        .forEach(
            q ->
                queues
                    .addObject()
                    .put("name", q.name())
                    .put("paused", q.paused())
                    .put("runningOnThisNode", q.running()));
    ex.reply(200, json);
  }

  @Override
  public void close() {
    stopping = true;
    prober.interrupt();
  }
}
