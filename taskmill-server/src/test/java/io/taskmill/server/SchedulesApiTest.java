package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.access.Role;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/schedules} against a real server: the lifecycle, and every refusal naming its
 * field.
 */
class SchedulesApiTest {
  static ServerFixture fx;

  private static final String JOB = "\"job\":{\"type\":\"demo.noop\",\"payload\":{}}";

  @BeforeAll
  static void start() {
    fx = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static ServerFixture.Reply put(String name, Role role, String body) {
    return fx.send("PUT", "/api/v1/schedules/" + name, fx.keys.get(role), body, "application/json");
  }

  private static void assertProblem(ServerFixture.Reply r, int status, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    if (field == null) {
      assertThat(r.json().has("field")).as(r.body()).isFalse();
    } else {
      assertThat(r.json().get("field").asString()).as(r.body()).isEqualTo(field);
    }
  }

  @Test
  void createsReplacesAndReadsASchedule() {
    var created =
        put(
            "nightly",
            Role.ADMIN,
            "{\"cron\":\"30 2 * * *\",\"zone\":\"Europe/Berlin\","
                + "\"misfire\":\"fire_all(3)\",\"overlap\":\"skip\",\"job\":{\"type\":\"demo.echo\","
                + "\"payload\":{\"message\":\"hi\"},\"priority\":7,\"tags\":[\"night\"],"
                + "\"timeout\":\"PT5M\",\"maxAttempts\":4,\"retry\":{\"backoff\":\"fixed\"}}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode s = created.json();
    assertThat(s.get("name").asString()).isEqualTo("nightly");
    assertThat(s.get("cron").asString()).isEqualTo("30 2 * * *");
    assertThat(s.get("zone").asString()).isEqualTo("Europe/Berlin");
    assertThat(s.get("misfire").asString()).isEqualTo("fire_all(3)");
    assertThat(s.get("overlap").asString()).isEqualTo("skip");
    assertThat(s.get("paused").asBoolean()).isFalse();
    assertThat(s.get("nextFireAt").isNull()).isFalse();
    assertThat(s.get("job").get("type").asString()).isEqualTo("demo.echo");
    assertThat(s.get("job").get("priority").asInt()).isEqualTo(7);
    assertThat(s.get("job").get("maxAttempts").asInt()).isEqualTo(4);
    assertThat(s.get("job").get("timeout").asString()).isEqualTo("PT5M");
    assertThat(s.get("job").get("tags").get(0).asString()).isEqualTo("night");
    assertThat(s.get("job").get("payload").get("message").asString()).isEqualTo("hi");
    assertThat(s.has("createdAt") && s.has("updatedAt") && s.has("version")).isTrue();

    var replaced = put("nightly", Role.ADMIN, "{\"every\":\"PT1H\"," + JOB + "}");
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(replaced.json().get("every").asString()).isEqualTo("PT1H");
    assertThat(replaced.json().has("cron")).isFalse();
    assertThat(replaced.json().get("misfire").asString()).isEqualTo("fire_once");
    assertThat(replaced.json().get("overlap").asString()).isEqualTo("allow");
    assertThat(put("nightly", Role.ADMIN, "{\"every\":\"PT1H\"," + JOB + "}").status())
        .isEqualTo(200);

    var got = fx.get("/api/v1/schedules/nightly", Role.VIEWER);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().get("every").asString()).isEqualTo("PT1H");
    assertThat(got.json().get("job").get("type").asString()).isEqualTo("demo.noop");
  }

  @Test
  void aCronScheduleWithoutAZoneIsInUtc() {
    var r = put("utc-five", Role.ADMIN, "{\"cron\":\"0 */5 * * * *\"," + JOB + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("zone").asString()).isEqualTo("UTC");
    assertThat(r.json().get("cron").asString()).isEqualTo("0 */5 * * * *");
  }

  @Test
  void listsInNameOrderPageByPage() {
    for (String n : new String[] {"page-a", "page-b", "page-c", "page-d", "page-e"}) {
      assertThat(put(n, Role.ADMIN, "{\"every\":\"PT1H\"," + JOB + "}").status()).isEqualTo(201);
    }
    var names = new ArrayList<String>();
    String cursor = null;
    int pages = 0;
    do {
      var r =
          fx.get(
              "/api/v1/schedules?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
              Role.VIEWER);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode page = r.json();
      assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
      page.get("items").forEach(i -> names.add(i.get("name").asString()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
      pages++;
    } while (cursor != null && pages < 100);
    assertThat(names)
        .isSorted()
        .doesNotHaveDuplicates()
        .contains("page-a", "page-b", "page-c", "page-d", "page-e");
    assertThat(pages).isGreaterThanOrEqualTo(3);
  }

  @Test
  void pausesAndResumes() {
    assertThat(put("pausable", Role.ADMIN, "{\"every\":\"PT1H\"," + JOB + "}").status())
        .isEqualTo(201);
    var paused = fx.post("/api/v1/schedules/pausable/pause", Role.ADMIN, null);
    assertThat(paused.status()).as(paused.body()).isEqualTo(200);
    assertThat(paused.json().get("paused").asBoolean()).isTrue();
    assertThat(fx.get("/api/v1/schedules/pausable", Role.VIEWER).json().get("paused").asBoolean())
        .isTrue();
    // A PUT without "paused" keeps the state; with it, sets it.
    assertThat(
            put("pausable", Role.ADMIN, "{\"every\":\"PT2H\"," + JOB + "}")
                .json()
                .get("paused")
                .asBoolean())
        .isTrue();
    var resumed = fx.post("/api/v1/schedules/pausable/resume", Role.ADMIN, null);
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().get("paused").asBoolean()).isFalse();
    var putPaused = put("pausable", Role.ADMIN, "{\"every\":\"PT2H\",\"paused\":true," + JOB + "}");
    assertThat(putPaused.status()).isEqualTo(200);
    assertThat(putPaused.json().get("paused").asBoolean()).isTrue();
  }

  @Test
  void triggerCreatesAJobRecordedInTheRuns() {
    assertThat(
            put("by-hand", Role.ADMIN, "{\"every\":\"PT1H\",\"paused\":true," + JOB + "}").status())
        .isEqualTo(201);
    var t = fx.post("/api/v1/schedules/by-hand/trigger", Role.ADMIN, null);
    assertThat(t.status()).as(t.body()).isEqualTo(201);
    String id = t.json().get("id").asString();
    assertThat(t.json().get("type").asString()).isEqualTo("demo.noop");
    assertThat(t.json().get("schedule").asString()).isEqualTo("by-hand");
    var job = fx.get("/api/v1/jobs/" + id, Role.VIEWER);
    assertThat(job.status()).isEqualTo(200);
    var runs = fx.get("/api/v1/schedules/by-hand/runs?limit=10", Role.VIEWER);
    assertThat(runs.status()).as(runs.body()).isEqualTo(200);
    JsonNode first = runs.json().get("items").get(0);
    assertThat(first.get("outcome").asString()).isEqualTo("MANUAL");
    assertThat(first.get("jobId").asString()).isEqualTo(id);
  }

  @Test
  void deletesASchedule() {
    assertThat(put("doomed", Role.ADMIN, "{\"every\":\"PT1H\"," + JOB + "}").status())
        .isEqualTo(201);
    var gone = fx.send("DELETE", "/api/v1/schedules/doomed", fx.keys.get(Role.ADMIN), null, null);
    assertThat(gone.status()).isEqualTo(204);
    assertThat(gone.body()).isEmpty();
    assertProblem(
        fx.send("DELETE", "/api/v1/schedules/doomed", fx.keys.get(Role.ADMIN), null, null),
        404,
        null);
    assertProblem(fx.get("/api/v1/schedules/doomed", Role.VIEWER), 404, null);
  }

  @Test
  void unknownSchedulesAre404() {
    assertProblem(fx.get("/api/v1/schedules/nobody", Role.VIEWER), 404, null);
    assertProblem(fx.post("/api/v1/schedules/nobody/pause", Role.ADMIN, null), 404, null);
    assertProblem(fx.post("/api/v1/schedules/nobody/resume", Role.ADMIN, null), 404, null);
    assertProblem(fx.post("/api/v1/schedules/nobody/trigger", Role.ADMIN, null), 404, null);
    assertProblem(fx.get("/api/v1/schedules/nobody/runs", Role.VIEWER), 404, null);
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    var cron = put("bad", Role.ADMIN, "{\"cron\":\"0 61 * * *\"," + JOB + "}");
    assertProblem(cron, 422, "cron");
    assertThat(cron.json().get("detail").asString())
        .contains("field 2 (hour)", "out of range 0-23");
    var impossible = put("bad", Role.ADMIN, "{\"cron\":\"0 0 30 2 *\"," + JOB + "}");
    assertProblem(impossible, 422, "cron");
    var zone =
        put("bad", Role.ADMIN, "{\"cron\":\"0 0 * * *\",\"zone\":\"Europe/Berlyn\"," + JOB + "}");
    assertProblem(zone, 422, "zone");
    assertThat(zone.json().get("detail").asString()).contains("Europe/Berlin");
    assertProblem(
        put("bad", Role.ADMIN, "{\"cron\":\"0 0 * * *\",\"every\":\"PT1M\"," + JOB + "}"),
        400,
        "every");
    assertProblem(put("bad", Role.ADMIN, "{" + JOB + "}"), 400, "cron");
    assertProblem(put("bad", Role.ADMIN, "{\"every\":\"PT0.5S\"," + JOB + "}"), 422, "every");
    assertProblem(put("bad", Role.ADMIN, "{\"every\":\"soon\"," + JOB + "}"), 400, "every");
    assertProblem(
        put("bad", Role.ADMIN, "{\"every\":\"PT1H\",\"zone\":\"UTC\"," + JOB + "}"), 400, "zone");
    assertProblem(
        put("bad", Role.ADMIN, "{\"every\":\"PT1H\",\"misfire\":\"often\"," + JOB + "}"),
        422,
        "misfire");
    assertProblem(
        put("bad", Role.ADMIN, "{\"every\":\"PT1H\",\"misfire\":\"fire_all(0)\"," + JOB + "}"),
        422,
        "misfire");
    assertProblem(
        put("bad", Role.ADMIN, "{\"every\":\"PT1H\",\"overlap\":\"queue\"," + JOB + "}"),
        422,
        "overlap");
    assertProblem(
        put("bad", Role.ADMIN, "{\"every\":\"PT1H\",\"paused\":\"yes\"," + JOB + "}"),
        400,
        "paused");
    assertProblem(
        put("bad", Role.ADMIN, "{\"every\":\"PT1H\",\"colour\":\"red\"," + JOB + "}"),
        400,
        "colour");
    assertProblem(put("bad", Role.ADMIN, "{\"every\":\"PT1H\"}"), 400, "job");
    assertProblem(
        put(
            "bad",
            Role.ADMIN,
            "{\"every\":\"PT1H\",\"job\":{\"type\":\"nope.none\",\"payload\":{}}}"),
        422,
        "job.type");
    assertProblem(
        put(
            "bad",
            Role.ADMIN,
            "{\"every\":\"PT1H\",\"job\":{\"type\":\"demo.noop\",\"payload\":{},\"runAt\":"
                + "\"2030-01-01T00:00:00Z\"}}"),
        400,
        "job.runAt");
    assertProblem(
        put("bad", Role.ADMIN, "{\"every\":\"PT1H\",\"job\":{\"type\":\"demo.noop\"}}"),
        400,
        "job.payload");
    assertProblem(put("-bad", Role.ADMIN, "{\"every\":\"PT1H\"," + JOB + "}"), 400, "name");
    assertProblem(fx.get("/api/v1/schedules/bad%20name", Role.VIEWER), 400, "name");
    assertProblem(fx.get("/api/v1/schedules?colour=red", Role.VIEWER), 400, "colour");
    assertProblem(fx.get("/api/v1/schedules?cursor=%2F%2F", Role.VIEWER), 400, "cursor");
    assertProblem(fx.get("/api/v1/schedules?limit=0", Role.VIEWER), 400, "limit");
    assertProblem(fx.get("/api/v1/schedules/nightly/runs?cursor=x", Role.VIEWER), 400, "cursor");
    assertThat(fx.get("/api/v1/schedules/bad", Role.VIEWER).status()).isEqualTo(404);
  }

  @Test
  void onlyAdminsChangeSchedules() {
    String body = "{\"every\":\"PT1H\"," + JOB + "}";
    assertThat(put("guarded", Role.VIEWER, body).status()).isEqualTo(403);
    assertThat(put("guarded", Role.OPERATOR, body).status()).isEqualTo(403);
    assertThat(put("guarded", Role.ADMIN, body).status()).isEqualTo(201);
    assertThat(fx.post("/api/v1/schedules/guarded/trigger", Role.OPERATOR, null).status())
        .isEqualTo(403);
    assertThat(
            fx.send("DELETE", "/api/v1/schedules/guarded", fx.keys.get(Role.VIEWER), null, null)
                .status())
        .isEqualTo(403);
    assertThat(fx.get("/api/v1/schedules/guarded", Role.VIEWER).status()).isEqualTo(200);
  }
}
