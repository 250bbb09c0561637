package io.taskmill.server.http;

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
  /** Deepest nesting accepted in a request body (RELIABILITY.md A2). */
  public static final int MAX_DEPTH = 64;

  public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
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

  /** Parses JSON text that the server itself produced or stored (never a request body). */
  public static JsonNode parseTrusted(String text) {
    return text == null ? null : MAPPER.readTree(text);
  }
}
