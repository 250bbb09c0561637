package io.taskmill.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds the route for a method and path. Literal segments win over parameters, a path that exists
 * under another method answers 405 with {@code Allow}, and the route list is open to tests, which
 * check it against the OpenAPI document and sweep it for authentication.
 */
public final class Router {
  private final List<Route> routes = new ArrayList<>();

  /** Each route's template split at '/', in {@link #routes}' order: split once, not per request. */
  private final List<List<String>> templates = new ArrayList<>();

  /** A matched route and the values of its path parameters. */
  public record Match(Route route, Map<String, String> params) {}

  public Router add(Route route) {
    for (Route r : routes) {
      if (r.method().equals(route.method()) && shape(r).equals(shape(route))) {
        throw new IllegalArgumentException(
            "route " + route.method() + " " + route.template() + " clashes with " + r.template());
      }
    }
    routes.add(route);
    templates.add(route.segments());
    return this;
  }

  public Router addAll(List<Route> more) {
    more.forEach(this::add);
    return this;
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /**
   * The route for this request.
   *
   * @param segments the decoded path split at '/', without the empty first element
   * @throws Problem 404 when no route has this path, 405 when none has it with this method
   */
  public Match match(String method, List<String> segments) {
    Match best = null;
    int bestLiterals = -1;
    var allowed = new TreeSet<String>();
    for (int r = 0; r < routes.size(); r++) {
      Route route = routes.get(r);
      List<String> template = templates.get(r);
      Map<String, String> params = bind(template, segments);
      if (params == null) {
        continue;
      }
      if (!route.method().equals(method)
          && !(method.equals("HEAD") && route.method().equals("GET"))) {
        allowed.add(route.method());
        continue;
      }
      int literals = template.size() - params.size();
      if (literals > bestLiterals) {
        best = new Match(route, params);
        bestLiterals = literals;
      }
    }
    if (best != null) {
      return best;
    }
    if (!allowed.isEmpty()) {
      throw new Problem(
              405,
              "Method Not Allowed",
              method + " is not allowed here; use " + String.join(" or ", allowed),
              null)
          .header("Allow", String.join(", ", allowed));
    }
    throw Problem.notFound(
        "no such resource: /"
            + String.join("/", segments)
            + "; the API is described at /openapi.json");
  }

  private static Map<String, String> bind(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> params = Map.of();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      String p = path.get(i);
      if (t.startsWith("{")) {
        if (p.isEmpty()) {
          return null;
        }
        if (params.isEmpty()) {
          params = new LinkedHashMap<>(); // only for a route that may match
        }
        params.put(t.substring(1, t.length() - 1), p);
      } else if (!t.equals(p)) {
        return null;
      }
    }
    return params;
  }

  private static String shape(Route route) {
    return route.template().replaceAll("\\{[^}]+}", "{}");
  }
}
