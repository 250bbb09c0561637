package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.access.AuditEntry;
import io.taskmill.access.AuditQuery;
import io.taskmill.access.Role;
import io.taskmill.server.http.Route;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S2 and S10 of docs/server.md: every role against every route answers as the role model says (a
 * role below the route's gets 403, any other outcome is the route's own), and every changing
 * request of the run, allowed or refused, leaves exactly one audit row naming key, action and
 * outcome.
 */
class AccessMatrixTest {
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
  void everyRoleMeetsEveryRouteAsTheRoleModelSaysAndEveryChangeIsAudited() {
    var deviations = new ArrayList<String>();
    int changes = 0;
    long auditBefore = auditCount();
    for (Route route : fx.server.router().routes()) {
      if (route.role() == null || route.template().equals("/api/v1/events")) {
        continue; // open routes; the event stream is covered by EventStreamTest
      }
      for (Role role : Role.values()) {
        String path = route.template().replaceAll("\\{[^}]+}", "none");
        var reply =
            fx.send(
                route.method(),
                path,
                fx.keys.get(role),
                route.method().equals("POST") || route.method().equals("PUT") ? "{}" : null,
                route.method().equals("GET") ? null : "application/json");
        boolean allowed = role.allows(route.role());
        boolean refused = reply.status() == 403;
        if (allowed == refused || reply.status() == 401 || reply.status() >= 500) {
          deviations.add(
              role.text()
                  + " "
                  + route.method()
                  + " "
                  + route.template()
                  + " -> "
                  + reply.status()
                  + " (allowed: "
                  + allowed
                  + ")");
        }
        if (route.action() != null) {
          changes++;
        }
      }
    }
    assertThat(deviations).isEmpty();
    assertThat(auditCount() - auditBefore)
        .as("one audit row per changing request")
        .isEqualTo(changes);
    var rows = fx.server.taskmill().access().audit(AuditQuery.latest(AuditQuery.MAX_LIMIT));
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.keyId()).isNotNull();
              assertThat(r.action()).isNotBlank();
              assertThat(r.outcome()).isNotBlank();
              assertThat(r.at()).isNotNull();
              assertThat(r.requestId()).isNotBlank();
            });
    assertThat(rows).anyMatch(r -> r.outcome().equals("403"));
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
