package io.taskmill.server.api;

import io.taskmill.Queues.QueueInfo;
import io.taskmill.Taskmill;
import io.taskmill.access.Role;
import io.taskmill.job.JobState;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.server.http.Exchange;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.Problem;
import io.taskmill.server.http.Route;
import io.taskmill.spi.JobCount;
import io.taskmill.spi.QueueStat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/queues}, {@code /api/v1/nodes} and {@code /api/v1/stats}: what the cluster holds
 * and does. A key limited to some queues sees only those queues and their jobs' counts; a queue
 * outside them is 404 as one that does not exist. Nodes are the cluster's, shown to every viewer.
 */
public final class ClusterApi {
  private final Taskmill taskmill;

  public ClusterApi(Taskmill taskmill) {
    this.taskmill = taskmill;
  }

  public List<Route> routes() {
    return List.of(
        Route.read("GET", "/api/v1/queues", Role.VIEWER, this::queues),
        Route.change("POST", "/api/v1/queues/{name}/pause", Role.OPERATOR, "queue.pause",
            ex -> pause(ex, true)),
        Route.change("POST", "/api/v1/queues/{name}/resume", Role.OPERATOR, "queue.resume",
            ex -> pause(ex, false)),
        Route.read("GET", "/api/v1/nodes", Role.VIEWER, this::nodes),
        Route.read("GET", "/api/v1/nodes/{id}", Role.VIEWER, this::node),
        Route.read("GET", "/api/v1/stats", Role.VIEWER, this::stats));
  }

  /** The window throughput is measured over. */
  static final Duration THROUGHPUT_WINDOW = Duration.ofMinutes(1);

  private void queues(Exchange ex) {
    ex.onlyQuery(Set.of());
    Instant now = Instant.now();
    var stats = new TreeMap<String, QueueStat>();
    taskmill.queues().stats(now.minus(THROUGHPUT_WINDOW)).forEach(q -> stats.put(q.queue(), q));
    var local = new TreeMap<String, QueueInfo>();
    taskmill.queues().list().forEach(q -> local.put(q.name(), q));
    var names = new TreeSet<String>(stats.keySet());
    names.addAll(local.keySet());
    names.removeIf(name -> !ex.principal().mayUse(name));
    var json = Json.object();
    var items = json.putArray("items");
    for (String name : names) {
      QueueInfo q = local.get(name);
      QueueStat st = stats.get(name);
      var item = items.addObject().put("name", name);
      item.put("paused", q == null ? null : q.paused());
      item.put("concurrencyPerNode", q == null ? null : q.concurrency());
      item.put("runningOnThisNode", q == null ? 0 : q.running());
      var depth = item.putObject("depth");
      for (JobState s : JobState.values()) {
        depth.put(s.name(), st == null ? 0L : st.counts().getOrDefault(s, 0L));
      }
      Instant oldest = st == null ? null : st.oldestReadyAt();
      item.put("oldestReadyAt", oldest == null ? null : oldest.toString());
      item.put("lagSeconds", oldest == null ? 0.0
          : Math.max(0, Duration.between(oldest, now).toMillis()) / 1000.0);
      long finished = st == null ? 0 : st.finishedSince();
      item.put("finishedLastMinute", finished);
      item.put("throughputPerSecond", finished / (double) THROUGHPUT_WINDOW.toSeconds());
    }
    Fields.page(json, null);
    ex.reply(200, json);
  }

  private void pause(Exchange ex, boolean paused) {
    String name = ex.param("name");
    ex.resource("queue " + name);
    // A queue the caller may not use is answered as one that does not exist.
    if (!ex.principal().mayUse(name)
        || taskmill.queues().list().stream().noneMatch(q -> q.name().equals(name))) {
      throw Problem.notFound("no queue '" + Fields.clip(name) + "' on this server; GET "
          + "/api/v1/queues lists them");
    }
    if (paused) {
      taskmill.queues().pause(name);
    } else {
      taskmill.queues().resume(name);
    }
    ex.reply(200, Json.object().put("name", name).put("paused", paused));
  }

  private void nodes(Exchange ex) {
    Optional<Leadership> leader = taskmill.cluster().leader();
    var json = Json.object();
    var items = json.putArray("items");
    taskmill.cluster().nodes().forEach(n -> items.add(node(n, leader)));
    Fields.page(json, null);
    ex.reply(200, json);
  }

  private void node(Exchange ex) {
    String id = ex.param("id");
    Node n = taskmill.cluster().nodes().stream().filter(x -> x.id().equals(id)).findFirst()
        .orElseThrow(() -> Problem.notFound("no node '" + Fields.clip(id) + "'"));
    ex.reply(200, node(n, taskmill.cluster().leader()));
  }

  static ObjectNode node(Node n, Optional<Leadership> leader) {
    var json = Json.object()
        .put("name", n.id())
        .put("host", n.host())
        .put("pid", n.pid())
        .put("version", n.version())
        .put("state", n.state().name())
        .put("leader", leader.map(l -> l.node().equals(n.id())).orElse(false))
        .put("startedAt", n.startedAt().toString())
        .put("heartbeatAt", n.heartbeatAt().toString())
        .put("heartbeatAgeMillis", Math.max(0,
            Duration.between(n.heartbeatAt(), Instant.now()).toMillis()))
        .put("running", n.running())
        .put("capacity", n.concurrency())
        .put("cpuLoad", n.cpuLoad())
        .put("heapUsed", n.heapUsed())
        .put("heapMax", n.heapMax());
    var queues = json.putObject("queues");
    n.queues().forEach(queues::put);
    var types = json.putArray("handlerTypes");
    n.types().stream().sorted().forEach(types::add);
    return json;
  }

  private void stats(Exchange ex) {
    if (ex.principal().scoped()) {
      scopedStats(ex);
      return;
    }
    var byState = new TreeMap<String, Long>();
    var byType = new TreeMap<String, TreeMap<String, Long>>();
    for (JobCount c : taskmill.jobs().counts()) {
      byState.merge(c.state().name(), c.count(), Long::sum);
      byType.computeIfAbsent(c.type(), k -> new TreeMap<>()).put(c.state().name(), c.count());
    }
    for (JobState s : JobState.values()) {
      byState.putIfAbsent(s.name(), 0L);
    }
    var json = Json.object();
    var states = json.putObject("byState");
    byState.forEach(states::put);
    var types = json.putObject("byType");
    byType.forEach((type, counts) -> {
      var t = types.putObject(type);
      counts.forEach(t::put);
    });
    ex.reply(200, json);
  }

  /**
   * Stats for a key limited to some queues: counts by state summed over its queues only. The
   * store counts jobs by type across all queues, so {@code byType} would show other queues' jobs;
   * it is null here rather than wrong.
   */
  private void scopedStats(Exchange ex) {
    var byState = new TreeMap<String, Long>();
    for (JobState s : JobState.values()) {
      byState.put(s.name(), 0L);
    }
    for (QueueStat q : taskmill.queues().stats(Instant.now().minus(THROUGHPUT_WINDOW))) {
      if (ex.principal().mayUse(q.queue())) {
        q.counts().forEach((state, n) -> byState.merge(state.name(), n, Long::sum));
      }
    }
    var json = Json.object();
    var states = json.putObject("byState");
    byState.forEach(states::put);
    json.putNull("byType");
    ex.reply(200, json);
  }
}
