package io.taskmill.server.api;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A request body bound to its schema in {@code openapi.yaml}: the document is the one definition of
 * the fields a body may carry, so an unknown field is refused by the document's list and code can
 * read only the fields the document declares (reading another is a programming error). Values are
 * read with {@link Fields}, which answers 400 naming the field when one has the wrong type or form.
 */
final class Body {
  private static final JsonNode SCHEMAS = OpenApiDocs.tree().path("components").path("schemas");

  private final JsonNode json;
  private final String schema;
  private final String prefix;
  private final JsonNode properties;

  private Body(JsonNode json, String schema, String where, JsonNode properties) {
    this.json = json;
    this.schema = schema;
    this.prefix = Fields.prefix(where);
    this.properties = properties;
  }

  /**
   * Binds {@code json}, found at {@code where} ({@code body}, {@code jobs[3]}, …), to the schema
   * named {@code schema}: it must be an object holding only the fields the schema declares.
   */
  static Body of(JsonNode json, String schema, String where) {
    JsonNode properties = properties(schema);
    Fields.onlyKnown(json, where, fields(schema));
    return new Body(json, schema, where, properties);
  }

  /** The fields the named request schema declares. */
  static Set<String> fields(String schema) {
    return new TreeSet<>(properties(schema).propertyNames());
  }

  /** The fields the named request schema requires. */
  static Set<String> required(String schema) {
    var required = new TreeSet<String>();
    SCHEMAS.path(schema).path("required").forEach(n -> required.add(n.asString()));
    return required;
  }

  private static JsonNode properties(String schema) {
    JsonNode def = SCHEMAS.get(schema);
    if (def == null
        || !def.path("additionalProperties").isBoolean()
        || def.path("additionalProperties").asBoolean()) {
      throw new IllegalStateException(
          "openapi.yaml has no closed request schema '"
              + schema
              + "' (type object, additionalProperties: false)");
    }
    return def.path("properties");
  }

  /** The field's name as a problem names it: with the path to this body. */
  String field(String name) {
    declared(name);
    return prefix + name;
  }

  /** The field's raw value; null when absent. */
  JsonNode node(String name) {
    declared(name);
    return json.get(name);
  }

  String text(String name) {
    return Fields.text(json, declared(name), prefix + name);
  }

  /** A string the schema requires: absent, null or blank is a 400 naming it. */
  String requiredText(String name) {
    if (!required(schema).contains(declared(name))) {
      throw new IllegalStateException(schema + "." + name + " is not required in openapi.yaml");
    }
    return Fields.requiredText(json, name, prefix + name);
  }

  Integer integer(String name) {
    return Fields.integer(json, declared(name), prefix + name);
  }

  Double decimal(String name) {
    return Fields.decimal(json, declared(name), prefix + name);
  }

  List<String> strings(String name) {
    return Fields.strings(json, declared(name), prefix + name);
  }

  /** The field as a body of the schema it refers to ({@code $ref}); null when absent or null. */
  Body body(String name) {
    JsonNode value = node(name);
    if (value == null || value.isNull()) {
      return null;
    }
    String ref = properties.path(name).path("$ref").asString("");
    if (!ref.startsWith("#/components/schemas/")) {
      throw new IllegalStateException(schema + "." + name + " refers to no schema in openapi.yaml");
    }
    return of(value, ref.substring("#/components/schemas/".length()), prefix + name);
  }

  private String declared(String name) {
    if (!properties.has(name)) {
      throw new IllegalStateException(
          "openapi.yaml's "
              + schema
              + " declares no field '"
              + name
              + "'; declare it there before reading it");
    }
    return name;
  }
}
