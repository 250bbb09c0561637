package io.taskmill.server.api;

import io.taskmill.job.JobId;
import io.taskmill.server.http.LogText;
import io.taskmill.server.http.Problem;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads typed fields out of request JSON and query strings, answering 400 with the field's name and
 * what was expected when a value has the wrong type or form.
 */
final class Fields {
  private Fields() {}

  /** Refuses fields the operation does not know, so a typo is not silently ignored. */
  static void onlyKnown(JsonNode body, String where, Set<String> known) {
    if (!body.isObject()) {
      throw Problem.badRequest(where + " must be a JSON object, was " + kind(body), where);
    }
    for (String name : body.propertyNames()) {
      if (!known.contains(name)) {
        throw Problem.badRequest(
            "unknown field '"
                + prefix(where)
                + name
                + "'; known fields: "
                + String.join(", ", known.stream().sorted().toList()),
            prefix(where) + name);
      }
    }
  }

  static String prefix(String where) {
    return where.equals("body") ? "" : where + ".";
  }

  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  static String text(JsonNode body, String name, String field) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw Problem.badRequest(field + " must be a string, was " + kind(v), field);
    }
    return v.asString();
  }

  static String requiredText(JsonNode body, String name, String field) {
    String v = text(body, name, field);
    if (v == null || v.isBlank()) {
      throw Problem.badRequest(field + " is required", field);
    }
    return v;
  }

  static Integer integer(JsonNode body, String name, String field) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw Problem.badRequest(
          field
              + " must be a whole number (32-bit), was "
              + (v.isNumber() ? v.asString() : kind(v)),
          field);
    }
    return v.asInt();
  }

  static Double decimal(JsonNode body, String name, String field) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw Problem.badRequest(field + " must be a number, was " + kind(v), field);
    }
    return v.asDouble();
  }

  static Instant instant(String text, String field) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(
          field
              + " must be an ISO-8601 instant such as "
              + "2026-11-23T18:00:00Z, was '"
              + clip(text)
              + "'",
          field);
    }
  }

  static Duration duration(String text, String field) {
    if (text == null) {
      return null;
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(
          field + " must be an ISO-8601 duration such as PT30S or PT5M, was '" + clip(text) + "'",
          field);
    }
  }

  static List<String> strings(JsonNode body, String name, String field) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw Problem.badRequest(field + " must be an array of strings, was " + kind(v), field);
    }
    var out = new ArrayList<String>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isString()) {
        throw Problem.badRequest(
            field + "[" + i + "] must be a string, was " + kind(v.get(i)), field + "[" + i + "]");
      }
      out.add(v.get(i).asString());
    }
    return out;
  }

  static JobId jobId(String text) {
    try {
      return JobId.parse(text);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(clip(e.getMessage()), "id");
    }
  }

  /** {@code limit} from the query: 1 to 500, default 50 (A2, docs/server.md). */
  static int limit(String text) {
    if (text == null) {
      return 50;
    }
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw Problem.badRequest(
          "limit must be a whole number from 1 to 500, was '" + clip(text) + "'", "limit");
    }
    if (n < 1 || n > 500) {
      throw Problem.badRequest("limit must be from 1 to 500, was " + n, "limit");
    }
    return n;
  }

  static ObjectNode page(ObjectNode json, String nextCursor) {
    if (nextCursor == null) {
      json.putNull("nextCursor");
    } else {
      json.put("nextCursor", nextCursor);
    }
    return json;
  }

  static String clip(String text) {
    return LogText.clean(text);
  }
}
