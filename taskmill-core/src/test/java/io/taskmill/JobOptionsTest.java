package io.taskmill;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.Names;
import io.taskmill.job.Retry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobOptionsTest {
  @Test
  void validOptionsHaveNoProblems() {
    var o =
        JobOptions.queue("media")
            .priority(5)
            .delay(Duration.ofSeconds(10))
            .retry(Retry.exponential(Duration.ofSeconds(1)).maxAttempts(5).jitter(0.2))
            .timeout(Duration.ofMinutes(2))
            .idempotencyKey("a.png@640")
            .tags("a", "b")
            .correlationId("req-1");
    assertThat(o.problems()).isEmpty();
  }

  @Test
  void everyProblemIsReportedNamingItsField() {
    var o =
        JobOptions.queue(" ")
            .priority(5000)
            .delay(Duration.ofSeconds(-1))
            .runAt(Instant.EPOCH)
            .timeout(Duration.ZERO)
            .idempotencyKey("")
            .retry(Retry.fixed(Duration.ZERO).maxAttempts(0));
    assertThat(o.problems())
        .hasSize(7)
        .anySatisfy(p -> assertThat(p).startsWith("queue ' ' is invalid"))
        .anySatisfy(p -> assertThat(p).startsWith("priority must be between -1000 and 1000"))
        .anySatisfy(p -> assertThat(p).isEqualTo("runAt and delay are both set; give one of them"))
        .anySatisfy(p -> assertThat(p).isEqualTo("delay must be zero or positive, was PT-1S"))
        .anySatisfy(p -> assertThat(p).isEqualTo("timeout must be positive, was PT0S"))
        .anySatisfy(p -> assertThat(p).startsWith("idempotencyKey must be 1 to 255 characters"))
        .anySatisfy(
            p -> assertThat(p).isEqualTo("retry.maxAttempts must be between 1 and 1000, was 0"));
  }

  @Test
  void retryCodeCannotTravelWithAJob() {
    var o = JobOptions.defaults().retry(Retry.fixed(Duration.ZERO).onRetry((id, t, a, e, d) -> {}));
    assertThat(o.problems()).singleElement().asString().contains("cannot be stored with a job");
  }

  @Test
  void namesFollowTheDocumentedRules() {
    assertThat(Names.isJobType("media.resize")).isTrue();
    assertThat(Names.isJobType("render.thumbnails.v2")).isTrue();
    assertThat(Names.isJobType("resize")).isFalse();
    assertThat(Names.isJobType("Media.resize")).isFalse();
    assertThat(Names.isJobType("media..resize")).isFalse();
    assertThat(Names.isJobType("media.1resize")).isFalse();
    assertThat(Names.namespaceOf("render.thumbnails.v2")).isEqualTo("render.thumbnails");
    assertThat(Names.isQueueName("mail-bulk")).isTrue();
    assertThat(Names.isQueueName("")).isFalse();
  }

  @Test
  void jobIdsAreTimeOrderedVersion7() {
    JobId a = JobId.newId(1_000);
    JobId b = JobId.newId(2_000);
    assertThat(a.value().version()).isEqualTo(7);
    assertThat(a).isLessThan(b);
    assertThat(JobId.parse(a.toString())).isEqualTo(a);
  }

  @Test
  void idsMadeInTheSameMillisecondStillIncrease() {
    JobId previous = JobId.newId(5_000_000);
    for (int i = 0; i < 10_000; i++) {
      JobId next = JobId.newId(5_000_000);
      assertThat(next).isGreaterThan(previous);
      assertThat(next.value().version()).isEqualTo(7);
      previous = next;
    }
  }
}
