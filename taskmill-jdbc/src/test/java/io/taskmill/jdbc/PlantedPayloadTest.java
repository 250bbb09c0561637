package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobState;
import io.taskmill.job.Retry;
import io.taskmill.testkit.store.PlantedRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * S4 of docs/testing.md, the worker's side: jobs whose payloads were written straight into {@code
 * tm_job} with SQL, around every check the engine and the API make on enqueue, name classes
 * ({@code @class}, a {@code ["java.lang.ProcessBuilder",{…}]} type-id array), nest 10,000 deep,
 * carry the largest string the column holds, or are missing. Each ends {@code DEAD} on its first
 * attempt with a {@code PayloadBindingException} saying why, the handler never sees it, and the
 * engine goes on running good jobs. A job of a type no node serves is never claimed: it stays
 * {@code ENQUEUED}, visible, and blocks nothing. Run on a real H2 file and on PostgreSQL.
 */
@ExtendWith(PgSessionTimeZone.class)
class PlantedPayloadTest {
  /** The registered handler's payload. */
  record Resize(String path, int width) {}

  /** A payload with a free-form part, which a parser must read into before binding can fail. */
  record Label(String name, Map<String, Object> attributes) {}

  /** Characters in {@code tm_job.payload} on both dialects (V1: {@code varchar(1048576)}). */
  static final int PAYLOAD_COLUMN_CHARS = 1 << 20;

  /** Marks a hostile payload that is planted as a {@code test.label} job. */
  static final String LABEL = "label: ";

  @TempDir Path dir;
  private final List<Record> handled = new CopyOnWriteArrayList<>();

  @Test
  void hostileRowsInAnH2FileDieWithoutRunningTheHandler() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("taskmill") + ";DB_CLOSE_ON_EXIT=FALSE";
    // The engine opens the file first; this JVM's second connection shares that open database.
    try (Taskmill tm = engine(Taskmill.builder().dataDir(dir));
        Connection c = DriverManager.getConnection(url)) {
      plantAndCheck(tm, c);
    }
  }

  @Test
  void hostileRowsInPostgresDieWithoutRunningTheHandler() throws Exception {
    String schema = PgStores.newSchema();
    try (Taskmill tm =
            engine(
                Taskmill.builder()
                    .jdbcUrl(PgStores.url(schema), PgStores.USER, PgStores.PASSWORD));
        Connection c = PgStores.connect(PgStores.url(schema))) {
      plantAndCheck(tm, c);
    } finally {
      PgStores.dropSchema(schema);
    }
  }

  private Taskmill engine(TaskmillBuilder b) {
    return b.pollInterval(
            Duration.ofMillis(50)) // planted rows send no wake-up; the poll finds them
        .queue("default", q -> q.concurrency(2))
        .handler(
            "test.resize",
            Resize.class,
            (p, ctx) -> handled.add(p),
            h -> h.retry(Retry.fixed(Duration.ZERO).maxAttempts(5)))
        .handler(
            "test.label",
            Label.class,
            (p, ctx) -> handled.add(p),
            h -> h.retry(Retry.fixed(Duration.ZERO).maxAttempts(5)))
        .start();
  }

  /** The hostile payloads, by name; every one is a valid row the column accepts. */
  private Map<String, String> hostilePayloads(Path marker) {
    var payloads = new LinkedHashMap<String, String>();
    payloads.put(
        "@class gadget",
        "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\","
            + "\"dataSourceName\":\"ldap://127.0.0.1:1389/Exploit\",\"autoCommit\":true}");
    payloads.put(
        "@class inside a field",
        "{\"path\":{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\","
            + "\"dataSourceName\":\"rmi://127.0.0.1/x\"},\"width\":1}");
    payloads.put(
        "type-id array",
        "[\"java.lang.ProcessBuilder\",{\"command\":[\"touch\",\"" + marker + "\"]}]");
    payloads.put(
        "10,000-deep nesting",
        "{\"path\":" + "[".repeat(10_000) + "]".repeat(10_000) + ",\"width\":1}");
    payloads.put(
        LABEL + "10,000-deep nesting",
        "{\"name\":\"n\",\"attributes\":"
            + "{\"a\":".repeat(10_000)
            + "1"
            + "}".repeat(10_000)
            + "}");
    payloads.put(LABEL + "type-id array", "[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]");
    String head = "{\"path\":\"p\",\"width\":\"";
    // The largest string the column holds, in a field that wants a number.
    payloads.put(
        "1 MiB string", head + "9".repeat(PAYLOAD_COLUMN_CHARS - head.length() - 2) + "\"}");
    payloads.put("trailing document", "{\"path\":\"p\",\"width\":1} [\"java.lang.Runtime\"]");
    payloads.put("not JSON", "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA==");
    payloads.put("JSON null", "null");
    payloads.put("NULL", null);
    return payloads;
  }

  private void plantAndCheck(Taskmill tm, Connection c) throws Exception {
    // The handler's retry policy as the engine stores it, so planted rows differ from real ones
    // only in their payloads.
    JobId template = tm.enqueue("test.resize", new Resize("template", 1), JobOptions.defaults());
    await().atMost(Duration.ofSeconds(20)).until(() -> state(tm, template) == JobState.SUCCEEDED);
    String retryPolicy = column(c, template, "retry_policy");
    handled.clear();

    Path marker = dir.resolve("process-builder-ran");
    var hostile = new LinkedHashMap<String, JobId>();
    hostilePayloads(marker)
        .forEach(
            (name, payload) ->
                hostile.put(
                    name,
                    plant(
                        c,
                        name.startsWith(LABEL) ? "test.label" : "test.resize",
                        payload,
                        retryPolicy)));
    JobId unknown =
        plant(c, "evil.unknown", "{\"@class\":\"java.lang.ProcessBuilder\"}", retryPolicy);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> hostile.values().stream().allMatch(id -> state(tm, id).isTerminal()));
    for (var e : hostile.entrySet()) {
      Job job = tm.jobs().get(e.getValue()).orElseThrow();
      assertThat(job.state()).as(e.getKey()).isEqualTo(JobState.DEAD);
      assertThat(job.attempt()).as(e.getKey() + ": one attempt of 5, never retried").isEqualTo(1);
      assertThat(job.lastError())
          .as(e.getKey())
          .startsWith("io.taskmill.PayloadBindingException: payload ")
          .doesNotContain("StackOverflowError")
          .doesNotContain("OutOfMemoryError");
      assertThat(job.lastError().length())
          .as(e.getKey() + ": the error is clipped, not the payload")
          .isLessThan(2_000);
      assertThat(tm.jobs().events(e.getValue()))
          .extracting(JobEvent::to)
          .as(e.getKey())
          .containsExactly(JobState.ENQUEUED, JobState.RUNNING, JobState.DEAD);
    }
    assertThat(tm.jobs().get(hostile.get("@class gadget")).orElseThrow().lastError())
        .contains("does not bind to " + Resize.class.getName())
        .contains("\"@class\"");
    assertThat(tm.jobs().get(hostile.get("type-id array")).orElseThrow().lastError())
        .contains("from Array value");
    assertThat(tm.jobs().get(hostile.get("10,000-deep nesting")).orElseThrow().lastError())
        .contains("from Array value");
    assertThat(tm.jobs().get(hostile.get(LABEL + "10,000-deep nesting")).orElseThrow().lastError())
        .contains("does not bind to " + Label.class.getName())
        .contains("nesting depth");
    assertThat(tm.jobs().get(hostile.get("NULL")).orElseThrow().lastError())
        .contains("payload is missing (NULL in the store)");
    assertThat(handled).as("the handler never ran for a hostile payload").isEmpty();
    assertThat(marker).doesNotExist();

    // The engine keeps working: enqueued and planted good jobs both run.
    JobId good = tm.enqueue("test.resize", new Resize("after", 2), JobOptions.defaults());
    JobId plantedGood = plant(c, "test.resize", "{\"path\":\"planted\",\"width\":3}", retryPolicy);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                state(tm, good) == JobState.SUCCEEDED
                    && state(tm, plantedGood) == JobState.SUCCEEDED);
    assertThat(handled).containsExactlyInAnyOrder(new Resize("after", 2), new Resize("planted", 3));

    // No node serves evil.unknown, so none claims it: queued, harmless, visible.
    Job stranger = tm.jobs().get(unknown).orElseThrow();
    assertThat(stranger.state()).isEqualTo(JobState.ENQUEUED);
    assertThat(stranger.attempt()).isZero();
    assertThat(stranger.type()).isEqualTo("evil.unknown");
  }

  @Test
  void aPayloadLargerThanTheColumnCannotBePlanted() throws Exception {
    // 20 MB rather than 100 MB: the column refuses anything over 1 MiB characters, so a bigger
    // string proves nothing more and costs the build's heap and time (see docs/testing.md, S4).
    String big = "{\"path\":\"" + "x".repeat(20 << 20) + "\",\"width\":1}";
    String schema = PgStores.newSchema();
    try (var pgStore = PgStores.fresh(schema, 1);
        Connection pg = PgStores.connect(PgStores.url(schema));
        var h2Store = H2Stores.file(dir);
        Connection file =
            DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("taskmill") + ";DB_CLOSE_ON_EXIT=FALSE")) {
      for (Connection c : List.of(pg, file)) {
        assertThatThrownBy(() -> plantOrThrow(c, "test.resize", big, null))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("1048576");
      }
    }
  }

  private static JobState state(Taskmill tm, JobId id) {
    return tm.jobs().get(id).map(Job::state).orElseThrow();
  }

  private static String column(Connection c, JobId id, String column) throws SQLException {
    try (var ps = c.prepareStatement("SELECT " + column + " FROM tm_job WHERE id = ?")) {
      ps.setObject(1, id.value());
      try (var rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private static JobId plant(Connection c, String type, String payload, String retryPolicy) {
    try {
      return plantOrThrow(c, type, payload, retryPolicy);
    } catch (SQLException e) {
      throw new IllegalStateException("could not plant a " + type + " row: " + e, e);
    }
  }

  private static JobId plantOrThrow(Connection c, String type, String payload, String retryPolicy)
      throws SQLException {
    return PlantedRows.plant(c, type, payload, 5, retryPolicy);
  }
}
