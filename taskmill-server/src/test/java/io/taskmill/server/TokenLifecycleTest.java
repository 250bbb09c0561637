package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.taskmill.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * S9 of docs/server.md on PostgreSQL: three servers share one database; a key revoked on one is
 * refused by all three within 5 s; the database holds no secret in plain text, and no log line
 * (access log included) carries one.
 */
class TokenLifecycleTest {
  private static final String BASE = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private final String schema = "tm_s9_" + UUID.randomUUID().toString().replace("-", "");
  private final List<TaskmillServer> servers = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;

  @BeforeEach
  void start() throws Exception {
    try (var c = DriverManager.getConnection(BASE, "postgres", null)) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    }
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(ch.qos.logback.classic.Level.INFO);
    logs.start();
    root.addAppender(logs);
    for (String name : List.of("s9-a", "s9-b", "s9-c")) {
      servers.add(
          TaskmillServer.start(
              ServerConfig.defaults()
                  .withHost("127.0.0.1")
                  .withPort(0)
                  .withDb(BASE + "?currentSchema=" + schema, "postgres", null)
                  .withNodeName(name),
              b -> {}));
    }
  }

  @AfterEach
  void stop() throws Exception {
    servers.forEach(TaskmillServer::close);
    root.detachAppender(logs);
    root.setLevel(ch.qos.logback.classic.Level.WARN);
    try (var c = DriverManager.getConnection(BASE, "postgres", null)) {
      c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private int get(TaskmillServer server, String path, String key) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + path))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aRevokedKeyIsRefusedOnEveryNodeWithinFiveSecondsAndNoSecretIsStoredOrLogged()
      throws Exception {
    String admin = servers.getFirst().bootstrapSecret().orElseThrow();
    assertThat(servers.get(1).bootstrapSecret()).as("only the first start makes a key").isEmpty();
    var created =
        http.send(
            HttpRequest.newBuilder(URI.create(servers.get(1).uri() + "/api/v1/keys"))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ci\",\"role\":\"viewer\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    var json = Json.MAPPER.readTree(created.body());
    String secret = json.get("secret").asString();
    String id = json.get("id").asString();
    for (TaskmillServer s : servers) {
      assertThat(get(s, "/api/v1/jobs", secret)).isEqualTo(200);
    }

    var revoke =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(servers.get(2).uri() + "/api/v1/keys/" + id + "/revoke"))
                .header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(revoke.statusCode()).isEqualTo(200);
    long revokedAt = System.nanoTime();
    for (TaskmillServer s : servers) {
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> get(s, "/api/v1/jobs", secret) == 401);
    }
    System.out.printf(
        "S9: revoked key refused by all 3 nodes after %d ms%n",
        (System.nanoTime() - revokedAt) / 1_000_000);
    assertThat(get(servers.getFirst(), "/api/v1/jobs", admin)).isEqualTo(200);

    var dump = new StringBuilder();
    try (var c = DriverManager.getConnection(BASE + "?currentSchema=" + schema, "postgres", null);
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT k::text FROM tm_api_key k UNION ALL SELECT a::text FROM tm_audit a")) {
      while (rs.next()) {
        dump.append(rs.getString(1)).append('\n');
      }
    }
    assertThat(dump).contains(id).doesNotContain(secret).doesNotContain(admin);
    assertThat(logs.list)
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.getFormattedMessage()).doesNotContain(secret).doesNotContain(admin);
              assertThat(e.getMDCPropertyMap().toString()).doesNotContain(secret);
            });
  }
}
