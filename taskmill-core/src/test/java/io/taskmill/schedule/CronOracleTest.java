package io.taskmill.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: on ordinary instants (no daylight-saving transition between {@code after} and the
 * answer), {@code next} agrees with cron-utils 9.2.1 — its UNIX definition for 5 fields, its SPRING
 * definition (seconds first, 0-7 weekdays) for 6.
 *
 * <p>Excluded, because the two libraries differ on purpose: {@code L}, {@code nL}, {@code d#k} and
 * {@code ?} (UNIX has none of them; {@link CronReferenceTest} covers them); a day-of-month or
 * day-of-week starting with {@code *}/n against a restricted other field (Vixie cron, and we, AND
 * them; cron-utils ORs them); both day fields restricted in 6-field form (Spring ANDs them, Vixie
 * and we OR them); {@code SUN} in day-of-week (cron-utils reads it as 7 in ranges, so {@code SUN-3}
 * is refused); {@code 7/n} in day-of-week (cron-utils starts it at 0, cronie and we at 7, so only
 * Sunday); a day-of-week step of 7 (cron-utils refuses it); and instants whose answer lies across a
 * transition (see {@link CronDaylightSavingTest}: cron-utils skips a daily 02:30 on spring-forward
 * days).
 */
class CronOracleTest {
  static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("UTC"),
          ZoneId.of("Asia/Tokyo"),
          ZoneId.of("Asia/Kolkata"),
          ZoneId.of("America/Sao_Paulo"),
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("America/New_York"),
          ZoneId.of("Australia/Lord_Howe"));
  static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  static final CronParser SPRING =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));
  static final AtomicInteger compared = new AtomicInteger();
  static final AtomicInteger acrossTransitions = new AtomicInteger();

  static LongStream seeds() {
    long base = Long.getLong("taskmill.seed", 20261025L);
    return LongStream.range(base, base + 400);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void nextAgreesWithCronUtils(long seed) {
    var r = new SplittableRandom(seed);
    boolean withSeconds = r.nextInt(3) == 0;
    RandomCron random;
    CronExpression ours;
    while (true) {
      random = RandomCron.generate(r, withSeconds, RandomCron.Dialect.CRON_UTILS);
      if (withSeconds && !random.dayOfMonthStar() && !random.dayOfWeekStar()) continue;
      try {
        ours = CronExpression.parse(random.text());
        break;
      } catch (InvalidScheduleException neverFires) {
        // e.g. 31 in February only: cron-utils would search forever; try another.
      }
    }
    ExecutionTime theirs;
    try {
      theirs = ExecutionTime.forCron((withSeconds ? SPRING : UNIX).parse(random.text()));
    } catch (IllegalArgumentException e) {
      throw new AssertionError(
          "seed " + seed + ": cron-utils refused \"" + random.text() + "\"", e);
    }
    for (int i = 0; i < 5; i++) {
      ZoneId zone = ZONES.get(r.nextInt(ZONES.size()));
      var after =
          Instant.ofEpochSecond(
              r.nextLong(
                  Instant.parse("2020-01-01T00:00:00Z").getEpochSecond(),
                  Instant.parse("2035-01-01T00:00:00Z").getEpochSecond()));
      Instant expected =
          theirs
              .nextExecution(after.atZone(zone))
              .map(ZonedDateTime::toInstant)
              .orElseThrow(() -> new AssertionError("cron-utils found nothing for " + after));
      Optional<Instant> actual = ours.next(after, zone);
      Instant later = actual.filter(a -> a.isAfter(expected)).orElse(expected);
      ZoneOffsetTransition transition = zone.getRules().nextTransition(after);
      if (transition != null && !transition.getInstant().isAfter(later)) {
        acrossTransitions.incrementAndGet();
        continue;
      }
      compared.incrementAndGet();
      assertThat(actual)
          .as(
              "seed %d: \"%s\" in %s after %s (%s)",
              seed, random.text(), zone, after, after.atZone(zone))
          .contains(expected);
    }
  }

  @AfterAll
  static void mostCasesWereCompared() {
    assertThat(compared.get())
        .as("compared (%d skipped across a transition)", acrossTransitions.get())
        .isGreaterThan(3 * acrossTransitions.get());
  }
}
