package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.Taskmill;
import io.taskmill.config.TaskmillConfigException;
import io.taskmill.demo.DemoHandlers;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.handler.HandlerInfo;
import io.taskmill.job.JobState;
import io.taskmill.job.RateLimit;
import io.taskmill.job.Retry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** start() checks every setting once and reports all problems together. */
class ConfigurationTest {
  interface Shape {}

  @Test
  void everyBadSettingIsReportedTogetherNamingSettingValueAndRange() {
    assertThatThrownBy(
            () ->
                Taskmill.builder()
                    .inMemory()
                    .queue("media", q -> q.concurrency(0))
                    .leaseDuration(Duration.ofMillis(5))
                    .pollInterval(Duration.ZERO)
                    .claimBatchSize(0)
                    .poolSize(500)
                    .defaultRetry(Retry.fixed(Duration.ZERO).maxAttempts(0))
                    .start())
        .isInstanceOfSatisfying(
            TaskmillConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "queue 'media' concurrency must be between 1 and 10000, was 0",
                        "defaultRetry.maxAttempts must be between 1 and 1000, was 0",
                        "leaseDuration must be between PT1S and PT24H, was PT0.005S",
                        "pollInterval must be between PT0.01S and PT1H, was PT0S",
                        "claimBatchSize must be between 1 and 10000, was 0",
                        "poolSize must be between 1 and 200, was 500"));
  }

  @Test
  void invalidDuplicateAndUnbindableHandlersAreNamed() {
    assertThatThrownBy(
            () ->
                Taskmill.builder()
                    .inMemory()
                    .handler("Resize", Step.class, (p, ctx) -> {})
                    .handler("media.resize", Step.class, (p, ctx) -> {})
                    .handler("media.resize", Step.class, (p, ctx) -> {})
                    .handler("media.shape", Shape.class, (p, ctx) -> {})
                    .handler("media.crop", Step.class, (p, ctx) -> {}, h -> h.queue("video"))
                    .start())
        .isInstanceOfSatisfying(
            TaskmillConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(4)
                    .anySatisfy(
                        p -> assertThat(p).startsWith("handler 'Resize': invalid type name"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .isEqualTo(
                                    "handler 'media.resize' is registered twice; each type has exactly one handler"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "handler 'media.shape': payload type "
                                        + Shape.class.getName()
                                        + " is an interface"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "handler 'media.crop': queue 'video' is not declared")));
  }

  @Test
  void clusterLimitsAreCheckedNamingTheHandlerAndTheField() {
    assertThatThrownBy(
            () ->
                Taskmill.builder()
                    .inMemory()
                    .handler(
                        "mail.send",
                        Step.class,
                        (p, ctx) -> {},
                        h -> h.clusterMaxConcurrency(0).rateLimit(0, Duration.ofMillis(1)))
                    .handler(
                        "render.thumbnails",
                        Step.class,
                        (p, ctx) -> {},
                        h -> h.clusterMaxConcurrency(100_001).rateLimit(10, Duration.ofDays(2)))
                    .handler("media.crop", Step.class, (p, ctx) -> {}, h -> h.rateLimit(10, null))
                    .start())
        .isInstanceOfSatisfying(
            TaskmillConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "handler 'mail.send' clusterMaxConcurrency must be between 1 and 100000, was 0",
                        "handler 'mail.send' rateLimit.starts must be between 1 and 1000000, was 0",
                        "handler 'mail.send' rateLimit.per must be between PT0.01S and PT24H, was PT0.001S",
                        "handler 'render.thumbnails' clusterMaxConcurrency must be between 1 and 100000,"
                            + " was 100001",
                        "handler 'render.thumbnails' rateLimit.per must be between PT0.01S and PT24H,"
                            + " was PT48H",
                        "handler 'media.crop' rateLimit.per must be between PT0.01S and PT24H, was null"));
  }

  @Test
  void dataDirThatIsAFileIsRejected(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> Taskmill.builder().dataDir(file).start())
        .isInstanceOf(TaskmillConfigException.class)
        .hasMessageContaining("dataDir '" + file.toAbsolutePath() + "' cannot be created");
  }

  @Test
  void anUnreachableDatabaseFailsTheStartAtOnceNamingIt() {
    // Port 1 on this machine refuses connections: a database that is down.
    String url = "jdbc:postgresql://127.0.0.1:1/taskmill";
    assertThatThrownBy(
            () ->
                Taskmill.builder()
                    .fromEnvironment(Map.of("TASKMILL_DB_URL", url, "TASKMILL_DB_USER", "postgres"))
                    .start())
        .isInstanceOf(TaskmillConfigException.class)
        .hasMessageContaining("database: cannot open " + url)
        .hasMessageContaining("refused");
  }

  @Test
  void environmentVariablesConfigureTheStoreAndNode(@TempDir Path tmp) {
    try (Taskmill tm =
        Taskmill.builder()
            .fromEnvironment(
                Map.of(
                    "TASKMILL_DATA_DIR",
                    tmp.toString(),
                    "TASKMILL_NODE_ID",
                    "env-node",
                    "TASKMILL_POOL_SIZE",
                    "2"))
            .start()) {
      assertThat(tm.nodeId()).isEqualTo("env-node");
      assertThat(tm.cluster().nodes()).extracting(n -> n.id()).containsExactly("env-node");
    }
    assertThat(tmp.resolve("taskmill.mv.db")).exists();
  }

  @Test
  void badEnvironmentValuesAreNamed() {
    assertThatThrownBy(
            () ->
                Taskmill.builder()
                    .inMemory()
                    .fromEnvironment(Map.of("TASKMILL_POOL_SIZE", "eight", "TASKMILL_DB_USER", "x"))
                    .retainSucceeded(Duration.ZERO)
                    .start())
        .isInstanceOf(TaskmillConfigException.class)
        .hasMessageContaining("TASKMILL_POOL_SIZE must be a whole number, was 'eight'")
        .hasMessageContaining("TASKMILL_DB_URL is not")
        .hasMessageContaining("retainSucceeded must be between PT1M");
  }

  @Test
  void auditRetentionBelow30DaysIsRefusedWithTheReason() {
    assertThatThrownBy(() -> Taskmill.builder().inMemory().retainAudit(Duration.ofDays(29)).start())
        .isInstanceOf(TaskmillConfigException.class)
        .hasMessageContaining("retainAudit must be at least 30 days (PT720H), was PT696H")
        .hasMessageContaining("PostgreSQL refuses to delete them");
    assertThatThrownBy(() -> Taskmill.builder().inMemory().retainAudit(null).start())
        .hasMessageContaining("retainAudit must be between PT720H");
  }

  @Test
  void storeAlternativesAreExclusive(@TempDir Path tmp) {
    assertThatThrownBy(() -> Taskmill.builder().dataDir(tmp).inMemory().start())
        .hasMessageContaining("dataDir, inMemory and jdbcUrl are alternatives");
  }

  @Test
  void aPoolOfOneConnectionIsEnoughToStartAndRunJobs() {
    try (Taskmill tm =
        Taskmill.builder()
            .inMemory()
            .poolSize(1)
            .handler("test.step", Step.class, (p, ctx) -> {})
            .start()) {
      var id = tm.enqueue("test.step", new Step("x"));
      Await.state(tm, id, JobState.SUCCEEDED);
    }
  }

  @Test
  void registryGroupsHandlersByNamespaceWithTheirDefaults() {
    try (Taskmill tm =
        DemoHandlers.registerAll(Taskmill.builder().inMemory())
            .handler(
                "render.thumbnails",
                Step.class,
                (p, ctx) -> {},
                h ->
                    h.queue("media")
                        .maxConcurrency(2)
                        .timeout(Duration.ofMinutes(1))
                        .priority(3)
                        .clusterMaxConcurrency(3)
                        .rateLimit(100, Duration.ofSeconds(1)))
            .queue("media", q -> q.concurrency(4))
            .start()) {
      var byNs = tm.handlers().byNamespace();
      assertThat(byNs.keySet()).containsExactly("demo", "render");
      assertThat(byNs.get("demo"))
          .extracting(HandlerInfo::type)
          .containsExactly("demo.echo", "demo.fail", "demo.noop", "demo.sleep");
      HandlerInfo thumbs = tm.handlers().find("render.thumbnails").orElseThrow();
      assertThat(thumbs.payloadType()).isEqualTo(Step.class);
      assertThat(thumbs.queue()).isEqualTo("media");
      assertThat(thumbs.maxConcurrency()).isEqualTo(2);
      assertThat(thumbs.clusterMaxConcurrency()).isEqualTo(3);
      assertThat(thumbs.rateLimit()).isEqualTo(new RateLimit(100, Duration.ofSeconds(1)));
      assertThat(tm.handlers().find("demo.echo").orElseThrow().rateLimit()).isNull();
      assertThat(thumbs.timeout()).isEqualTo(Duration.ofMinutes(1));
      assertThat(thumbs.retry().maxAttempts()).isEqualTo(Retry.defaultPolicy().maxAttempts());
      assertThat(tm.handlers().find("demo.echo").orElseThrow().returnsResult()).isTrue();
      assertThat(tm.queues().list())
          .extracting(q -> q.name())
          .isEqualTo(List.of("default", "media"));
    }
  }
}
