package io.taskmill.server.api;

import io.taskmill.server.http.Json;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON Schema (2020-12) of a handler's payload record, derived from its components: records
 * become objects that allow no other properties (the engine's binder refuses unknown ones) and
 * require none (a missing component binds to null or zero), enums become string enums, collections
 * arrays, maps objects; anything else is described as its JSON kind only. Read only from registered
 * payload types, never from request data.
 */
final class PayloadSchema {
  private PayloadSchema() {}

  static ObjectNode of(Class<?> type) {
    ObjectNode schema = describe(type, new HashSet<>());
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    return schema;
  }

  private static ObjectNode describe(Type type, Set<Class<?>> seen) {
    var json = Json.object();
    if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
      if (Collection.class.isAssignableFrom(raw)) {
        json.put("type", "array");
        json.set("items", describe(pt.getActualTypeArguments()[0], seen));
        return json;
      }
      if (Map.class.isAssignableFrom(raw)) {
        json.put("type", "object");
        json.set("additionalProperties", describe(pt.getActualTypeArguments()[1], seen));
        return json;
      }
      return describe(raw, seen);
    }
    if (!(type instanceof Class<?> c)) {
      return json;
    }
    if (c == String.class
        || c == char.class
        || c == Character.class
        || c == UUID.class
        || Temporal.class.isAssignableFrom(c)
        || c == Duration.class) {
      json.put("type", "string");
      if (c == Instant.class) {
        json.put("format", "date-time");
      } else if (c == Duration.class) {
        json.put("format", "duration");
      } else if (c == UUID.class) {
        json.put("format", "uuid");
      }
    } else if (c == boolean.class || c == Boolean.class) {
      json.put("type", "boolean");
    } else if (c == int.class
        || c == long.class
        || c == short.class
        || c == byte.class
        || c == Integer.class
        || c == Long.class
        || c == Short.class
        || c == Byte.class
        || c == BigInteger.class) {
      json.put("type", "integer");
    } else if (Number.class.isAssignableFrom(c) || c == double.class || c == float.class) {
      json.put("type", "number");
    } else if (c.isEnum()) {
      json.put("type", "string");
      var values = json.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
    } else if (c.isArray()) {
      json.put("type", "array");
      json.set("items", describe(c.getComponentType(), seen));
    } else if (c.isRecord() && seen.add(c)) {
      json.put("type", "object");
      json.put("title", c.getSimpleName());
      var props = json.putObject("properties");
      for (RecordComponent rc : c.getRecordComponents()) {
        props.set(rc.getName(), describe(rc.getGenericType(), seen));
      }
      json.put("additionalProperties", false);
      seen.remove(c);
    } else {
      json.put("type", "object");
    }
    return json;
  }
}
