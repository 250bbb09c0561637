package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings merge as defaults < taskmill.yaml < TASKMILL_* < flags, and bad ones are named. */
class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void laterSourcesWinAndEachSettingKeepsItsOwnSource() throws Exception {
    Path yaml =
        Files.writeString(
            dir.resolve("taskmill.yaml"),
            "port: 9000\nnode-name: from-yaml\ndata-dir: /var/lib/taskmill\n");
    ServerConfig c =
        ConfigLoader.load(
            yaml,
            Map.of("TASKMILL_PORT", "9100", "TASKMILL_BOOTSTRAP_ADMIN_KEY", "tm_x"),
            Map.of("node-name", "from-flag"));
    assertThat(c.port()).isEqualTo(9100);
    assertThat(c.nodeName()).isEqualTo("from-flag");
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/taskmill"));
    assertThat(c.bootstrapAdminKey()).isEqualTo("tm_x");
    assertThat(c.toString()).doesNotContain("tm_x");
  }

  @Test
  void defaultsNeedNothing() {
    ServerConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.insecureDev()).isFalse();
    assertThat(c.dbUrl()).isNull();
    assertThat(c.auditRetentionDays()).isEqualTo(365);
  }

  @Test
  void auditRetentionComesFromYamlEnvironmentOrFlagAndKeepsAtLeast30Days() throws Exception {
    Path yaml = Files.writeString(dir.resolve("taskmill.yaml"), "audit-retention-days: 400\n");
    assertThat(ConfigLoader.load(yaml, Map.of(), Map.of()).auditRetentionDays()).isEqualTo(400);
    assertThat(
            ConfigLoader.load(yaml, Map.of("TASKMILL_AUDIT_RETENTION_DAYS", "90"), Map.of())
                .auditRetentionDays())
        .isEqualTo(90);
    assertThat(
            ConfigLoader.load(
                    yaml,
                    Map.of("TASKMILL_AUDIT_RETENTION_DAYS", "90"),
                    Map.of("audit-retention-days", "30"))
                .auditRetentionDays())
        .isEqualTo(30);

    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("TASKMILL_AUDIT_RETENTION_DAYS", "7"), Map.of()))
        .hasMessageContaining(
            "environment variable TASKMILL_AUDIT_RETENTION_DAYS: 7 days is "
                + "out of range; keep audit entries 30 to 36500 days")
        .hasMessageContaining("PostgreSQL refuses to delete them");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of(), Map.of("audit-retention-days", "a year")))
        .hasMessageContaining(
            "flag --audit-retention-days: 'a year' is not a whole number of "
                + "days (30 to 36500, default 365)");
  }

  @Test
  void everyProblemIsReportedTogetherNamingWhereItCameFrom() throws Exception {
    Path yaml = Files.writeString(dir.resolve("taskmill.yaml"), "port: eighty\ncolour: blue\n");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    yaml,
                    Map.of("TASKMILL_DB_URL", "mysql://x", "TASKMILL_DEMO", "maybe"),
                    Map.of("node-name", "bad name!")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key port: 'eighty' is not a whole number")
        .hasMessageContaining("unknown setting 'colour'")
        .hasMessageContaining("environment variable TASKMILL_DB_URL")
        .hasMessageContaining("environment variable TASKMILL_DEMO: 'maybe' is not true or false")
        .hasMessageContaining("flag --node-name");
  }

  @Test
  void authCannotBeTurnedOffOutsideLoopbackDevMode() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("TASKMILL_AUTH", "false"), Map.of()))
        .hasMessageContaining("authentication cannot be turned off")
        .hasMessageContaining("--insecure-dev");
    ServerConfig dev = ConfigLoader.load(null, Map.of(), Map.of("insecure-dev", "true"));
    assertThat(dev.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void insecureDevOnAReachableAddressIsRefusedAtStart() {
    ServerConfig c =
        ConfigLoader.load(null, Map.of(), Map.of("insecure-dev", "true", "host", "0.0.0.0"));
    assertThatThrownBy(() -> TaskmillServer.start(c.withInMemory(), b -> {}))
        .hasMessageContaining("binds only to a loopback address");
  }
}
