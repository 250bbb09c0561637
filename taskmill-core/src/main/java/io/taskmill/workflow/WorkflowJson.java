package io.taskmill.workflow;

import io.taskmill.job.Retry;
import io.taskmill.workflow.WaitStep.TimeoutOutcome;
import io.taskmill.workflow.WaitStep.WaitFor;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Workflow definitions as JSON documents, both ways: what the API takes and what the store keeps.
 * Reading collects every problem, each naming its step and field, and refuses fields a definition
 * does not have.
 *
 * <pre>{@code
 * {"name": "order", "onFailure": "compensate",
 *  "steps": [
 *    {"id": "reserve", "kind": "task", "type": "stock.reserve", "compensation": "stock.release"},
 *    {"id": "charge", "kind": "task", "type": "payments.charge", "dependsOn": ["reserve"],
 *     "retry": {"backoff": "exponential", "delay": "PT1S", "maxAttempts": 5}, "timeout": "PT30S"},
 *    {"id": "tiles", "kind": "fanOut", "type": "tile.process", "items": "input.tiles",
 *     "maxParallel": 20},
 *    {"id": "paid", "kind": "wait", "signal": "payment.received", "correlation": "input.orderId",
 *     "timeout": "PT1H", "onTimeout": "fail"},
 *    {"id": "ship", "kind": "subWorkflow", "definition": "shipping", "dependsOn": ["paid"],
 *     "when": {"path": "input.total", "op": "gt", "value": 0}}]}
 * }</pre>
 */
public final class WorkflowJson {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static final Set<String> TOP = Set.of("name", "onFailure", "contextLimitBytes", "steps");
  private static final Set<String> COMMON = Set.of("id", "kind", "dependsOn", "when");
  private static final Set<String> TASK =
      Set.of("type", "input", "queue", "retry", "timeout", "compensation");
  private static final Set<String> FAN_OUT =
      Set.of("type", "items", "maxParallel", "quorum", "queue", "retry", "timeout", "compensation");
  private static final Set<String> WAIT =
      Set.of("signal", "correlation", "timer", "approval", "timeout", "onTimeout");
  private static final Set<String> SUB = Set.of("definition", "input");
  private static final Set<String> RETRY =
      Set.of("backoff", "delay", "maxDelay", "maxAttempts", "jitter");

  private WorkflowJson() {}

  /**
   * Reads a definition from JSON text.
   *
   * @throws InvalidWorkflowException listing every problem, each naming its step and field
   */
  public static WorkflowDefinition read(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new InvalidWorkflowException(
          List.of("the definition is not JSON: " + e.getOriginalMessage()));
    }
    return read(root);
  }

  /**
   * Reads a definition from a JSON tree.
   *
   * @throws InvalidWorkflowException listing every problem, each naming its step and field
   */
  public static WorkflowDefinition read(JsonNode root) {
    var r = new Reader();
    WorkflowDefinition d = r.definition(root);
    if (!r.problems.isEmpty()) {
      throw new InvalidWorkflowException(r.problems);
    }
    return d;
  }

  /** The definition as a JSON document that {@link #read} reads back to an equal definition. */
  public static ObjectNode write(WorkflowDefinition d) {
    ObjectNode root = F.objectNode();
    root.put("name", d.name());
    root.put("onFailure", d.onFailure().name().toLowerCase(Locale.ROOT));
    root.put("contextLimitBytes", d.contextLimitBytes());
    ArrayNode steps = root.putArray("steps");
    for (Step s : d.steps()) {
      ObjectNode o = steps.addObject();
      o.put("id", s.id());
      o.put("kind", s.kind());
      if (!s.dependsOn().isEmpty()) {
        ArrayNode deps = o.putArray("dependsOn");
        s.dependsOn().forEach(deps::add);
      }
      if (s.when() != null) {
        o.set("when", condition(s.when()));
      }
      switch (s) {
        case TaskStep t -> {
          o.put("type", t.type());
          putPath(o, "input", t.input());
          jobOptions(o, t.queue(), t.retry(), t.timeout(), t.compensation());
        }
        case FanOutStep f -> {
          o.put("type", f.type());
          putPath(o, "items", f.items());
          o.put("maxParallel", f.maxParallel());
          if (f.quorum() != null) {
            o.put("quorum", f.quorum());
          }
          jobOptions(o, f.queue(), f.retry(), f.timeout(), f.compensation());
        }
        case WaitStep w -> {
          switch (w.waitFor()) {
            case WaitFor.Signal sig -> {
              o.put("signal", sig.name());
              putPath(o, "correlation", sig.correlation());
            }
            case WaitFor.Timer timer -> o.put("timer", timer.delay().toString());
            case WaitFor.Approval a -> o.put("approval", true);
          }
          if (w.timeout() != null) {
            o.put("timeout", w.timeout().toString());
          }
          o.put("onTimeout", w.onTimeout().name().toLowerCase(Locale.ROOT));
        }
        case SubWorkflowStep sub -> {
          o.put("definition", sub.definition());
          putPath(o, "input", sub.input());
        }
      }
    }
    return root;
  }

  /** A condition as JSON. */
  public static JsonNode condition(Condition c) {
    ObjectNode o = F.objectNode();
    switch (c) {
      case Condition.Compare cmp -> {
        o.put("path", cmp.path().text());
        o.put("op", cmp.op().text());
        o.set("value", cmp.value());
      }
      case Condition.Exists ex -> {
        o.put("path", ex.path().text());
        o.put("op", "exists");
      }
      case Condition.And and -> {
        ArrayNode all = o.putArray("and");
        and.all().forEach(x -> all.add(condition(x)));
      }
      case Condition.Or or -> {
        ArrayNode any = o.putArray("or");
        or.any().forEach(x -> any.add(condition(x)));
      }
      case Condition.Not not -> o.set("not", condition(not.condition()));
    }
    return o;
  }

  private static void putPath(ObjectNode o, String field, ContextPath path) {
    if (path != null) {
      o.put(field, path.text());
    }
  }

  private static void jobOptions(
      ObjectNode o, String queue, Retry retry, Duration timeout, String compensation) {
    if (queue != null) {
      o.put("queue", queue);
    }
    if (retry != null) {
      ObjectNode r = o.putObject("retry");
      r.put("backoff", retry.backoff().name().toLowerCase(Locale.ROOT));
      r.put("delay", retry.initialDelay().toString());
      r.put("maxDelay", retry.maxDelay().toString());
      r.put("maxAttempts", retry.maxAttempts());
      r.put("jitter", retry.jitter());
    }
    if (timeout != null) {
      o.put("timeout", timeout.toString());
    }
    if (compensation != null) {
      o.put("compensation", compensation);
    }
  }

  /** Reads one document, collecting problems instead of stopping at the first. */
  private static final class Reader {
    final List<String> problems = new ArrayList<>();

    WorkflowDefinition definition(JsonNode root) {
      if (root == null || !root.isObject()) {
        problems.add("the definition must be a JSON object");
        return null;
      }
      unknown(root, TOP, "");
      String name = text(root, "name", "name", true);
      OnFailure onFailure =
          enumValue(root, "onFailure", "onFailure", OnFailure.class, OnFailure.FAIL);
      Integer limit = integer(root, "contextLimitBytes", "contextLimitBytes");
      var steps = new ArrayList<Step>();
      JsonNode array = root.get("steps");
      if (array == null || !array.isArray()) {
        problems.add("steps: must be an array of steps");
      } else {
        for (int i = 0; i < array.size(); i++) {
          Step s = step(array.get(i), i);
          if (s != null) {
            steps.add(s);
          }
        }
      }
      return new WorkflowDefinition(
          name,
          steps,
          onFailure,
          limit == null ? WorkflowDefinition.DEFAULT_CONTEXT_LIMIT_BYTES : limit);
    }

    private Step step(JsonNode node, int index) {
      String at = "steps[" + index + "]";
      if (!node.isObject()) {
        problems.add(at + ": must be an object");
        return null;
      }
      JsonNode idNode = node.get("id");
      if (idNode != null && idNode.isString()) {
        at = "step '" + idNode.stringValue() + "'";
      }
      String id = text(node, "id", at + ": id", true);
      String kind = text(node, "kind", at + ": kind", true);
      List<String> dependsOn = strings(node, "dependsOn", at + ": dependsOn");
      Condition when = node.has("when") ? condition(node.get("when"), at + ": when") : null;
      if (kind == null) {
        return null;
      }
      int before = problems.size();
      Step s =
          switch (kind) {
            case "task" -> {
              unknown(node, union(COMMON, TASK), at + ": ");
              yield new TaskStep(
                  id,
                  text(node, "type", at + ": type", true),
                  dependsOn,
                  when,
                  path(node, "input", at + ": input"),
                  text(node, "queue", at + ": queue", false),
                  retry(node.get("retry"), at + ": retry"),
                  duration(node, "timeout", at + ": timeout"),
                  text(node, "compensation", at + ": compensation", false));
            }
            case "fanOut" -> {
              unknown(node, union(COMMON, FAN_OUT), at + ": ");
              Integer maxParallel = integer(node, "maxParallel", at + ": maxParallel");
              ContextPath items = path(node, "items", at + ": items");
              if (items == null && !node.has("items")) {
                problems.add(at + ": items: a fan-out needs the path of a list in the context");
              }
              yield new FanOutStep(
                  id,
                  text(node, "type", at + ": type", true),
                  dependsOn,
                  when,
                  items,
                  maxParallel == null ? FanOutStep.DEFAULT_MAX_PARALLEL : maxParallel,
                  integer(node, "quorum", at + ": quorum"),
                  text(node, "queue", at + ": queue", false),
                  retry(node.get("retry"), at + ": retry"),
                  duration(node, "timeout", at + ": timeout"),
                  text(node, "compensation", at + ": compensation", false));
            }
            case "wait" -> {
              unknown(node, union(COMMON, WAIT), at + ": ");
              yield new WaitStep(
                  id,
                  dependsOn,
                  when,
                  waitFor(node, at),
                  duration(node, "timeout", at + ": timeout"),
                  enumValue(node, "onTimeout", at + ": onTimeout", TimeoutOutcome.class, null));
            }
            case "subWorkflow" -> {
              unknown(node, union(COMMON, SUB), at + ": ");
              yield new SubWorkflowStep(
                  id,
                  text(node, "definition", at + ": definition", true),
                  dependsOn,
                  when,
                  path(node, "input", at + ": input"));
            }
            default -> {
              problems.add(
                  at + ": kind '" + kind + "' is not one of task, fanOut, wait, subWorkflow");
              yield null;
            }
          };
      return problems.size() == before ? s : null;
    }

    private WaitFor waitFor(JsonNode node, String at) {
      var given = new ArrayList<String>();
      for (String f : List.of("signal", "timer", "approval")) {
        if (node.has(f)) {
          given.add(f);
        }
      }
      if (given.size() != 1) {
        problems.add(
            at
                + ": a wait needs exactly one of signal, timer or approval"
                + (given.isEmpty() ? "" : ", not " + String.join(" and ", given)));
        return null;
      }
      if (!given.contains("signal") && node.has("correlation")) {
        problems.add(at + ": correlation applies to signal waits only");
      }
      return switch (given.getFirst()) {
        case "signal" ->
            new WaitFor.Signal(
                text(node, "signal", at + ": signal", true),
                path(node, "correlation", at + ": correlation"));
        case "timer" -> {
          Duration d = duration(node, "timer", at + ": timer");
          yield d == null ? null : new WaitFor.Timer(d);
        }
        default -> {
          if (!node.get("approval").isBoolean() || !node.get("approval").booleanValue()) {
            problems.add(at + ": approval: must be true");
          }
          yield new WaitFor.Approval();
        }
      };
    }

    private Condition condition(JsonNode node, String at) {
      if (node == null || !node.isObject()) {
        problems.add(at + ": a condition is an object");
        return null;
      }
      try {
        if (node.has("and") || node.has("or")) {
          String op = node.has("and") ? "and" : "or";
          unknown(node, Set.of(op), at + ": ");
          JsonNode list = node.get(op);
          if (!list.isArray()) {
            problems.add(at + ": " + op + ": must be an array of conditions");
            return null;
          }
          var parts = new ArrayList<Condition>();
          for (int i = 0; i < list.size(); i++) {
            Condition c = condition(list.get(i), at + "." + op + "[" + i + "]");
            if (c != null) {
              parts.add(c);
            }
          }
          if (parts.size() != list.size()) {
            return null;
          }
          return op.equals("and") ? new Condition.And(parts) : new Condition.Or(parts);
        }
        if (node.has("not")) {
          unknown(node, Set.of("not"), at + ": ");
          Condition c = condition(node.get("not"), at + ".not");
          return c == null ? null : new Condition.Not(c);
        }
        unknown(node, Set.of("path", "op", "value"), at + ": ");
        String pathText = text(node, "path", at + ": path", true);
        String op = text(node, "op", at + ": op", true);
        if (pathText == null || op == null) {
          return null;
        }
        ContextPath path = ContextPath.parse(pathText);
        if (op.equals("exists")) {
          if (node.has("value")) {
            problems.add(at + ": 'exists' takes no value");
            return null;
          }
          return new Condition.Exists(path);
        }
        return new Condition.Compare(path, Condition.Op.parse(op), node.get("value"));
      } catch (IllegalArgumentException e) {
        problems.add(at + ": " + e.getMessage());
        return null;
      }
    }

    private Retry retry(JsonNode node, String at) {
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isObject()) {
        problems.add(at + ": must be an object");
        return null;
      }
      unknown(node, RETRY, at + ": ");
      String backoff = text(node, "backoff", at + ".backoff", false);
      Duration delay = duration(node, "delay", at + ".delay");
      Duration initial = delay == null ? Duration.ofSeconds(1) : delay;
      try {
        Retry r =
            switch (backoff == null ? "exponential" : backoff.toLowerCase(Locale.ROOT)) {
              case "fixed" -> Retry.fixed(initial);
              case "linear" -> Retry.linear(initial);
              case "exponential" -> Retry.exponential(initial);
              default -> {
                problems.add(
                    at + ".backoff: must be fixed, linear or exponential, was '" + backoff + "'");
                yield null;
              }
            };
        if (r == null) {
          return null;
        }
        Integer attempts = integer(node, "maxAttempts", at + ".maxAttempts");
        if (attempts != null) {
          r = r.maxAttempts(attempts);
        }
        Duration maxDelay = duration(node, "maxDelay", at + ".maxDelay");
        if (maxDelay != null) {
          r = r.maxDelay(maxDelay);
        }
        JsonNode jitter = node.get("jitter");
        if (jitter != null) {
          if (!jitter.isNumber()) {
            problems.add(at + ".jitter: must be a number from 0 to 1");
          } else {
            r = r.jitter(jitter.doubleValue());
          }
        }
        return r;
      } catch (IllegalArgumentException e) {
        problems.add(at + ": " + e.getMessage());
        return null;
      }
    }

    private void unknown(JsonNode node, Set<String> allowed, String at) {
      for (String field : node.propertyNames()) {
        if (!allowed.contains(field)) {
          problems.add(at + "unknown field '" + field + "'");
        }
      }
    }

    private String text(JsonNode node, String field, String at, boolean required) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          problems.add(at + ": is required");
        }
        return null;
      }
      if (!v.isString()) {
        problems.add(at + ": must be a string");
        return null;
      }
      return v.stringValue();
    }

    private Integer integer(JsonNode node, String field, String at) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isInt()) {
        problems.add(at + ": must be a whole number");
        return null;
      }
      return v.intValue();
    }

    private Duration duration(JsonNode node, String field, String at) {
      String text = text(node, field, at, false);
      if (text == null) {
        return null;
      }
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        problems.add(
            at + ": must be an ISO-8601 duration such as PT30S or PT5M, was '" + text + "'");
        return null;
      }
    }

    private ContextPath path(JsonNode node, String field, String at) {
      String text = text(node, field, at, false);
      if (text == null) {
        return null;
      }
      try {
        return ContextPath.parse(text);
      } catch (IllegalArgumentException e) {
        problems.add(at + ": " + e.getMessage());
        return null;
      }
    }

    private List<String> strings(JsonNode node, String field, String at) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        problems.add(at + ": must be an array of step ids");
        return List.of();
      }
      var out = new ArrayList<String>();
      for (int i = 0; i < v.size(); i++) {
        if (!v.get(i).isString()) {
          problems.add(at + "[" + i + "]: must be a step id (a string)");
        } else {
          out.add(v.get(i).stringValue());
        }
      }
      return out;
    }

    private <E extends Enum<E>> E enumValue(
        JsonNode node, String field, String at, Class<E> type, E fallback) {
      String text = text(node, field, at, false);
      if (text == null) {
        return fallback;
      }
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(text)) {
          return e;
        }
      }
      problems.add(
          at
              + ": must be one of "
              + String.join(
                  ", ",
                  Arrays.stream(type.getEnumConstants())
                      .map(e -> e.name().toLowerCase(Locale.ROOT))
                      .toList())
              + ", was '"
              + text
              + "'");
      return fallback;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
      var out = new HashSet<>(a);
      out.addAll(b);
      return out;
    }
  }
}
