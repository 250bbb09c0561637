package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.server.api.OpenApiDocs;
import io.taskmill.server.http.Route;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A3 and S1 of docs/server.md: the router's routes equal the OpenAPI document's operations both
 * ways, and without a key every route but liveness and readiness answers 401 with no data.
 */
class RouteInventoryTest {
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
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() {
    var routed = new TreeSet<String>();
    for (Route r : fx.server.router().routes()) {
      routed.add(r.method() + " " + r.template());
    }
    var documented = new TreeSet<String>();
    var paths = OpenApiDocs.tree().get("paths");
    for (var path : paths.properties()) {
      for (var op : path.getValue().properties()) {
        if (!op.getKey().equals("parameters")) {
          documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      }
    }
    assertThat(routed).isEqualTo(documented);
  }

  @Test
  void withoutAKeyEveryRouteButHealthAnswers401WithNoData() {
    for (Route r : fx.server.router().routes()) {
      String path = r.template().replaceAll("\\{[^}]+}", "x");
      var reply =
          fx.send(
              r.method(),
              path,
              null,
              r.method().equals("POST") ? "{}" : null,
              r.method().equals("POST") ? "application/json" : null);
      if (r.template().equals("/health/live") || r.template().equals("/health/ready")) {
        assertThat(reply.status()).as(r.template()).isIn(200, 503);
        assertThat(reply.body()).as(r.template()).doesNotContain("node", "version");
      } else {
        assertThat(reply.status()).as(r.method() + " " + r.template()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().has("items")).isFalse();
      }
    }
  }
}
