package io.taskmill.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StoreClockTest {
  private static final Instant STORE_NOW = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void followsTheStoreWhateverThisMachinesWallClockSays() {
    Clock wall = Clock.fixed(STORE_NOW.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
    var clock = new StoreClock(() -> STORE_NOW, wall);

    Instant t = clock.instant();

    // Within the few milliseconds this test takes, not ten minutes ahead.
    assertThat(t).isBetween(STORE_NOW, STORE_NOW.plusSeconds(5));
    assertThat(clock.wallOffset()).isEqualTo(Duration.ofMinutes(-10));
  }

  @Test
  void aWallClockSteppedBackDoesNotMoveIt() {
    var wall = new AtomicReference<>(STORE_NOW);
    Clock steppable =
        new Clock() {
          @Override
          public Instant instant() {
            return wall.get();
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId z) {
            return this;
          }
        };
    var clock = new StoreClock(() -> STORE_NOW, steppable);
    Instant before = clock.instant();

    wall.set(STORE_NOW.minus(Duration.ofMinutes(10)));

    assertThat(clock.instant()).isAfterOrEqualTo(before);
  }

  @Test
  void neverRunsBackwardsWhenReanchoringFindsTheStoreSlightlyBehind() {
    var store = new AtomicReference<>(STORE_NOW.plusMillis(300));
    var clock = new StoreClock(store::get, Clock.systemUTC());
    Instant before = clock.instant();

    store.set(STORE_NOW); // 300 ms behind what the clock showed
    clock.anchor();

    assertThat(clock.instant()).isAfterOrEqualTo(before);
  }

  @Test
  void followsTheStoreWhenItsClockWasSteppedBackFarther() {
    var store = new AtomicReference<>(STORE_NOW.plus(Duration.ofMinutes(10)));
    var clock = new StoreClock(store::get, Clock.systemUTC());
    clock.instant();

    store.set(STORE_NOW);
    clock.anchor();

    assertThat(clock.instant()).isBefore(STORE_NOW.plusSeconds(5));
  }
}
