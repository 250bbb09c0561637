package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.access.Role;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The REST API against a real server on a loopback port: every endpoint's main behaviour. */
class ServerApiTest {
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
  void submitsAJobThatRunsAndCanBeReadBack() {
    var r =
        fx.post(
            "/api/v1/jobs",
            Role.OPERATOR,
            "{\"type\":\"demo.echo\",\"payload\":{\"message\":\"hi\"},\"tags\":[\"t1\"],"
                + "\"priority\":5,\"retry\":{\"backoff\":\"fixed\",\"delay\":\"PT1S\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode job = r.json();
    String id = job.get("id").asString();
    assertThat(job.get("type").asString()).isEqualTo("demo.echo");
    assertThat(job.get("priority").asInt()).isEqualTo(5);
    assertThat(job.get("tags").get(0).asString()).isEqualTo("t1");
    assertThat(job.get("payload").get("message").asString()).isEqualTo("hi");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fx.get("/api/v1/jobs/" + id, Role.VIEWER)
                    .json()
                    .get("state")
                    .asString()
                    .equals("SUCCEEDED"));
    JsonNode done = fx.get("/api/v1/jobs/" + id, Role.VIEWER).json();
    assertThat(done.get("attempts").asInt()).isEqualTo(1);
    assertThat(done.get("finishedAt").isNull()).isFalse();
    assertThat(done.get("startedAt").isNull()).isFalse();
    JsonNode events = fx.get("/api/v1/jobs/" + id + "/events", Role.VIEWER).json();
    assertThat(events.get("items").size()).isGreaterThanOrEqualTo(2);
    assertThat(fx.get("/api/v1/jobs/" + id + "/logs", Role.VIEWER).status()).isEqualTo(200);
  }

  @Test
  void anIdempotencyKeySeenBeforeAnswersTheExistingJobWith200() {
    String body = "{\"type\":\"demo.noop\",\"payload\":{}}";
    var first =
        fx.send("POST", "/api/v1/jobs", fx.keys.get(Role.OPERATOR), body, "application/json");
    assertThat(first.status()).isEqualTo(201);
    var keyed =
        fx.send(
            "POST",
            "/api/v1/jobs",
            fx.keys.get(Role.OPERATOR),
            "{\"type\":\"demo.noop\",\"payload\":{},\"idempotencyKey\":\"order-42\"}",
            "application/json");
    assertThat(keyed.status()).isEqualTo(201);
    var again =
        fx.send(
            "POST",
            "/api/v1/jobs",
            fx.keys.get(Role.OPERATOR),
            "{\"type\":\"demo.noop\",\"payload\":{},\"idempotencyKey\":\"order-42\"}",
            "application/json");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("id").asString()).isEqualTo(keyed.json().get("id").asString());
  }

  @Test
  void batchSubmitsAllOrNothing() {
    var ok =
        fx.post(
            "/api/v1/jobs/batch",
            Role.OPERATOR,
            "{\"jobs\":[{\"type\":\"demo.noop\",\"payload\":{}},{\"type\":\"demo.noop\",\"payload\":{}}]}");
    assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    assertThat(ok.json().get("items").size()).isEqualTo(2);
    var bad =
        fx.post(
            "/api/v1/jobs/batch",
            Role.OPERATOR,
            "{\"jobs\":[{\"type\":\"demo.noop\",\"payload\":{}},{\"type\":\"nope.none\",\"payload\":{}}]}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    assertThat(bad.json().get("field").asString()).isEqualTo("jobs[1].type");
  }

  @Test
  void listsPageWithACursorAndFilterByState() {
    for (int i = 0; i < 5; i++) {
      fx.post(
          "/api/v1/jobs",
          Role.OPERATOR,
          "{\"type\":\"demo.sleep\",\"payload\":{\"ms\":1},\"delay\":\"PT1H\"}");
    }
    var page1 = fx.get("/api/v1/jobs?state=SCHEDULED&limit=2", Role.VIEWER).json();
    assertThat(page1.get("items").size()).isEqualTo(2);
    String cursor = page1.get("nextCursor").asString();
    var page2 = fx.get("/api/v1/jobs?state=SCHEDULED&limit=2&cursor=" + cursor, Role.VIEWER).json();
    assertThat(page2.get("items").get(0).get("id").asString())
        .isLessThan(page1.get("items").get(1).get("id").asString());
    page2.get("items").forEach(j -> assertThat(j.get("state").asString()).isEqualTo("SCHEDULED"));
  }

  @Test
  void cancelsAWaitingJobAndRefusesAFinishedOne() {
    String id =
        fx.post(
                "/api/v1/jobs",
                Role.OPERATOR,
                "{\"type\":\"demo.noop\",\"payload\":{},\"delay\":\"PT1H\"}")
            .json()
            .get("id")
            .asString();
    var r = fx.post("/api/v1/jobs/" + id + "/cancel", Role.OPERATOR, null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("state").asString()).isEqualTo("CANCELLED");
    assertThat(fx.post("/api/v1/jobs/" + id + "/cancel", Role.OPERATOR, null).status())
        .isEqualTo(409);
    assertThat(
            fx.post("/api/v1/jobs/0190b3c2-0000-7000-8000-000000000000/cancel", Role.OPERATOR, null)
                .status())
        .isEqualTo(404);
  }

  @Test
  void describesHandlersWithTheirPayloadSchema() {
    var all = fx.get("/api/v1/handlers", Role.VIEWER).json();
    assertThat(all.get("items").toString()).contains("media.thumbnail", "demo.echo");
    var one = fx.get("/api/v1/handlers/media/thumbnail", Role.VIEWER).json();
    JsonNode schema = one.get("payloadSchema");
    assertThat(schema.get("properties").get("width").get("type").asString()).isEqualTo("integer");
    assertThat(schema.get("properties").get("formats").get("type").asString()).isEqualTo("array");
    assertThat(one.get("retry").get("maxAttempts").asInt()).isEqualTo(2);
    assertThat(one.get("nodes").size()).isEqualTo(1);
    assertThat(fx.get("/api/v1/handlers/nope", Role.VIEWER).status()).isEqualTo(404);
    assertThat(fx.get("/api/v1/handlers/media/nope", Role.VIEWER).status()).isEqualTo(404);
  }

  @Test
  void nodesQueuesAndStats() {
    var nodes = fx.get("/api/v1/nodes", Role.VIEWER).json().get("items");
    assertThat(nodes.size()).isEqualTo(1);
    assertThat(nodes.get(0).get("name").asString()).isEqualTo(fx.server.taskmill().nodeId());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fx.get("/api/v1/nodes", Role.VIEWER)
                    .json()
                    .get("items")
                    .get(0)
                    .get("leader")
                    .asBoolean());
    assertThat(fx.get("/api/v1/nodes/" + fx.server.taskmill().nodeId(), Role.VIEWER).status())
        .isEqualTo(200);
    assertThat(
            fx.post("/api/v1/queues/default/pause", Role.OPERATOR, null)
                .json()
                .get("paused")
                .asBoolean())
        .isTrue();
    var queue = fx.get("/api/v1/queues", Role.VIEWER).json().get("items").get(0);
    assertThat(queue.get("name").asString()).isEqualTo("default");
    assertThat(queue.get("paused").asBoolean()).isTrue();
    assertThat(queue.get("depth").has("ENQUEUED")).isTrue();
    assertThat(queue.has("lagSeconds")).isTrue();
    assertThat(queue.has("throughputPerSecond")).isTrue();
    fx.post("/api/v1/queues/default/resume", Role.OPERATOR, null);
    assertThat(fx.post("/api/v1/queues/nope/pause", Role.OPERATOR, null).status()).isEqualTo(404);
    assertThat(fx.get("/api/v1/stats", Role.VIEWER).json().get("byState").has("DEAD")).isTrue();
  }

  @Test
  void statsShowThroughputAndFailureRateOfRecentWindowsByType() {
    var ok = new ArrayList<String>();
    for (int i = 0; i < 3; i++) {
      ok.add(
          fx.post("/api/v1/jobs", Role.OPERATOR, "{\"type\":\"demo.echo\",\"payload\":{}}")
              .json()
              .get("id")
              .asString());
    }
    String failing =
        fx.post(
                "/api/v1/jobs",
                Role.OPERATOR,
                "{\"type\":\"demo.fail\",\"payload\":{\"times\":-1},\"maxAttempts\":1}")
            .json()
            .get("id")
            .asString();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ok.stream()
                        .allMatch(
                            id ->
                                fx.get("/api/v1/jobs/" + id, Role.VIEWER)
                                    .json()
                                    .get("state")
                                    .asString()
                                    .equals("SUCCEEDED"))
                    && fx.get("/api/v1/jobs/" + failing, Role.VIEWER)
                        .json()
                        .get("state")
                        .asString()
                        .equals("DEAD"));

    JsonNode stats = fx.get("/api/v1/stats", Role.VIEWER).json();

    assertThat(stats.get("byType").get("demo.fail").get("DEAD").asLong()).isGreaterThanOrEqualTo(1);
    JsonNode windows = stats.get("windows");
    assertThat(windows.propertyNames()).containsExactly("PT1M", "PT5M", "PT15M", "PT1H");
    JsonNode minute = windows.get("PT1M");
    long succeeded = minute.get("succeeded").asLong();
    long dead = minute.get("dead").asLong();
    assertThat(minute.get("byType").get("demo.echo").get("succeeded").asLong())
        .isGreaterThanOrEqualTo(3);
    assertThat(minute.get("byType").get("demo.fail").get("failureRate").asDouble()).isEqualTo(1.0);
    assertThat(minute.get("byType").get("demo.echo").get("failureRate").asDouble()).isZero();
    assertThat(minute.get("failureRate").asDouble())
        .isCloseTo(dead / (double) (succeeded + dead), org.assertj.core.data.Offset.offset(1e-9));
    long finished = succeeded + dead + minute.get("cancelled").asLong();
    assertThat(minute.get("throughputPerSecond").asDouble())
        .isCloseTo(finished / 60.0, org.assertj.core.data.Offset.offset(1e-9));
    // A longer window holds at least what a shorter one does.
    assertThat(windows.get("PT1H").get("succeeded").asLong()).isGreaterThanOrEqualTo(succeeded);
    assertThat(windows.get("PT1H").get("dead").asLong()).isGreaterThanOrEqualTo(dead);
  }

  @Test
  void healthAndMetrics() {
    assertThat(fx.send("GET", "/health/live", null, null, null).status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fx.send("GET", "/health/ready", null, null, null).status() == 200);
    assertThat(fx.send("GET", "/health/status", null, null, null).status()).isEqualTo(401);
    assertThat(fx.get("/health/status", Role.VIEWER).json().get("status").asString())
        .isEqualTo("UP");
    var metrics = fx.get("/metrics", Role.VIEWER);
    assertThat(metrics.body())
        .contains(
            "taskmill_jobs_by_state", "jvm_memory_used_bytes", "http_server_requests_seconds");
    fx.post("/api/v1/jobs", Role.OPERATOR, "{\"type\":\"demo.noop\",\"payload\":{}}");
    // Store figures are read at most every 5 s, so a new queue's gauges follow within that.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                fx.get("/metrics", Role.VIEWER)
                    .body()
                    .contains("taskmill_jobs_queue_depth{queue=\"default\",state=\"SUCCEEDED\"}"));
    assertThat(fx.get("/metrics", Role.VIEWER).body()).contains("taskmill_jobs_queue_lag_seconds");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                fx.get("/metrics", Role.VIEWER)
                    .body()
                    .contains(
                        "taskmill_jobs_completed_total{outcome=\"succeeded\",queue=\"default\","
                            + "type=\"demo.noop\"}"));
    assertThat(fx.get("/metrics", Role.VIEWER).body())
        .contains(
            "taskmill_jobs_enqueued_total",
            "taskmill_jobs_duration_seconds_bucket",
            "taskmill_jobs_queue_latency_seconds_count");
  }

  @Test
  void rolesAreEnforcedAndKeysCanBeRevoked() {
    var viewer = fx.post("/api/v1/jobs", Role.VIEWER, "{\"type\":\"demo.noop\",\"payload\":{}}");
    assertThat(viewer.status()).isEqualTo(403);
    assertThat(fx.get("/api/v1/keys", Role.OPERATOR).status()).isEqualTo(403);
    assertThat(fx.send("GET", "/api/v1/jobs", "tm_wrongwrongwr_x", null, null).status())
        .isEqualTo(401);
    var created = fx.post("/api/v1/keys", Role.ADMIN, "{\"name\":\"ci\",\"role\":\"viewer\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String secret = created.json().get("secret").asString();
    String id = created.json().get("id").asString();
    assertThat(fx.send("GET", "/api/v1/jobs", secret, null, null).status()).isEqualTo(200);
    assertThat(fx.get("/api/v1/keys", Role.ADMIN).body()).contains(id).doesNotContain(secret);
    assertThat(fx.post("/api/v1/keys/" + id + "/revoke", Role.ADMIN, null).status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fx.send("GET", "/api/v1/jobs", secret, null, null).status() == 401);
    var audit = fx.get("/api/v1/audit?limit=500", Role.ADMIN).json().get("items").toString();
    assertThat(audit).contains("key.create", "key.revoke", "job.submit");
    assertThat(audit).contains("\"outcome\":\"403\"");
  }

  @Test
  void retriesACancelledJobAndCancelsAndRetriesInBulkByTag() {
    String id =
        fx.post(
                "/api/v1/jobs",
                Role.OPERATOR,
                "{\"type\":\"demo.noop\",\"payload\":{},\"delay\":\"PT1H\"}")
            .json()
            .get("id")
            .asString();
    assertThat(fx.post("/api/v1/jobs/" + id + "/retry", Role.OPERATOR, null).status())
        .as("a waiting job is not retryable")
        .isEqualTo(409);
    fx.post("/api/v1/jobs/" + id + "/cancel", Role.OPERATOR, null);
    var retried = fx.post("/api/v1/jobs/" + id + "/retry", Role.OPERATOR, null);
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fx.get("/api/v1/jobs/" + id, Role.VIEWER)
                    .json()
                    .get("state")
                    .asString()
                    .equals("SUCCEEDED"));

    for (int i = 0; i < 3; i++) {
      fx.post(
          "/api/v1/jobs",
          Role.OPERATOR,
          "{\"type\":\"demo.noop\",\"payload\":{},\"delay\":\"PT1H\",\"tags\":[\"bulk-x\"]}");
    }
    assertThat(fx.get("/api/v1/jobs?tag=bulk-x", Role.VIEWER).json().get("items").size())
        .isEqualTo(3);
    assertThat(fx.post("/api/v1/jobs/cancel", Role.OPERATOR, null).status())
        .as("a bulk cancel needs a filter")
        .isEqualTo(400);
    var cancelled = fx.post("/api/v1/jobs/cancel?tag=bulk-x", Role.OPERATOR, null);
    assertThat(cancelled.json().get("changed").asInt()).as(cancelled.body()).isEqualTo(3);
    var again = fx.post("/api/v1/jobs/retry?tag=bulk-x&state=CANCELLED", Role.OPERATOR, null);
    assertThat(again.json().get("changed").asInt()).isEqualTo(3);
    assertThat(
            fx.get("/api/v1/jobs?tag=bulk-x&state=CANCELLED", Role.VIEWER)
                .json()
                .get("items")
                .size())
        .isZero();
  }
}
