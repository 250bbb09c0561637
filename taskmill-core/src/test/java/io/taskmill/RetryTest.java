package io.taskmill;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.job.Retry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RetryTest {
  static LongStream seeds() {
    long base = Long.getLong("taskmill.seed", 20261123L);
    return LongStream.range(base, base + 200);
  }

  /** Property: with any settings, a delay is within [0, maxDelay] and within the jitter band. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void delaysStayWithinJitterBandAndCap(long seed) {
    var r = new SplittableRandom(seed);
    Retry.Backoff kind = Retry.Backoff.values()[r.nextInt(3)];
    Duration initial = Duration.ofMillis(r.nextLong(0, 10_000));
    Duration cap = Duration.ofMillis(r.nextLong(1, 3_600_000));
    double jitter = r.nextDouble();
    double multiplier = 1 + r.nextDouble() * 4;
    Retry policy =
        switch (kind) {
          case FIXED -> Retry.fixed(initial);
          case LINEAR -> Retry.linear(initial);
          case EXPONENTIAL -> Retry.exponential(initial).multiplier(multiplier);
        };
    policy = policy.maxDelay(cap).jitter(jitter);
    int attempt = r.nextInt(1, 200);
    Duration noJitter = policy.jitter(0).delayAfter(attempt, RandomGenerator.getDefault());
    Duration d = policy.delayAfter(attempt, new SplittableRandom(seed ^ 0x5DEECE66DL));

    assertThat(d).as("seed %d: %s attempt %d", seed, policy, attempt).isBetween(Duration.ZERO, cap);
    double lo = noJitter.toNanos() * (1 - jitter) - 1;
    double hi = Math.min(cap.toNanos(), noJitter.toNanos() * (1 + jitter)) + 1;
    assertThat((double) d.toNanos()).as("seed %d", seed).isBetween(lo, hi);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void exponentialDelaysNeverShrinkWithoutJitter(long seed) {
    var r = new SplittableRandom(seed);
    Retry policy =
        Retry.exponential(Duration.ofMillis(r.nextLong(1, 5000)))
            .multiplier(1.5 + r.nextDouble() * 2.5)
            .maxDelay(Duration.ofMinutes(r.nextLong(1, 120)));
    Duration previous = Duration.ZERO;
    for (int attempt = 1; attempt < 100; attempt++) {
      Duration d = policy.delayAfter(attempt, RandomGenerator.getDefault());
      assertThat(d).as("seed %d attempt %d", seed, attempt).isGreaterThanOrEqualTo(previous);
      previous = d;
    }
    assertThat(previous).isEqualTo(policy.maxDelay());
  }

  @Test
  void shapesOfTheThreeBackoffs() {
    var rnd = RandomGenerator.getDefault();
    assertThat(Retry.fixed(Duration.ofSeconds(3)).delayAfter(7, rnd))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(Retry.linear(Duration.ofSeconds(2)).delayAfter(4, rnd))
        .isEqualTo(Duration.ofSeconds(8));
    assertThat(Retry.exponential(Duration.ofSeconds(1)).delayAfter(5, rnd))
        .isEqualTo(Duration.ofSeconds(16));
    assertThat(
            Retry.exponential(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(10))
                .delayAfter(50, rnd))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void abortOnWinsOverRetryOnAndMatchesSubtypes() {
    Retry p =
        Retry.fixed(Duration.ZERO).retryOn(IOException.class).abortOn(FileNotFoundException.class);
    assertThat(p.nonRetryableReason(new IOException("x"))).isNull();
    assertThat(p.nonRetryableReason(new FileNotFoundException("x")))
        .contains("abortOn java.io.FileNotFoundException");
    assertThat(p.nonRetryableReason(new IllegalStateException("x")))
        .contains("matches none of retryOn");
  }

  @Test
  void noFiltersRetryEverything() {
    assertThat(
            Retry.fixed(Duration.ZERO)
                .nonRetryableReason(new UncheckedIOException(new IOException())))
        .isNull();
  }

  @Test
  void predicatesAndCallbacksAreCodeThatCannotBeStored() {
    Retry p = Retry.fixed(Duration.ZERO).retryIf(e -> e.getMessage().contains("again"));
    assertThat(p.hasCode()).isTrue();
    assertThat(p.nonRetryableReason(new RuntimeException("try again"))).isNull();
    assertThat(p.nonRetryableReason(new RuntimeException("no"))).isNotNull();
    assertThat(Retry.fromSpec(p.toSpec()).hasCode()).isFalse();
  }

  @Test
  void specRoundTripKeepsTheData() {
    Retry p =
        Retry.exponential(Duration.ofMillis(250))
            .maxAttempts(7)
            .jitter(0.3)
            .multiplier(3)
            .maxDelay(Duration.ofMinutes(2))
            .retryOn(IOException.class)
            .abortOn(IllegalArgumentException.class);
    assertThat(Retry.fromSpec(p.toSpec()).toSpec()).isEqualTo(p.toSpec());
  }

  @Test
  void problemsNameTheFieldAndTheAllowedRange() {
    assertThat(Retry.fixed(Duration.ofSeconds(-1)).maxAttempts(0).jitter(2).problems("retry"))
        .containsExactlyInAnyOrder(
            "retry.initialDelay must be zero or positive, was PT-1S",
            "retry.jitter must be between 0 and 1, was 2.0",
            "retry.maxAttempts must be between 1 and 1000, was 0");
  }
}
