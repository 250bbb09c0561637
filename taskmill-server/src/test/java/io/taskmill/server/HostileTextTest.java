package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.access.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S13 and S4 of docs/server.md for API output: script tags, CR/LF and ANSI escapes in payloads,
 * errors and names come back as inert JSON text, never raw control characters or HTML; payloads
 * that name classes are refused.
 */
class HostileTextTest {
  static ServerFixture fx;
  static final String HOSTILE = "<script>alert(1)</script>\\r\\nFAKE 200 OK\\u001b[31mred";

  @BeforeAll
  static void start() {
    fx = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void hostileTextInAPayloadComesBackAsEscapedJson() throws Exception {
    var r =
        fx.post(
            "/api/v1/jobs",
            Role.OPERATOR,
            "{\"type\":\"demo.echo\",\"payload\":{\"message\":\""
                + HOSTILE
                + "\"},\"tags\":[\""
                + HOSTILE
                + "\"]}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String id = r.json().get("id").asString();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fx.get("/api/v1/jobs/" + id, Role.VIEWER)
                    .json()
                    .get("state")
                    .asString()
                    .equals("SUCCEEDED"));
    var got =
        fx.http.send(
            HttpRequest.newBuilder(URI.create(fx.server.uri() + "/api/v1/jobs/" + id))
                .header("Authorization", "Bearer " + fx.keys.get(Role.VIEWER))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(got.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(got.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(got.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'none'");
    assertThat(got.body()).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u001b");
    assertThat(fx.get("/api/v1/jobs/" + id + "/events", Role.VIEWER).body())
        .doesNotContain("\r")
        .doesNotContain("\u001b");
  }

  @Test
  void hostileTextEchoedInAnErrorIsEscaped() {
    var r =
        fx.post(
            "/api/v1/jobs",
            Role.OPERATOR,
            "{\"type\":\"evil\\r\\ninjected\\u001b[2J\",\"payload\":{}}");
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.contentType()).startsWith("application/problem+json");
    String detail = r.json().get("detail").asString();
    assertThat(detail)
        .doesNotContain("\r")
        .doesNotContain("\n")
        .doesNotContain("\u001b")
        .contains("\\u000d");
  }

  @Test
  void payloadsThatNameClassesAreRefused() {
    for (String payload :
        new String[] {
          "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\",\"dataSourceName\":\"ldap://x\"}",
          "[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]",
          "{\"message\":{\"@type\":\"java.net.URL\",\"val\":\"http://x\"}}"
        }) {
      var r =
          fx.post(
              "/api/v1/jobs",
              Role.OPERATOR,
              "{\"type\":\"demo.echo\",\"payload\":" + payload + "}");
      assertThat(r.status()).as(payload).isEqualTo(422);
    }
  }
}
