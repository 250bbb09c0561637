package io.taskmill.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A lookup into a run's JSON context: field names joined by dots, each optionally followed by array
 * indexes, like {@code order.items[0].sku}. A missing field or index finds nothing.
 *
 * @param text the path as written
 * @param segments field names (strings) and array indexes (integers), in order
 */
public record ContextPath(String text, List<Object> segments) {
  /** What a path must look like, for error messages. */
  public static final String RULE =
      "a path is field names joined by dots, each optionally followed by [index], like"
          + " 'order.items[0].sku' (a field name starts with a letter or '_' and holds letters,"
          + " digits, '_' or '-')";

  private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  public ContextPath {
    segments = List.copyOf(segments);
  }

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static ContextPath parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the path is empty; " + RULE);
    }
    if (text.length() > 500) {
      throw new IllegalArgumentException("the path is longer than 500 characters");
    }
    var segments = new ArrayList<Object>();
    for (String part : text.split("\\.", -1)) {
      int bracket = part.indexOf('[');
      String field = bracket < 0 ? part : part.substring(0, bracket);
      if (!FIELD.matcher(field).matches()) {
        throw new IllegalArgumentException("'" + text + "' is not a path: " + RULE);
      }
      segments.add(field);
      String rest = bracket < 0 ? "" : part.substring(bracket);
      while (!rest.isEmpty()) {
        int close = rest.indexOf(']');
        if (!rest.startsWith("[") || close < 2) {
          throw new IllegalArgumentException("'" + text + "' is not a path: " + RULE);
        }
        String index = rest.substring(1, close);
        if (!index.chars().allMatch(Character::isDigit) || index.length() > 9) {
          throw new IllegalArgumentException(
              "'" + text + "' is not a path: an index is a whole number, like [0]");
        }
        segments.add(Integer.parseInt(index));
        rest = rest.substring(close + 1);
      }
    }
    return new ContextPath(text, segments);
  }

  /** The value at this path in {@code context}, or null when there is none. */
  public JsonNode find(JsonNode context) {
    JsonNode at = context;
    for (Object segment : segments) {
      if (at == null) {
        return null;
      }
      at =
          segment instanceof Integer i
              ? (at.isArray() && i < at.size() ? at.get(i) : null)
              : (at.isObject() ? at.get((String) segment) : null);
    }
    return at == null || at.isMissingNode() ? null : at;
  }

  @Override
  public String toString() {
    return text;
  }
}
