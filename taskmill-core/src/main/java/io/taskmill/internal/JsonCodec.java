package io.taskmill.internal;

import java.lang.reflect.Modifier;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine's one JSON mapper: no default typing (no class is ever chosen by data), bounded input
 * sizes, strict binding.
 */
public final class JsonCodec {
  /** Largest JSON document accepted as a payload or result, in characters. */
  public static final int MAX_DOCUMENT_CHARS = 1 << 20;

  private final JsonMapper mapper;

  public JsonCodec() {
    var constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxStringLength(MAX_DOCUMENT_CHARS)
            .maxDocumentLength(MAX_DOCUMENT_CHARS)
            .build();
    var factory = JsonFactory.builder().streamReadConstraints(constraints).build();
    this.mapper =
        JsonMapper.builder(factory)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /** The mapper, for callers that need a reader or tree. */
  public JsonMapper mapper() {
    return mapper;
  }

  /** A reader binding to {@code type}, strict about unknown properties unless told otherwise. */
  public ObjectReader readerFor(Class<?> type, boolean ignoreUnknown) {
    var reader = mapper.readerFor(type);
    return ignoreUnknown
        ? reader.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        : reader;
  }

  /** Serializes {@code value}; throws {@link IllegalArgumentException} naming why it cannot be. */
  public String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads {@code json} as {@code type}. */
  public <T> T read(String json, Class<T> type) {
    return mapper.readValue(json, type);
  }

  /**
   * Why {@code type} cannot be a payload, or null if it can: it must be a concrete class Jackson
   * can construct from a JSON object (a record is ideal), never an interface or abstract type (that
   * would need type information in the data).
   */
  public String unbindableReason(Class<?> type) {
    boolean abstractType = type.isInterface() || Modifier.isAbstract(type.getModifiers());
    // A Map binds to a plain LinkedHashMap; any other abstract type would need type ids in data.
    if (abstractType && type != Map.class && !type.isPrimitive() && !type.isArray()) {
      return type.getName()
          + " is an interface or abstract class; use a concrete record so the"
          + " payload never names its own class";
    }
    if (type.isAnonymousClass()
        || type.isLocalClass()
        || type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
      return type.getName()
          + " is an anonymous, local or inner (non-static) class; make it a"
          + " top-level or static nested record";
    }
    try {
      mapper.readerFor(type).readValue("{}");
    } catch (InvalidDefinitionException e) {
      return type.getName() + " cannot be bound from JSON: " + e.getOriginalMessage();
    } catch (RuntimeException e) {
      // An empty object may fail validation or miss required values; that is fine here: the type
      // itself is bindable.
    }
    return null;
  }

  /** A one-line description of a binding error, naming the path to the bad field. */
  public static String describe(JacksonException e) {
    String path = e.getPathReference();
    String msg = e.getOriginalMessage();
    if (msg != null && msg.length() > 300) {
      msg = msg.substring(0, 300) + "…";
    }
    return (path == null || path.isEmpty() ? "" : "at " + path + ": ") + msg;
  }
}
