package io.taskmill.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

  @Test
  void requestsAreDueAtFixedIntervalsFromTheStart() {
    var loop = OpenLoop.of(1_000, 500, Duration.ofSeconds(20));

    assertThat(loop.count()).isEqualTo(10_000);
    assertThat(loop.dueNanos(0)).isEqualTo(1_000);
    assertThat(loop.dueNanos(1)).isEqualTo(1_000 + 2_000_000);
    assertThat(loop.dueNanos(9_999)).isEqualTo(1_000 + 9_999 * 2_000_000L);
  }

  @Test
  void aRateWithoutAnExactPeriodDoesNotDrift() {
    // 1e9 / 3 ns rounded and added 3,000 times would end 1 µs early; computed per request it ends
    // on time.
    var loop = OpenLoop.of(0, 3, Duration.ofSeconds(1_001));

    assertThat(loop.dueNanos(3_000)).isEqualTo(1_000_000_000_000L);
    assertThat(loop.dueNanos(1)).isEqualTo(333_333_333);
  }

  @Test
  void latencyCountsFromTheDueTimeNotTheActualSend() {
    var loop = OpenLoop.of(0, 1_000, Duration.ofSeconds(1));

    // Request 5 was due at 5 ms; if the sender stalled and it went out at 40 ms, answered at
    // 41 ms, its latency is 36 ms, not 1 ms.
    assertThat(loop.latencyNanos(5, 41_000_000)).isEqualTo(36_000_000);
  }

  @Test
  void aShortScheduleHasAtLeastOneRequestAndRejectsNonsense() {
    assertThat(OpenLoop.of(0, 1, Duration.ofMillis(10)).count()).isEqualTo(1);
    assertThatThrownBy(() -> new OpenLoop(0, 0, 1)).hasMessageContaining("positive");
    assertThatThrownBy(() -> OpenLoop.of(0, 10, Duration.ofSeconds(1)).dueNanos(10))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
