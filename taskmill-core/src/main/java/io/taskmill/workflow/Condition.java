package io.taskmill.workflow;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Whether a conditional step runs: comparisons of values in the run's context, combined with and,
 * or and not. It is data, never code: a JSON definition writes it as {@code {"path": "order.total",
 * "op": "gt", "value": 100}}, {@code {"path": "order.express", "op": "exists"}}, {@code {"and":
 * [...]}}, {@code {"or": [...]}} or {@code {"not": {...}}}.
 */
public sealed interface Condition {

  /** Whether the condition holds over {@code context}. */
  boolean test(JsonNode context);

  /** A comparison's operator. */
  enum Op {
    EQ,
    NE,
    GT,
    GE,
    LT,
    LE,
    /** The value at the path equals one of an array's elements. */
    IN;

    /** The operator written as in JSON ({@code "gt"}), or an error naming the allowed ones. */
    public static Op parse(String text) {
      if (text != null) {
        for (Op op : values()) {
          if (op.name().equalsIgnoreCase(text)) {
            return op;
          }
        }
      }
      throw new IllegalArgumentException(
          "'" + text + "' is not an operator; use eq, ne, gt, ge, lt, le, in or exists");
    }

    /** The operator as JSON writes it. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A value at {@code path} compared with {@code value}. {@code eq} and {@code ne} compare JSON
   * values (numbers by value); the orderings hold between two numbers or two strings only; {@code
   * in} holds when the value equals an element of {@code value}, an array. A missing value equals
   * nothing.
   */
  record Compare(ContextPath path, Op op, JsonNode value) implements Condition {
    public Compare {
      if (path == null || op == null) {
        throw new IllegalArgumentException("a comparison needs a path and an operator");
      }
      if (value == null || value.isMissingNode()) {
        throw new IllegalArgumentException(
            "the comparison '" + op.text() + "' on '" + path + "' needs a value");
      }
      switch (op) {
        case GT, GE, LT, LE -> {
          if (!value.isNumber() && !value.isString()) {
            throw new IllegalArgumentException(
                "'" + op.text() + "' on '" + path + "' compares with a number or a string");
          }
        }
        case IN -> {
          if (!value.isArray()) {
            throw new IllegalArgumentException("'in' on '" + path + "' needs an array of values");
          }
        }
        default -> {}
      }
    }

    @Override
    public boolean test(JsonNode context) {
      JsonNode found = path.find(context);
      return switch (op) {
        case EQ -> same(found, value);
        case NE -> !same(found, value);
        case IN -> {
          for (JsonNode candidate : value) {
            if (same(found, candidate)) {
              yield true;
            }
          }
          yield false;
        }
        case GT, GE, LT, LE -> {
          Integer order = order(found, value);
          yield order != null
              && switch (op) {
                case GT -> order > 0;
                case GE -> order >= 0;
                case LT -> order < 0;
                default -> order <= 0;
              };
        }
      };
    }

    private static boolean same(JsonNode a, JsonNode b) {
      if (a == null) {
        return false;
      }
      if (a.isNumber() && b.isNumber()) {
        return a.decimalValue().compareTo(b.decimalValue()) == 0;
      }
      return a.equals(b);
    }

    private static Integer order(JsonNode a, JsonNode b) {
      if (a == null) {
        return null;
      }
      if (a.isNumber() && b.isNumber()) {
        return a.decimalValue().compareTo(b.decimalValue());
      }
      if (a.isString() && b.isString()) {
        return Integer.signum(a.stringValue().compareTo(b.stringValue()));
      }
      return null;
    }
  }

  /** Holds when the context has a value, other than JSON null, at {@code path}. */
  record Exists(ContextPath path) implements Condition {
    public Exists {
      if (path == null) {
        throw new IllegalArgumentException("'exists' needs a path");
      }
    }

    @Override
    public boolean test(JsonNode context) {
      JsonNode found = path.find(context);
      return found != null && !found.isNull();
    }
  }

  /** Holds when every one of {@code all} holds. */
  record And(List<Condition> all) implements Condition {
    public And {
      if (all == null || all.isEmpty()) {
        throw new IllegalArgumentException("'and' needs at least one condition");
      }
      all = List.copyOf(all);
    }

    @Override
    public boolean test(JsonNode context) {
      return all.stream().allMatch(c -> c.test(context));
    }
  }

  /** Holds when at least one of {@code any} holds. */
  record Or(List<Condition> any) implements Condition {
    public Or {
      if (any == null || any.isEmpty()) {
        throw new IllegalArgumentException("'or' needs at least one condition");
      }
      any = List.copyOf(any);
    }

    @Override
    public boolean test(JsonNode context) {
      return any.stream().anyMatch(c -> c.test(context));
    }
  }

  /** Holds when {@code condition} does not. */
  record Not(Condition condition) implements Condition {
    public Not {
      if (condition == null) {
        throw new IllegalArgumentException("'not' needs a condition");
      }
    }

    @Override
    public boolean test(JsonNode context) {
      return !condition.test(context);
    }
  }

  /**
   * {@code path op value}, with a path as text and a plain Java value (number, string, boolean).
   */
  static Condition compare(String path, String op, Object value) {
    return new Compare(ContextPath.parse(path), Op.parse(op), json(value));
  }

  /** Holds when the context has a value at {@code path}. */
  static Condition exists(String path) {
    return new Exists(ContextPath.parse(path));
  }

  /** Holds when all of {@code conditions} hold. */
  static Condition and(Condition... conditions) {
    return new And(List.of(conditions));
  }

  /** Holds when any of {@code conditions} holds. */
  static Condition or(Condition... conditions) {
    return new Or(List.of(conditions));
  }

  /** Holds when {@code condition} does not. */
  static Condition not(Condition condition) {
    return new Not(condition);
  }

  private static JsonNode json(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (value) {
      case null -> f.nullNode();
      case JsonNode n -> n;
      case String s -> f.stringNode(s);
      case Integer i -> f.numberNode(i);
      case Long l -> f.numberNode(l);
      case Double d -> f.numberNode(d);
      case BigDecimal d -> f.numberNode(d);
      case Boolean b -> f.booleanNode(b);
      case List<?> list -> {
        var array = f.arrayNode();
        list.forEach(e -> array.add(json(e)));
        yield array;
      }
      default ->
          throw new IllegalArgumentException(
              "a condition compares with a number, string, boolean, null or a list of those, not "
                  + value.getClass().getSimpleName());
    };
  }
}
