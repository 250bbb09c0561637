package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.access.Role;
import io.taskmill.demo.DemoHandlers;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobQuery;
import io.taskmill.job.Retry;
import io.taskmill.schedule.ScheduleDefinition;
import io.taskmill.server.http.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * S2 of docs/server.md (BOLA) and S10: every role, limited to the queue {@value #OWN}, against
 * every route, once on an object of its own queue and once on an object of the foreign queue
 * {@value #FOREIGN}. Foreign objects answer 404 exactly as missing ones, lists and counts hold only
 * its queue, submitting elsewhere is 403, keys and the audit trail need an unscoped admin, and
 * every changing request leaves one audit row.
 */
class BolaMatrixTest {
  static final String OWN = "mail";
  static final String FOREIGN = "render";
  static final String OWN_SCHEDULE = "mail-hourly";
  static final String FOREIGN_SCHEDULE = "render-hourly";

  static ServerFixture fx;
  static final Map<Role, String> scoped = new EnumMap<>(Role.class);

  /** Changing requests {@link #check} sent for a missing object, to compare 404s. */
  static int missingChanges;

  enum Scope {
    OWN_QUEUE,
    FOREIGN_QUEUE
  }

  @BeforeAll
  static void start() {
    fx =
        new ServerFixture(
            ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withInMemory(),
            b -> b.queue(OWN, q -> q.concurrency(1)).queue(FOREIGN, q -> q.concurrency(1)));
    for (Role role : Role.values()) {
      scoped.put(role, fx.scopedKey(role, List.of(OWN)));
    }
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static String queueOf(Scope scope) {
    return scope == Scope.OWN_QUEUE ? OWN : FOREIGN;
  }

  /** A fresh job in the scope's queue, failing for good so it ends DEAD (retryable). */
  private static JobId job(Scope scope) {
    return fx.server
        .taskmill()
        .enqueue(
            DemoHandlers.FAIL,
            new DemoHandlers.Fail(-1),
            JobOptions.queue(queueOf(scope))
                .retry(Retry.fixed(Duration.ofMillis(1)).maxAttempts(1)));
  }

  /** Makes both schedules exist as the matrix expects (a DELETE may have removed one). */
  private static void schedules() {
    for (Scope s : Scope.values()) {
      fx.server
          .taskmill()
          .schedules()
          .put(
              ScheduleDefinition.every(schedule(s), Duration.ofHours(1))
                  .job(DemoHandlers.NOOP, new DemoHandlers.Noop(), JobOptions.queue(queueOf(s))));
    }
  }

  private static String schedule(Scope scope) {
    return scope == Scope.OWN_QUEUE ? OWN_SCHEDULE : FOREIGN_SCHEDULE;
  }

  private static String submission(String queue) {
    return "{\"type\":\"demo.noop\",\"payload\":{},\"queue\":\"" + queue + "\"}";
  }

  /** A request of the matrix: the path and body for the route in the scope. */
  record Call(String path, String body, String missingPath) {}

  private static Call call(Route route, Scope scope) {
    String t = route.template();
    String queue = queueOf(scope);
    String path = t;
    String missing = null;
    String body = route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
    if (t.startsWith("/api/v1/jobs/{id}")) {
      path = t.replace("{id}", job(scope).toString());
      missing = t.replace("{id}", JobId.newId(System.currentTimeMillis()).toString());
    } else if (t.startsWith("/api/v1/queues/{name}")) {
      path = t.replace("{name}", queue);
      missing = t.replace("{name}", "nope");
    } else if (t.startsWith("/api/v1/schedules/{name}")) {
      schedules();
      path = t.replace("{name}", schedule(scope));
      missing = t.replace("{name}", "nope-hourly");
      if (route.method().equals("PUT")) {
        // Always declared for the own queue: only the schedule it replaces differs.
        body = "{\"every\":\"PT1H\",\"job\":" + submission(OWN) + "}";
      }
    } else if (t.equals("/api/v1/jobs")) {
      if (route.method().equals("POST")) {
        body = submission(queue);
      } else {
        job(Scope.OWN_QUEUE);
        job(Scope.FOREIGN_QUEUE);
        path = t + "?queue=" + queue;
      }
    } else if (t.equals("/api/v1/jobs/batch")) {
      body = "{\"jobs\":[" + submission(OWN) + "," + submission(queue) + "]}";
    } else if (t.equals("/api/v1/jobs/cancel") || t.equals("/api/v1/jobs/retry")) {
      job(Scope.OWN_QUEUE);
      job(Scope.FOREIGN_QUEUE);
      path = t + "?queue=" + queue;
    } else if (t.equals("/api/v1/nodes/{id}")) {
      path = t.replace("{id}", fx.server.taskmill().nodeId());
    } else if (t.startsWith("/api/v1/handlers/")) {
      path = t.replace("{namespace}", "demo").replace("{name}", "noop");
    } else if (t.equals("/api/v1/keys/{id}/revoke")) {
      path = t.replace("{id}", "aaaaaaaaaaaa");
    } else if (t.equals("/api/v1/keys")) {
      body = "{\"name\":\"made by a scoped key\",\"role\":\"viewer\",\"queues\":[\"" + OWN + "\"]}";
    }
    return new Call(path, body, missing);
  }

  private static boolean objectRoute(Route route) {
    return route.template().matches("/api/v1/(jobs/\\{id}|queues/\\{name}|schedules/\\{name}).*");
  }

  private static boolean unscopedOnly(Route route) {
    return route.template().startsWith("/api/v1/keys")
        || route.template().equals("/api/v1/audit")
        || route.template().equals("/metrics");
  }

  private static boolean submitRoute(Route route) {
    return route.method().equals("POST")
        && (route.template().equals("/api/v1/jobs")
            || route.template().equals("/api/v1/jobs/batch"));
  }

  @Test
  void everyScopedRoleMeetsEveryRouteOnOwnAndForeignQueuesAndEveryChangeIsAudited() {
    var deviations = new ArrayList<String>();
    int changes = 0;
    long auditBefore = auditCount();
    for (Route route : fx.server.router().routes()) {
      if (route.role() == null || route.template().equals("/api/v1/events")) {
        continue; // open routes; the event stream is covered by EventStreamTest
      }
      for (Role role : Role.values()) {
        for (Scope scope : Scope.values()) {
          Call c = call(route, scope);
          var reply =
              fx.send(
                  route.method(),
                  c.path(),
                  scoped.get(role),
                  c.body(),
                  c.body() == null ? null : "application/json");
          if (route.action() != null) {
            changes++;
          }
          String where = role.text() + " " + scope + " " + route.method() + " " + c.path();
          String deviation = check(route, role, scope, c, reply);
          if (deviation != null) {
            deviations.add(where + " -> " + reply.status() + ": " + deviation + " " + reply.body());
          }
        }
      }
    }
    changes += missingChanges;
    assertThat(deviations).isEmpty();
    assertThat(auditCount() - auditBefore)
        .as("one audit row per changing request")
        .isEqualTo(changes);
    List<AuditEntry> rows =
        fx.server.taskmill().access().audit(AuditQuery.latest(AuditQuery.MAX_LIMIT));
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.keyId()).isNotNull();
              assertThat(r.action()).isNotBlank();
              assertThat(r.outcome()).isNotBlank();
              assertThat(r.at()).isNotNull();
            });
    assertThat(rows).anyMatch(r -> r.outcome().equals("404"));
    assertThat(rows).anyMatch(r -> r.outcome().equals("403"));
  }

  /** What is wrong with the reply, or null when it is as the model says. */
  private static String check(
      Route route, Role role, Scope scope, Call c, ServerFixture.Reply reply) {
    int status = reply.status();
    if (!role.allows(route.role()) || unscopedOnly(route)) {
      return status == 403 ? null : "expected 403";
    }
    if (scope == Scope.FOREIGN_QUEUE && objectRoute(route)) {
      if (status != 404) {
        return "expected 404 for a foreign object";
      }
      if (route.method().equals("PUT")) {
        return null; // a PUT of a missing schedule creates it: nothing to compare
      }
      if (route.action() != null) {
        missingChanges++;
      }
      var missing =
          fx.send(
              route.method(),
              c.missingPath(),
              scoped.get(role),
              c.body(),
              c.body() == null ? null : "application/json");
      return sameProblem(reply, c.path(), missing, c.missingPath())
          ? null
          : "differs from the 404 of a missing object: " + missing.body();
    }
    if (scope == Scope.FOREIGN_QUEUE && submitRoute(route)) {
      return status == 403
              && reply.body().contains("'" + FOREIGN + "'")
              && reply.body().contains(OWN)
          ? null
          : "expected 403 naming the queues";
    }
    if (status != 409 && (status < 200 || status > 299)) {
      return "expected success (or 409 for a job in the wrong state)";
    }
    return leak(route, reply);
  }

  /** A successful reply that shows anything of the foreign queue. */
  private static String leak(Route route, ServerFixture.Reply reply) {
    if (!reply.contentType().startsWith("application/json")) {
      return null;
    }
    JsonNode json = reply.json();
    String t = route.template();
    if (route.method().equals("GET")
        && (t.equals("/api/v1/jobs")
            || t.equals("/api/v1/queues")
            || t.equals("/api/v1/schedules"))) {
      for (JsonNode item : json.get("items")) {
        String queue =
            t.equals("/api/v1/queues")
                ? item.get("name").asString()
                : t.equals("/api/v1/schedules")
                    ? item.get("job").get("queue").asString()
                    : item.get("queue").asString();
        if (!queue.equals(OWN)) {
          return "lists queue " + queue;
        }
      }
    }
    if (t.equals("/api/v1/stats")) {
      long own =
          fx.server.taskmill().queues().stats(Instant.now()).stream()
              .filter(q -> q.queue().equals(OWN))
              .mapToLong(q -> q.counts().values().stream().mapToLong(Long::longValue).sum())
              .sum();
      long shown = 0;
      for (var e : json.get("byState").properties()) {
        shown += e.getValue().asLong();
      }
      long shownByType = 0;
      for (var type : json.get("byType").properties()) {
        for (var e : type.getValue().properties()) {
          shownByType += e.getValue().asLong();
        }
      }
      // Jobs keep moving while the matrix runs; foreign ones would show as a large surplus.
      if (shownByType != shown || shown > own + 5) {
        return "stats count "
            + shown
            + " jobs ("
            + shownByType
            + " by type), the own queue holds "
            + own;
      }
    }
    return null;
  }

  /** Whether two problem bodies are the same once their own path and id or name are blanked. */
  private static boolean sameProblem(
      ServerFixture.Reply a, String pathA, ServerFixture.Reply b, String pathB) {
    if (a.status() != b.status() || !a.contentType().equals(b.contentType())) {
      return false;
    }
    return blank(a.json(), pathA).equals(blank(b.json(), pathB));
  }

  private static JsonNode blank(JsonNode problem, String path) {
    ObjectNode copy = (ObjectNode) problem.deepCopy();
    copy.remove("instance");
    String subject = path.split("/")[4];
    copy.put("detail", copy.get("detail").asString().replace(subject, "X"));
    return copy;
  }

  @Test
  void aScopedKeyCannotSubmitToAForeignQueueInABatchAndNothingOfTheBatchIsWritten() {
    String tag = "batch-" + System.nanoTime();
    String body =
        "{\"jobs\":[{\"type\":\"demo.noop\",\"payload\":{},\"queue\":\""
            + OWN
            + "\",\"tags\":[\""
            + tag
            + "\"]},{\"type\":\"demo.noop\",\"payload\":{},\"tags\":[\""
            + tag
            + "\"]}]}";

    var reply =
        fx.send("POST", "/api/v1/jobs/batch", scoped.get(Role.OPERATOR), body, "application/json");

    assertThat(reply.status()).as(reply.body()).isEqualTo(403);
    assertThat(reply.json().get("detail").asString())
        .contains("may only use the queues " + OWN)
        .contains("queue 'default'");
    assertThat(reply.json().get("field").asString()).isEqualTo("jobs[1].queue");
    assertThat(fx.server.taskmill().jobs().list(JobQuery.all(10).withTag(tag))).isEmpty();
  }

  @Test
  void aScopedKeyCannotDeclareAScheduleForAForeignQueue() {
    var reply =
        fx.send(
            "PUT",
            "/api/v1/schedules/new-render",
            scoped.get(Role.ADMIN),
            "{\"every\":\"PT1H\",\"job\":" + submission(FOREIGN) + "}",
            "application/json");

    assertThat(reply.status()).as(reply.body()).isEqualTo(403);
    assertThat(reply.json().get("field").asString()).isEqualTo("job.queue");
    assertThat(fx.server.taskmill().schedules().get("new-render")).isEmpty();
  }

  @Test
  void aScopedBulkCancelWithoutAQueueFilterLeavesForeignJobsAlone() {
    fx.server.taskmill().queues().pause(OWN);
    fx.server.taskmill().queues().pause(FOREIGN);
    try {
      String tag = "bulk-" + System.nanoTime();
      JobId own =
          fx.server
              .taskmill()
              .enqueue(DemoHandlers.NOOP, new DemoHandlers.Noop(), JobOptions.queue(OWN).tags(tag));
      JobId foreign =
          fx.server
              .taskmill()
              .enqueue(
                  DemoHandlers.NOOP, new DemoHandlers.Noop(), JobOptions.queue(FOREIGN).tags(tag));

      var reply =
          fx.send("POST", "/api/v1/jobs/cancel?tag=" + tag, scoped.get(Role.OPERATOR), null, null);

      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      assertThat(reply.json().get("examined").asInt()).isEqualTo(1);
      assertThat(fx.server.taskmill().jobs().get(own).orElseThrow().state().name())
          .isEqualTo("CANCELLED");
      assertThat(fx.server.taskmill().jobs().get(foreign).orElseThrow().state().name())
          .isEqualTo("ENQUEUED");
    } finally {
      fx.server.taskmill().queues().resume(OWN);
      fx.server.taskmill().queues().resume(FOREIGN);
    }
  }

  @Test
  void keyCreationChecksTheQueuesAndTheNewKeyIsScopedAtOnce() {
    String[][] bad = {
      {"[]", "422", "queues is empty"},
      {"\"mail\"", "400", "queues must be an array of strings"},
      {"null", "400", "leave it out for a key that may use every queue"},
      {"[\"mail\",\"Mail!\"]", "422", "queues[1] 'Mail!' is not a queue name"},
      {"[\"mail\",\"mail\"]", "422", "names 'mail' twice"},
      {"[\"mail\",7]", "400", "queues[1] must be a string"}
    };
    for (String[] b : bad) {
      var reply =
          fx.post(
              "/api/v1/keys",
              Role.ADMIN,
              "{\"name\":\"x\",\"role\":\"viewer\",\"queues\":" + b[0] + "}");
      assertThat(reply.status()).as(b[0] + ": " + reply.body()).isEqualTo(Integer.parseInt(b[1]));
      assertThat(reply.json().get("detail").asString()).contains(b[2]);
      assertThat(reply.json().get("field").asString()).startsWith("queues");
    }

    var made =
        fx.post(
            "/api/v1/keys",
            Role.ADMIN,
            "{\"name\":\"render only\",\"role\":\"viewer\",\"queues\":[\"" + FOREIGN + "\"]}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(made.json().get("queues").toString()).isEqualTo("[\"" + FOREIGN + "\"]");
    String secret = made.json().get("secret").asString();
    JobId own = job(Scope.OWN_QUEUE);
    JobId foreign = job(Scope.FOREIGN_QUEUE);
    assertThat(fx.send("GET", "/api/v1/jobs/" + foreign, secret, null, null).status())
        .isEqualTo(200);
    assertThat(fx.send("GET", "/api/v1/jobs/" + own, secret, null, null).status()).isEqualTo(404);
  }

  @Test
  void anIdempotencyKeyHeldByAForeignJobDoesNotRevealThatJob() {
    String key = "idem-" + System.nanoTime();
    var foreign =
        fx.post(
            "/api/v1/jobs",
            Role.OPERATOR,
            "{\"type\":\"demo.noop\",\"payload\":{},"
                + "\"queue\":\""
                + FOREIGN
                + "\",\"idempotencyKey\":\""
                + key
                + "\"}");
    assertThat(foreign.status()).as(foreign.body()).isEqualTo(201);
    String foreignId = foreign.json().get("id").asString();
    String mine =
        "{\"type\":\"demo.noop\",\"payload\":{},\"queue\":\""
            + OWN
            + "\",\"idempotencyKey\":\""
            + key
            + "\"}";

    var single =
        fx.send("POST", "/api/v1/jobs", scoped.get(Role.OPERATOR), mine, "application/json");
    var batch =
        fx.send(
            "POST",
            "/api/v1/jobs/batch",
            scoped.get(Role.OPERATOR),
            "{\"jobs\":[" + mine + "]}",
            "application/json");

    assertThat(single.status()).as(single.body()).isEqualTo(409);
    assertThat(single.body()).doesNotContain(foreignId);
    assertThat(batch.status()).as(batch.body()).isEqualTo(201);
    assertThat(batch.body()).doesNotContain(foreignId);
    assertThat(batch.json().get("items").get(0).get("id").isNull()).isTrue();
  }

  @Test
  void anUnscopedKeyStillSeesEveryQueueAndKeysShowTheirScope() {
    JobId foreign = job(Scope.FOREIGN_QUEUE);
    assertThat(fx.get("/api/v1/jobs/" + foreign, Role.VIEWER).status()).isEqualTo(200);
    assertThat(
            fx.send("GET", "/api/v1/jobs/" + foreign, scoped.get(Role.VIEWER), null, null).status())
        .isEqualTo(404);

    var keys = fx.get("/api/v1/keys", Role.ADMIN);
    assertThat(keys.status()).isEqualTo(200);
    var scopes = new ArrayList<String>();
    keys.json().get("items").forEach(k -> scopes.add(k.get("queues").toString()));
    assertThat(scopes).contains("null", "[\"" + OWN + "\"]");
  }

  private static long auditCount() {
    long n = 0;
    Long before = null;
    while (true) {
      List<AuditEntry> page =
          fx.server
              .taskmill()
              .access()
              .audit(new AuditQuery(null, null, null, null, before, AuditQuery.MAX_LIMIT));
      n += page.size();
      if (page.size() < AuditQuery.MAX_LIMIT) {
        return n;
      }
      before = page.getLast().seq();
    }
  }
}
