package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.access.Role;
import io.taskmill.testkit.store.PlantedRows;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S4 of docs/testing.md for the API's reads: a job row written straight into the server's H2 file
 * with a payload the server's own limits refuse (nesting 10,000 deep) dies on its first attempt and
 * still reads back, alone and in the list, with the payload withheld and the reason given, never a
 * 500.
 */
class PlantedRowsApiTest {
  @TempDir Path dir;

  @Test
  void aPlantedRowTheServerCannotParseReadsBackWithItsPayloadWithheld() throws Exception {
    try (var fx =
            new ServerFixture(
                ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir));
        var c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("taskmill") + ";DB_CLOSE_ON_EXIT=FALSE")) {
      UUID id =
          PlantedRows.plant(
                  c,
                  "demo.echo",
                  "{\"message\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
                  3,
                  null)
              .value();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                var r = fx.get("/api/v1/jobs/" + id, Role.VIEWER);
                return r.status() == 200 && r.json().get("state").asString().equals("DEAD");
              });
      var job = fx.get("/api/v1/jobs/" + id, Role.VIEWER).json();
      assertThat(job.get("attempts").asInt()).isEqualTo(1);
      assertThat(job.get("lastError").asString())
          .startsWith("io.taskmill.PayloadBindingException: payload does not bind");
      assertThat(job.get("payload").isNull()).isTrue();
      assertThat(job.get("payloadUnreadable").asString())
          .contains("stored payload")
          .contains("nesting depth");
      assertThat(job.has("resultUnreadable")).isFalse();

      var list = fx.get("/api/v1/jobs", Role.VIEWER);
      assertThat(list.status()).as(list.body()).isEqualTo(200);
      assertThat(list.body()).contains(id.toString());
    }
  }
}
