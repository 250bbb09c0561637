package io.taskmill.server.http;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server's JSON: one mapper with bounded input (nesting depth, string and number sizes) and no
 * polymorphic typing, so a request can neither exhaust the parser nor choose a class.
 */
public final class Json {
  /** Deepest nesting accepted in a request body (A2, docs/server.md). */
  public static final int MAX_DEPTH = 64;

  public static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxStringLength(1 << 20)
                          .maxNumberLength(100)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /**
   * Sets {@code field} of {@code into} to stored JSON text (a payload or result read from the
   * database). A row written around the engine may hold text this mapper refuses (nesting deeper
   * than {@link #MAX_DEPTH}, not JSON at all): then {@code field} is null and {@code
   * <field>Unreadable} says why, so one planted row cannot turn a job's page, or every list that
   * includes it, into a 500 (S4, docs/testing.md).
   */
  public static void putStored(ObjectNode into, String field, String text) {
    if (text == null) {
      into.putNull(field);
      return;
    }
    try {
      into.set(field, MAPPER.readTree(text));
    } catch (JacksonException e) {
      into.putNull(field);
      into.put(
          field + "Unreadable",
          "the stored "
              + field
              + " ("
              + text.length()
              + " characters) is not shown: "
              + clip(e.getOriginalMessage()));
    }
  }

  private static String clip(String message) {
    if (message == null) {
      return "not readable JSON";
    }
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }
}
