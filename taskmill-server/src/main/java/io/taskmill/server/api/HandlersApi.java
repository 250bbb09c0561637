package io.taskmill.server.api;

import io.taskmill.Taskmill;
import io.taskmill.access.Role;
import io.taskmill.handler.HandlerInfo;
import io.taskmill.node.Node;
import io.taskmill.server.http.Exchange;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.Problem;
import io.taskmill.server.http.Route;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/handlers}: the registered job types grouped by namespace, each with its payload's
 * JSON Schema, default retry policy, timeout, queue, and the nodes that serve it.
 */
public final class HandlersApi {
  private final Taskmill taskmill;

  public HandlersApi(Taskmill taskmill) {
    this.taskmill = taskmill;
  }

  public List<Route> routes() {
    return List.of(
        Route.read("GET", "/api/v1/handlers", Role.VIEWER, this::all),
        Route.read("GET", "/api/v1/handlers/{namespace}", Role.VIEWER, this::namespace),
        Route.read("GET", "/api/v1/handlers/{namespace}/{name}", Role.VIEWER, this::one));
  }

  private void all(Exchange ex) {
    List<Node> nodes = taskmill.cluster().nodes();
    var json = Json.object();
    var items = json.putArray("items");
    taskmill
        .handlers()
        .byNamespace()
        .forEach(
            (ns, handlers) -> {
              var group = items.addObject().put("namespace", ns);
              var list = group.putArray("handlers");
              handlers.forEach(h -> list.add(describe(h, nodes)));
            });
    Fields.page(json, null);
    ex.reply(200, json);
  }

  private void namespace(Exchange ex) {
    String ns = ex.param("namespace");
    List<HandlerInfo> handlers = taskmill.handlers().byNamespace().get(ns);
    if (handlers == null) {
      throw Problem.notFound(
          "no handler namespace '"
              + Fields.clip(ns)
              + "'; known: "
              + String.join(", ", taskmill.handlers().byNamespace().keySet()));
    }
    List<Node> nodes = taskmill.cluster().nodes();
    var json = Json.object().put("namespace", ns);
    var list = json.putArray("handlers");
    handlers.forEach(h -> list.add(describe(h, nodes)));
    ex.reply(200, json);
  }

  private void one(Exchange ex) {
    String type = ex.param("namespace") + "." + ex.param("name");
    HandlerInfo h =
        taskmill
            .handlers()
            .find(type)
            .orElseThrow(
                () ->
                    Problem.notFound(
                        "no handler '" + Fields.clip(type) + "'; GET /api/v1/handlers lists them"));
    ex.reply(200, describe(h, taskmill.cluster().nodes()));
  }

  static ObjectNode describe(HandlerInfo h, List<Node> nodes) {
    var json =
        Json.object()
            .put("type", h.type())
            .put("namespace", h.namespace())
            .put("name", h.type().substring(h.namespace().length() + 1))
            .put("queue", h.queue())
            .put("priority", h.priority())
            .put("timeout", h.timeout() == null ? null : h.timeout().toString())
            .put("returnsResult", h.returnsResult());
    json.set("payloadSchema", PayloadSchema.of(h.payloadType()));
    var retry =
        json.putObject("retry")
            .put("backoff", h.retry().backoff().name().toLowerCase(Locale.ROOT))
            .put("delay", h.retry().initialDelay().toString())
            .put("maxDelay", h.retry().maxDelay().toString())
            .put("jitter", h.retry().jitter())
            .put("maxAttempts", h.retry().maxAttempts());
    retry.put("multiplier", h.retry().multiplier());
    var limits = json.putObject("limits");
    limits.put("maxConcurrencyPerNode", h.maxConcurrency());
    limits.put("maxConcurrencyInCluster", h.clusterMaxConcurrency());
    if (h.rateLimit() != null) {
      limits.put("rateLimit", h.rateLimit().toString());
    }
    var served = json.putArray("nodes");
    nodes.stream().filter(n -> n.types().contains(h.type())).forEach(n -> served.add(n.id()));
    return json;
  }
}
