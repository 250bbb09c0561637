package io.taskmill.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: for random expressions using all of the syntax (L, nL, d#k, ?, names, Vixie's
 * day-of-month/day-of-week rule), {@code next} equals a brute-force scan in UTC, day by day and
 * second by second. Covers what the cron-utils oracle cannot. Seed with {@code -Dtaskmill.seed}.
 */
class CronReferenceTest {
  static LongStream seeds() {
    long base = Long.getLong("taskmill.seed", 20260329L);
    return LongStream.range(base, base + 300);
  }

  /** The scan looks this far ahead; the rarest schedules (Feb 29 on one weekday) need 40 years. */
  static final int HORIZON_YEARS = 60;

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void nextEqualsABruteForceScan(long seed) {
    var r = new SplittableRandom(seed);
    RandomCron random;
    CronExpression cron;
    while (true) {
      random = RandomCron.generate(r, r.nextBoolean(), RandomCron.Dialect.FULL);
      try {
        cron = CronExpression.parse(random.text());
        break;
      } catch (InvalidScheduleException e) {
        assertThat(e.getMessage())
            .as("seed %d: %s", seed, random.text())
            .contains("this schedule would never fire");
        assertNoDayInAGregorianCycle(random, seed);
      }
    }
    for (int i = 0; i < 5; i++) {
      var after =
          Instant.ofEpochSecond(
              r.nextLong(
                  Instant.parse("2020-01-01T00:00:00Z").getEpochSecond(),
                  Instant.parse("2035-01-01T00:00:00Z").getEpochSecond()),
              r.nextBoolean() ? 0 : r.nextInt(1_000_000_000));
      LocalDateTime expected = scan(random, LocalDateTime.ofInstant(after, ZoneOffset.UTC));
      var actual = cron.next(after, ZoneOffset.UTC);
      if (expected == null) {
        assertThat(actual.orElseThrow())
            .as("seed %d: %s after %s", seed, random.text(), after)
            .isAfter(after.plus(HORIZON_YEARS * 365L, ChronoUnit.DAYS));
      } else {
        assertThat(actual)
            .as("seed %d: %s after %s", seed, random.text(), after)
            .contains(expected.toInstant(ZoneOffset.UTC));
      }
    }
  }

  private static void assertNoDayInAGregorianCycle(RandomCron random, long seed) {
    for (LocalDate d = LocalDate.of(2000, 1, 1); d.getYear() < 2400; d = d.plusDays(1)) {
      assertThat(random.firesOn(d))
          .as("seed %d: %s was refused but fires on %s", seed, random.text(), d)
          .isFalse();
    }
  }

  /** The first matching wall time strictly after {@code after}, or null within the horizon. */
  private static LocalDateTime scan(RandomCron random, LocalDateTime after) {
    LocalDateTime start = after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    LocalDate end = start.toLocalDate().plusYears(HORIZON_YEARS);
    for (LocalDate day = start.toLocalDate(); day.isBefore(end); day = day.plusDays(1)) {
      if (!random.firesOn(day)) continue;
      int from = day.equals(start.toLocalDate()) ? start.toLocalTime().toSecondOfDay() : 0;
      for (int s = from; s < 86_400; s++) {
        var t = LocalDateTime.of(day, LocalTime.ofSecondOfDay(s));
        if (random.matches(t)) return t;
      }
    }
    return null;
  }
}
