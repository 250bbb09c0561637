package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.access.Role;
import io.taskmill.server.api.OpenApiDocs;
import io.taskmill.server.http.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies bind from one definition, the schemas of {@code openapi.yaml}: over a real server,
 * every field a schema declares is accepted, every field it requires is refused when missing, and a
 * field it does not declare is refused, each with a 400 naming the field.
 */
class RequestSchemasTest {
  private static final String RETRY =
      "{\"backoff\":\"fixed\",\"delay\":\"PT1S\",\"maxDelay\":\"PT10S\",\"jitter\":0.1}";
  private static final String SCHEDULE_JOB =
      "{\"type\":\"demo.noop\",\"payload\":{},\"queue\":\"default\",\"priority\":5,"
          + "\"maxAttempts\":3,\"timeout\":\"PT1M\",\"tags\":[\"a\"],\"retry\":"
          + RETRY
          + "}";
  private static final String DELAYED_JOB =
      "{\"type\":\"demo.noop\",\"payload\":{},\"queue\":\"default\",\"priority\":5,"
          + "\"delay\":\"PT1H\",\"maxAttempts\":3,\"timeout\":\"PT1M\",\"tags\":[\"a\"],"
          + "\"idempotencyKey\":\"schemas-1\",\"retry\":"
          + RETRY
          + "}";
  private static final String TIMED_JOB =
      "{\"type\":\"demo.noop\",\"payload\":{},\"runAt\":\"2030-01-01T00:00:00Z\"}";

  /** A request carrying a body of {@code schema}; {@code at} is where that body sits in it. */
  private record Sample(String schema, String at, String method, String path, String body) {}

  private static final List<Sample> SAMPLES =
      List.of(
          new Sample("JobSubmission", "", "POST", "/api/v1/jobs", DELAYED_JOB),
          new Sample("JobSubmission", "", "POST", "/api/v1/jobs", TIMED_JOB),
          new Sample("Retry", "retry", "POST", "/api/v1/jobs", DELAYED_JOB),
          new Sample(
              "JobBatch", "", "POST", "/api/v1/jobs/batch", "{\"jobs\":[" + TIMED_JOB + "]}"),
          new Sample(
              "JobSubmission",
              "jobs[0]",
              "POST",
              "/api/v1/jobs/batch",
              "{\"jobs\":[" + TIMED_JOB + "]}"),
          new Sample(
              "ScheduleDefinition",
              "",
              "PUT",
              "/api/v1/schedules/every-hour",
              "{\"every\":\"PT1H\",\"anchor\":\"2026-01-01T00:00:00Z\",\"misfire\":\"skip\","
                  + "\"overlap\":\"allow\",\"paused\":true,\"job\":"
                  + SCHEDULE_JOB
                  + "}"),
          new Sample(
              "ScheduleDefinition",
              "",
              "PUT",
              "/api/v1/schedules/nightly",
              "{\"cron\":\"0 3 * * *\",\"zone\":\"Europe/Berlin\",\"job\":" + SCHEDULE_JOB + "}"),
          new Sample(
              "ScheduleJob",
              "job",
              "PUT",
              "/api/v1/schedules/nightly",
              "{\"cron\":\"0 3 * * *\",\"job\":" + SCHEDULE_JOB + "}"),
          new Sample(
              "KeyCreation",
              "",
              "POST",
              "/api/v1/keys",
              "{\"name\":\"schemas\",\"role\":\"viewer\",\"queues\":[\"default\"]}"));

  static ServerFixture fx;

  @BeforeAll
  static void start() {
    fx = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void everyDeclaredFieldOfEveryRequestSchemaIsAccepted() {
    var covered = new TreeSet<String>();
    for (Sample s : SAMPLES) {
      var reply = send(s, s.body());
      assertThat(reply.status())
          .as(s.method() + " " + s.path() + " " + s.body())
          .isBetween(200, 201);
      bodyAt(Json.MAPPER.readTree(s.body()), s.at())
          .propertyNames()
          .forEach(n -> covered.add(s.schema() + "." + n));
    }
    var declared = new TreeSet<String>();
    for (String schema : requestSchemas()) {
      schema(schema)
          .path("properties")
          .propertyNames()
          .forEach(n -> declared.add(schema + "." + n));
    }
    assertThat(covered).as("the samples carry every declared field").isEqualTo(declared);
  }

  @Test
  void everyRequiredFieldIsRefusedWhenMissingNamingIt() {
    for (Sample s : SAMPLES) {
      for (JsonNode r : schema(s.schema()).path("required")) {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(s.body());
        bodyAt(body, s.at()).remove(r.asString());
        var reply = send(s, Json.write(body));
        String field = (s.at().isEmpty() ? "" : s.at() + ".") + r.asString();
        assertThat(reply.status()).as("without " + field + ": " + reply.body()).isEqualTo(400);
        assertThat(reply.json().path("field").asString()).isEqualTo(field);
      }
    }
  }

  @Test
  void aFieldTheSchemaDoesNotDeclareIsRefusedNamingIt() {
    for (Sample s : SAMPLES) {
      ObjectNode body = (ObjectNode) Json.MAPPER.readTree(s.body());
      bodyAt(body, s.at()).put("colour", "blue");
      var reply = send(s, Json.write(body));
      String field = (s.at().isEmpty() ? "" : s.at() + ".") + "colour";
      assertThat(reply.status()).as(s.schema() + " with colour").isEqualTo(400);
      assertThat(reply.json().path("field").asString()).isEqualTo(field);
      assertThat(reply.json().path("detail").asString()).contains("unknown field '" + field + "'");
    }
  }

  /** The schemas a request body binds to: the closed ones (additionalProperties: false). */
  private static Set<String> requestSchemas() {
    var names = new TreeSet<String>();
    for (Map.Entry<String, JsonNode> e : schemas().properties()) {
      if (e.getValue().path("additionalProperties").isBoolean()
          && !e.getValue().path("additionalProperties").asBoolean()) {
        names.add(e.getKey());
      }
    }
    assertThat(names)
        .as("every request schema has a sample")
        .isEqualTo(new TreeSet<>(SAMPLES.stream().map(Sample::schema).toList()));
    return names;
  }

  private static JsonNode schemas() {
    return OpenApiDocs.tree().path("components").path("schemas");
  }

  private static JsonNode schema(String name) {
    return schemas().path(name);
  }

  /** The object at {@code at} ({@code ""}, {@code job}, {@code jobs[0]}) inside {@code body}. */
  private static ObjectNode bodyAt(JsonNode body, String at) {
    JsonNode node = body;
    for (String step : at.isEmpty() ? new String[0] : at.split("\\.")) {
      if (step.endsWith("]")) {
        int open = step.indexOf('[');
        node =
            node.path(step.substring(0, open))
                .path(Integer.parseInt(step.substring(open + 1, step.length() - 1)));
      } else {
        node = node.path(step);
      }
    }
    return (ObjectNode) node;
  }

  private static ServerFixture.Reply send(Sample s, String body) {
    return fx.send(s.method(), s.path(), fx.keys.get(Role.ADMIN), body, "application/json");
  }
}
