package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.JsonCodec;
import io.taskmill.server.http.Json;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.jsontype.DefaultBaseTypeLimitingValidator;

/**
 * S4 of docs/testing.md: every Jackson mapper the engine, the store and the server create has
 * default typing off, so no JSON they read can choose a Java class, and is as strict as its code
 * says. An inventory of the main sources makes a new mapper fail here until it is added to the
 * list.
 */
class JsonMappersTest {
  record Resize(String path, int width) {}

  /** A mapper under test: where it lives, and the mapper itself. */
  record Site(String name, ObjectMapper mapper) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Site> mappers() throws Exception {
    return Stream.of(
        new Site("JsonCodec (engine: payloads, results, retry policies)", new JsonCodec().mapper()),
        new Site(
            "CreatedJobs.JSON (event feed outbox)", field("io.taskmill.spi.CreatedJobs", "JSON")),
        new Site("JdbcCluster.JSON (node rows)", field("io.taskmill.jdbc.JdbcCluster", "JSON")),
        new Site(
            "WorkflowJson.JSON (workflow definitions)",
            field("io.taskmill.workflow.WorkflowJson", "JSON")),
        new Site("Json.MAPPER (server requests and responses)", Json.MAPPER),
        new Site(
            "ConfigLoader.YAML (config file)", field("io.taskmill.server.ConfigLoader", "YAML")),
        new Site(
            "OpenApiDocs.YAML (our spec)", field("io.taskmill.server.api.OpenApiDocs", "YAML")));
  }

  /**
   * Source files that build a mapper, and where each is checked; {@code RestBench} is the
   * benchmark's HTTP client, reading only the replies of the server it drives, {@code Compare} and
   * {@code PeersReport} read and write only the bench's own figures, as trees.
   */
  static final Map<String, String> INVENTORY =
      new TreeMap<>(
          Map.of(
              "taskmill-core/src/main/java/io/taskmill/internal/JsonCodec.java", "JsonCodec",
              "taskmill-core/src/main/java/io/taskmill/spi/CreatedJobs.java", "CreatedJobs.JSON",
              "taskmill-jdbc/src/main/java/io/taskmill/jdbc/JdbcCluster.java", "JdbcCluster.JSON",
              "taskmill-core/src/main/java/io/taskmill/workflow/WorkflowJson.java",
                  "WorkflowJson.JSON",
              "taskmill-server/src/main/java/io/taskmill/server/http/Json.java", "Json.MAPPER",
              "taskmill-server/src/main/java/io/taskmill/server/ConfigLoader.java",
                  "ConfigLoader.YAML",
              "taskmill-server/src/main/java/io/taskmill/server/api/OpenApiDocs.java",
                  "OpenApiDocs.YAML",
              "taskmill-bench/src/main/java/io/taskmill/bench/RestBench.java",
                  "exempt: benchmark client",
              "taskmill-bench/src/main/java/io/taskmill/bench/Compare.java",
                  "exempt: benchmark figures",
              "taskmill-bench/src/main/java/io/taskmill/bench/peers/PeersReport.java",
                  "exempt: benchmark figures"));

  private static final Pattern MAKES_A_MAPPER =
      Pattern.compile(
          "\\b(?:Json|YAML|Yaml|Object|Xml|Csv|Smile|Cbor|CBOR)Mapper\\s*\\.\\s*builder\\s*\\("
              + "|\\bnew\\s+(?:Json|YAML|Yaml|Object|Xml|Csv)Mapper\\s*\\(|\\.rebuild\\s*\\(\\)");
  private static final Pattern TYPING =
      Pattern.compile(
          "activateDefaultTyping|setDefaultTyping|enableDefaultTyping|@JsonTypeInfo|JsonTypeInfo\\."
              + "|PolymorphicTypeValidator|@JsonSubTypes");

  private static ObjectMapper field(String className, String name) throws Exception {
    Field f = Class.forName(className).getDeclaredField(name);
    f.setAccessible(true);
    return (ObjectMapper) f.get(null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappers")
  void defaultTypingIsOff(Site site) {
    ObjectMapper m = site.mapper();
    for (Class<?> type :
        List.of(
            Object.class, Map.class, List.class, JsonNode.class, Resize.class, Object[].class)) {
      var javaType = m.constructType(type);
      assertThat(m.deserializationConfig().getDefaultTyper(javaType))
          .as("%s: default typer for reading %s", site, type.getName())
          .isNull();
      assertThat(m.serializationConfig().getDefaultTyper(javaType))
          .as("%s: default typer for writing %s", site, type.getName())
          .isNull();
    }
    assertThat(m.deserializationConfig().getPolymorphicTypeValidator())
        .as(
            "%s: Jackson's default validator, which refuses Object-like base types, never one "
                + "that allows every class",
            site)
        .isExactlyInstanceOf(DefaultBaseTypeLimitingValidator.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappers")
  void classNamesInTheDataStayData(Site site) {
    ObjectMapper m = site.mapper();
    Object gadget =
        m.readValue(
            "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\","
                + "\"dataSourceName\":\"ldap://127.0.0.1:1389/x\",\"autoCommit\":true}",
            Object.class);
    assertThat(gadget).isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) gadget).get("@class")).isEqualTo("com.sun.rowset.JdbcRowSetImpl");
    Object array =
        m.readValue("[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]", Object.class);
    assertThat(array).isInstanceOf(List.class);
    assertThat((List<?>) array).first().isEqualTo("java.lang.ProcessBuilder");
  }

  @Test
  void theCheckSeesDefaultTypingWhenItIsOn() {
    // The assertion above can fail: a mapper with default typing has a typer for Object.
    var typed =
        tools.jackson.databind.json.JsonMapper.builder()
            .activateDefaultTyping(
                tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator.builder()
                    .allowIfBaseType(Object.class)
                    .build())
            .build();
    assertThat(typed.deserializationConfig().getDefaultTyper(typed.constructType(Object.class)))
        .isNotNull();
  }

  @Test
  void theEngineMapperIsStrictAndBounded() {
    ObjectMapper m = new JsonCodec().mapper();
    var read = m.deserializationConfig();
    assertThat(read.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
        .as("an unknown field such as @class fails the binding")
        .isTrue();
    assertThat(read.isEnabled(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)).isTrue();
    assertThat(read.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)).isTrue();
    StreamReadConstraints limits = m.tokenStreamFactory().streamReadConstraints();
    assertThat(limits.getMaxNestingDepth()).isEqualTo(64);
    assertThat(limits.getMaxStringLength()).isEqualTo(JsonCodec.MAX_DOCUMENT_CHARS);
    assertThat(limits.getMaxDocumentLength()).isEqualTo(JsonCodec.MAX_DOCUMENT_CHARS);
  }

  @Test
  void theServerMapperIsBoundedAndReadsOnlyTrees() {
    ObjectMapper m = Json.MAPPER;
    assertThat(m.deserializationConfig().isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS))
        .isTrue();
    StreamReadConstraints limits = m.tokenStreamFactory().streamReadConstraints();
    assertThat(limits.getMaxNestingDepth()).isEqualTo(Json.MAX_DEPTH);
    assertThat(limits.getMaxStringLength()).isEqualTo(1 << 20);
    assertThat(limits.getMaxNumberLength()).isEqualTo(100);
    // Unknown properties are the request validators' business: the server binds no request body
    // to a class with this mapper (request fields are checked by name, Submissions.JOB_FIELDS).
  }

  @Test
  void everyMapperInTheMainSourcesIsInTheInventoryAndNoneEnablesTyping() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    var found = new TreeMap<String, String>();
    var typing = new ArrayList<String>();
    try (Stream<Path> files = Files.walk(root)) {
      // Build output is not source: target/bench-compare holds whole checkouts of other revisions.
      for (Path file :
          files
              .filter(
                  p ->
                      p.toString().endsWith(".java")
                          && p.toString().contains("/src/main/java/")
                          && !root.relativize(p).toString().contains("target/"))
              .toList()) {
        String text = Files.readString(file);
        String rel = root.relativize(file).toString();
        if (MAKES_A_MAPPER.matcher(text).find()) {
          found.put(rel, INVENTORY.getOrDefault(rel, "NOT IN THE INVENTORY"));
        }
        if (TYPING.matcher(text).find()) {
          typing.add(rel);
        }
      }
    }
    assertThat(found)
        .as("files that build a Jackson mapper; add a new one to mappers() and " + "INVENTORY")
        .isEqualTo(INVENTORY);
    assertThat(typing).as("main sources that mention polymorphic typing").isEmpty();
  }
}
