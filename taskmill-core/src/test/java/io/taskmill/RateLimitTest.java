package io.taskmill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.job.RateLimit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  @Test
  void windowsAreAlignedToTheEpoch() {
    var perSecond = new RateLimit(100, Duration.ofSeconds(1));
    var perSevenSeconds = new RateLimit(1, Duration.ofSeconds(7));
    Instant t = Instant.parse("2026-03-01T10:00:00.250Z");

    assertThat(perSecond.windowStart(t)).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(perSecond.windowEnd(t)).isEqualTo(Instant.parse("2026-03-01T10:00:01Z"));
    assertThat(perSecond.windowStart(perSecond.windowEnd(t))).isEqualTo(perSecond.windowEnd(t));
    long startMillis = perSevenSeconds.windowStart(t).toEpochMilli();
    assertThat(startMillis % 7000).isZero();
    assertThat(t.toEpochMilli() - startMillis).isBetween(0L, 6999L);
  }

  @Test
  void aWindowIncludesItsStartAndExcludesItsEnd() {
    var limit = new RateLimit(5, Duration.ofMillis(200));
    Instant start = Instant.parse("2026-03-01T10:00:00.200Z");

    assertThat(limit.windowStart(start)).isEqualTo(start);
    assertThat(limit.windowStart(start.plusMillis(199).plusNanos(999_999))).isEqualTo(start);
    assertThat(limit.windowStart(start.plusMillis(200))).isEqualTo(start.plusMillis(200));
  }

  @Test
  void problemsNameTheFieldTheValueAndTheRange() {
    assertThat(RateLimit.problems("handler 'mail.send' rateLimit", 0, Duration.ofMillis(5)))
        .containsExactly(
            "handler 'mail.send' rateLimit.starts must be between 1 and 1000000, was 0",
            "handler 'mail.send' rateLimit.per must be between PT0.01S and PT24H, was PT0.005S");
    assertThat(RateLimit.problems("rateLimit", 10, Duration.ofNanos(1_500_000_000L))).isEmpty();
    assertThat(RateLimit.problems("rateLimit", 10, Duration.ofNanos(1_000_000_001L)))
        .containsExactly(
            "rateLimit.per must be a whole number of milliseconds, was PT1.000000001S");
    assertThat(RateLimit.problems("rateLimit", 1, null))
        .containsExactly("rateLimit.per must be between PT0.01S and PT24H, was null");
  }

  @Test
  void anInvalidRateCannotBeMade() {
    assertThatThrownBy(() -> new RateLimit(-1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rateLimit.starts must be between 1 and 1000000, was -1");
  }
}
