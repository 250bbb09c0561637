package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.jdbc.JdbcStoreProvider;
import io.taskmill.schedule.InvalidScheduleException;
import io.taskmill.schedule.ScheduleDefinition;
import io.taskmill.schedule.Trigger;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.FakeClock;
import io.taskmill.testkit.ManualEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * S12 of docs/testing.md, cron abuse: ten thousand every-second schedules, impossible dates, and
 * expressions whose next date is years away. Impossible ones are refused when created; the rest
 * cost bounded work, and a backlog of missed ticks is capped by the misfire policy instead of
 * replayed.
 */
class ScheduleAbuseTest {
  private static final String TYPE = "test.step";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final int SCHEDULES = 10_000;

  private final Store store =
      new JdbcStoreProvider()
          .open(new StoreSettings(null, "abuse-" + UUID.randomUUID(), null, null, null, 4));

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void tenThousandEverySecondSchedulesAfterTenMinutesDownCatchUpOnceEach() {
    var builder =
        Taskmill.builder()
            .store(store)
            .nodeId("n1")
            .misfireThreshold(Duration.ofSeconds(1))
            .handler(TYPE, Step.class, (p, ctx) -> {});
    try (var e = ManualEngine.start(builder, FakeClock.at(T0))) {
      long startedPut = System.nanoTime();
      for (int i = 0; i < SCHEDULES; i++) {
        e.taskmill()
            .schedules()
            .put(
                ScheduleDefinition.cron("every-second-" + i, "* * * * * *")
                    .job(TYPE, new Step("s" + i)));
      }
      Duration puts = Duration.ofNanos(System.nanoTime() - startedPut);

      // Ten minutes pass with nobody firing: 600 missed ticks per schedule, six million in all.
      e.tick(Duration.ofMinutes(10).plusMillis(500));
      long startedFiring = System.nanoTime();
      int jobs = e.runSchedules();
      Duration firing = Duration.ofNanos(System.nanoTime() - startedFiring);

      // FIRE_ONCE (the default): one job for the missed ticks, one for the tick on time.
      assertThat(jobs).isEqualTo(2 * SCHEDULES);
      assertThat(e.runSchedules()).isZero();
      assertThat(e.taskmill().schedules().list(null, 1000))
          .allSatisfy(
              s ->
                  assertThat(s.nextFireAt())
                      .isEqualTo(T0.plus(Duration.ofMinutes(10)).plusSeconds(1)));
      System.out.printf(
          "S12: %d schedules of '* * * * * *' saved in %d ms (%.2f ms each); after "
              + "10 min down, %d missed ticks became %d jobs in %d ms%n",
          SCHEDULES,
          puts.toMillis(),
          puts.toNanos() / 1e6 / SCHEDULES,
          600L * SCHEDULES,
          jobs,
          firing.toMillis());
    }
  }

  @Test
  void impossibleDatesAreRefusedAtCreationAndRareOnesFoundInBoundedTime() {
    var builder =
        Taskmill.builder().store(store).nodeId("n1").handler(TYPE, Step.class, (p, ctx) -> {});
    try (var e = ManualEngine.start(builder, FakeClock.at(T0))) {
      var schedules = e.taskmill().schedules();
      for (String impossible :
          List.of(
              "0 0 30 2 *", "0 0 31 4 *", "0 0 31 6,9,11 *", "0 0 0 30 2 *", "0 0 0 31 2,4 *")) {
        assertThatThrownBy(
                () ->
                    schedules.put(
                        ScheduleDefinition.cron("impossible", impossible).job(TYPE, new Step("x"))))
            .as(impossible)
            .isInstanceOf(InvalidScheduleException.class);
      }
      assertThat(schedules.list(null, 10)).isEmpty();

      // Valid but rare: the search for the next date must still end, and soon.
      long slowestNanos = 0;
      for (String rare :
          List.of(
              "0 0 29 2 1",
              "59 59 23 29 2 *",
              "0 0 13 * 5",
              "0 0 29 2 MON#5",
              "0 0 L 2 *",
              "0 12 29 2 SUN")) {
        long started = System.nanoTime();
        Instant next = Trigger.cron(rare).next(T0).orElseThrow();
        slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
        assertThat(next).as(rare).isAfter(T0);
        schedules.put(
            ScheduleDefinition.cron("rare-" + Math.abs(rare.hashCode()), rare)
                .job(TYPE, new Step("r")));
      }
      System.out.printf(
          "S12: slowest next-fire search among rare dates %.3f ms (target 10 ms)%n",
          slowestNanos / 1e6);
    }
  }
}
