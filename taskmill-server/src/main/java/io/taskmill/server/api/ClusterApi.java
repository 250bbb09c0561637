package io.taskmill.server.api;

import io.taskmill.Taskmill;
import io.taskmill.access.Role;
import io.taskmill.job.JobState;
import io.taskmill.job.JobTally;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.queue.QueueInfo;
import io.taskmill.queue.QueueStat;
import io.taskmill.server.http.Exchange;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.Problem;
import io.taskmill.server.http.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
        Route.change(
            "POST",
            "/api/v1/queues/{name}/pause",
            Role.OPERATOR,
            "queue.pause",
            ex -> pause(ex, true)),
        Route.change(
            "POST",
            "/api/v1/queues/{name}/resume",
            Role.OPERATOR,
            "queue.resume",
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
      item.put(
          "lagSeconds",
          oldest == null ? 0.0 : Math.max(0, Duration.between(oldest, now).toMillis()) / 1000.0);
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
      throw Problem.notFound(
          "no queue '"
              + Fields.clip(name)
              + "' on this server; GET "
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
    Node n =
        taskmill.cluster().nodes().stream()
            .filter(x -> x.id().equals(id))
            .findFirst()
            .orElseThrow(() -> Problem.notFound("no node '" + Fields.clip(id) + "'"));
    ex.reply(200, node(n, taskmill.cluster().leader()));
  }

  static ObjectNode node(Node n, Optional<Leadership> leader) {
    var json =
        Json.object()
            .put("name", n.id())
            .put("host", n.host())
            .put("pid", n.pid())
            .put("version", n.version())
            .put("state", n.state().name())
            .put("leader", leader.map(l -> l.node().equals(n.id())).orElse(false))
            .put("startedAt", n.startedAt().toString())
            .put("heartbeatAt", n.heartbeatAt().toString())
            .put(
                "heartbeatAgeMillis",
                Math.max(0, Duration.between(n.heartbeatAt(), Instant.now()).toMillis()))
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

  /**
   * Jobs by state and by type, and for each recent window ({@link JobTally#WINDOWS}, named by
   * ISO-8601 duration) how many finished by outcome, the throughput (finished per second) and the
   * failure rate (dead among succeeded and dead; null when none finished), overall and by type. A
   * queue-scoped key counts its own queues' jobs only: the store tallies by queue.
   */
  private void stats(Exchange ex) {
    var who = ex.principal();
    var byState = new TreeMap<String, Long>();
    for (JobState s : JobState.values()) {
      byState.put(s.name(), 0L);
    }
    var byType = new TreeMap<String, TreeMap<String, Long>>();
    int n = JobTally.WINDOWS.size();
    var windows = new ArrayList<Outcomes>(n);
    var windowsByType = new ArrayList<TreeMap<String, Outcomes>>(n);
    for (int i = 0; i < n; i++) {
      windows.add(new Outcomes());
      windowsByType.add(new TreeMap<>());
    }
    for (JobTally t : taskmill.jobs().tallies()) {
      if (!who.mayUse(t.queue())) {
        continue;
      }
      byState.merge(t.state().name(), t.count(), Long::sum);
      byType
          .computeIfAbsent(t.type(), k -> new TreeMap<>())
          .merge(t.state().name(), t.count(), Long::sum);
      for (int i = 0; i < n; i++) {
        long finished = t.finishedWithin().get(i);
        windows.get(i).add(t.state(), finished);
        windowsByType
            .get(i)
            .computeIfAbsent(t.type(), k -> new Outcomes())
            .add(t.state(), finished);
      }
    }
    var json = Json.object();
    var states = json.putObject("byState");
    byState.forEach(states::put);
    var types = json.putObject("byType");
    byType.forEach(
        (type, counts) -> {
          var c = types.putObject(type);
          counts.forEach(c::put);
        });
    var recent = json.putObject("windows");
    for (int i = 0; i < n; i++) {
      Duration window = JobTally.WINDOWS.get(i);
      ObjectNode w = windows.get(i).write(recent.putObject(window.toString()));
      w.put("throughputPerSecond", windows.get(i).finished() / (double) window.toSeconds());
      var perType = w.putObject("byType");
      windowsByType
          .get(i)
          .forEach(
              (type, o) -> {
                if (o.finished() > 0) {
                  o.write(perType.putObject(type));
                }
              });
    }
    ex.reply(200, json);
  }

  /** Jobs that finished within one window, by outcome. */
  private static final class Outcomes {
    long succeeded;
    long dead;
    long cancelled;

    void add(JobState state, long n) {
      switch (state) {
        case SUCCEEDED -> succeeded += n;
        case DEAD -> dead += n;
        case CANCELLED -> cancelled += n;
        default -> {}
      }
    }

    long finished() {
      return succeeded + dead + cancelled;
    }

    ObjectNode write(ObjectNode o) {
      o.put("succeeded", succeeded).put("dead", dead).put("cancelled", cancelled);
      long ran = succeeded + dead;
      if (ran == 0) {
        o.putNull("failureRate");
      } else {
        o.put("failureRate", dead / (double) ran);
      }
      return o;
    }
  }
}
