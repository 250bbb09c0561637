package io.taskmill.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The daylight-saving policy of {@link CronExpression}, in Europe/Berlin and America/New_York.
 *
 * <p>Transitions used: Berlin springs forward 02:00 → 03:00 on 2026-03-29 and 2027-03-28 (01:00Z)
 * and falls back 03:00 → 02:00 on 2026-10-25 and 2027-10-31 (01:00Z); New York springs forward
 * 02:00 → 03:00 on 2026-03-08 and 2027-03-14 (07:00Z) and falls back 02:00 → 01:00 on 2026-11-01
 * and 2027-11-07 (06:00Z).
 */
class CronDaylightSavingTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** Fire times in {@code (from, to]}, each as local time with its offset. */
  static List<String> firesBetween(String expression, ZoneId zone, String from, String to) {
    var trigger = new CronTrigger(CronExpression.parse(expression), zone);
    var local = new ArrayList<String>();
    for (Instant t : trigger.between(Instant.parse(from), Instant.parse(to), 10_000)) {
      local.add(t.atZone(zone).toOffsetDateTime().toString());
    }
    return local;
  }

  @Test
  void guardTheTransitionDatesThisTestAssumes() {
    assertThat(BERLIN.getRules().nextTransition(Instant.parse("2026-03-01T00:00:00Z")).getInstant())
        .isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    assertThat(BERLIN.getRules().nextTransition(Instant.parse("2026-04-01T00:00:00Z")).getInstant())
        .isEqualTo(Instant.parse("2026-10-25T01:00:00Z"));
    assertThat(
            NEW_YORK.getRules().nextTransition(Instant.parse("2026-03-01T00:00:00Z")).getInstant())
        .isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));
    assertThat(
            NEW_YORK.getRules().nextTransition(Instant.parse("2026-04-01T00:00:00Z")).getInstant())
        .isEqualTo(Instant.parse("2026-11-01T06:00:00Z"));
    assertThat(
            NEW_YORK.getRules().nextTransition(Instant.parse("2027-10-01T00:00:00Z")).getInstant())
        .isEqualTo(Instant.parse("2027-11-07T06:00:00Z"));
  }

  // A wall time in a spring-forward gap fires once, when the gap ends.

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "Europe/Berlin,    2026-03-28, 2026-03-28T02:30+01:00, 2026-03-29T03:00+02:00, 2026-03-30T02:30+02:00",
    "Europe/Berlin,    2027-03-27, 2027-03-27T02:30+01:00, 2027-03-28T03:00+02:00, 2027-03-29T02:30+02:00",
    "America/New_York, 2026-03-07, 2026-03-07T02:30-05:00, 2026-03-08T03:00-04:00, 2026-03-09T02:30-04:00",
    "America/New_York, 2027-03-13, 2027-03-13T02:30-05:00, 2027-03-14T03:00-04:00, 2027-03-15T02:30-04:00"
  })
  void dailyAtTwoThirtyFiresWhenTheGapEnds(
      String zone, String dayBefore, String first, String onTheDay, String dayAfter) {
    assertThat(
            firesBetween(
                    "30 2 * * *",
                    ZoneId.of(zone),
                    dayBefore + "T00:00:00Z",
                    dayBefore.substring(0, 8) + "31T00:00:00Z")
                .subList(0, 3))
        .containsExactly(first, onTheDay, dayAfter);
  }

  @Test
  void theWholeGapFiresOnceForAFixedHour() {
    assertThat(firesBetween("*/15 2 * * *", BERLIN, "2026-03-28T00:00:00Z", "2026-03-29T23:00:00Z"))
        .containsExactly(
            "2026-03-28T02:00+01:00",
            "2026-03-28T02:15+01:00",
            "2026-03-28T02:30+01:00",
            "2026-03-28T02:45+01:00",
            "2026-03-29T03:00+02:00");
    assertThat(
            firesBetween("0 30 2 * * *", NEW_YORK, "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z"))
        .containsExactly("2026-03-08T03:00-04:00");
  }

  @Test
  void aFireJustAfterTheGapIsNotDoubledByTheGapsOwn() {
    // 02:30 maps to 03:00, where 03:00 fires anyway: one fire.
    assertThat(
            firesBetween("0,30 2,3 * * *", BERLIN, "2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z"))
        .containsExactly("2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00");
  }

  // A fixed wall time in a fall-back overlap fires once, in the first pass.

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "Europe/Berlin,    30 2 * * *, 2026-10-24, 2026-10-25T02:30+02:00, 2026-10-26T02:30+01:00",
    "Europe/Berlin,    30 2 * * *, 2027-10-30, 2027-10-31T02:30+02:00, 2027-11-01T02:30+01:00",
    "America/New_York, 30 1 * * *, 2026-10-31, 2026-11-01T01:30-04:00, 2026-11-02T01:30-05:00",
    "America/New_York, 30 1 * * *, 2027-11-06, 2027-11-07T01:30-04:00, 2027-11-08T01:30-05:00"
  })
  void fixedTimeInTheRepeatedHourFiresOnceAtItsFirstOccurrence(
      String zone, String expression, String dayBefore, String onTheDay, String dayAfter) {
    Instant from = Instant.parse(dayBefore + "T12:00:00Z");
    List<String> fires =
        firesBetween(
            expression, ZoneId.of(zone), from.toString(), from.plus(Duration.ofDays(3)).toString());
    assertThat(fires.subList(0, 2)).containsExactly(onTheDay, dayAfter);
  }

  @Test
  void fixedTimesOutsideTheOverlapAreUntouched() {
    assertThat(firesBetween("30 2 * * *", NEW_YORK, "2026-10-31T12:00:00Z", "2026-11-02T12:00:00Z"))
        .containsExactly("2026-11-01T02:30-05:00", "2026-11-02T02:30-05:00");
    assertThat(firesBetween("30 1 * * *", BERLIN, "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z"))
        .containsExactly("2026-10-25T01:30+02:00", "2026-10-26T01:30+01:00");
  }

  @Test
  void aFixedHourWithMinuteStepsRunsThroughTheFirstPassOnly() {
    assertThat(
            firesBetween("*/20 1 * * *", NEW_YORK, "2026-11-01T04:00:00Z", "2026-11-01T12:00:00Z"))
        .containsExactly(
            "2026-11-01T01:00-04:00", "2026-11-01T01:20-04:00", "2026-11-01T01:40-04:00");
  }

  @Test
  void fromInsideTheSecondPassAFixedTimeWaitsForTheNextDay() {
    var cron = CronExpression.parse("45 1 * * *");
    // 01:30 EST, the second 01:30 of the night; 01:45 EDT already fired.
    assertThat(cron.next(Instant.parse("2026-11-01T06:30:00Z"), NEW_YORK))
        .contains(Instant.parse("2026-11-02T06:45:00Z"));
    // 01:30 EDT, in the first pass: 01:45 EDT is still to come.
    assertThat(cron.next(Instant.parse("2026-11-01T05:30:00Z"), NEW_YORK))
        .contains(Instant.parse("2026-11-01T05:45:00Z"));
  }

  // Hour * (or a step) follows real time: every real hour, half hour, second; none lost or doubled.

  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({
    "Europe/Berlin,    2026-03-29T01:00:00Z", "Europe/Berlin,    2026-10-25T01:00:00Z",
    "Europe/Berlin,    2027-03-28T01:00:00Z", "Europe/Berlin,    2027-10-31T01:00:00Z",
    "America/New_York, 2026-03-08T07:00:00Z", "America/New_York, 2026-11-01T06:00:00Z",
    "America/New_York, 2027-03-14T07:00:00Z", "America/New_York, 2027-11-07T06:00:00Z"
  })
  void wildcardHoursRunEveryRealIntervalAcrossTheTransition(String zone, String transition) {
    Instant t = Instant.parse(transition);
    assertRealTimeSteps("0 * * * *", zone, t, Duration.ofHours(1));
    assertRealTimeSteps("*/30 * * * *", zone, t, Duration.ofMinutes(30));
    assertRealTimeSteps("0,15,30,45 * * * *", zone, t, Duration.ofMinutes(15));
    assertRealTimeSteps("* * * * * *", zone, t, Duration.ofSeconds(1));
  }

  /** From 3 h before to 3 h after {@code transition}, fires come exactly {@code step} apart. */
  static void assertRealTimeSteps(
      String expression, String zone, Instant transition, Duration step) {
    var trigger = new CronTrigger(CronExpression.parse(expression), ZoneId.of(zone));
    Instant from = transition.minus(Duration.ofHours(3));
    Instant to = transition.plus(Duration.ofHours(3));
    List<Instant> fires = trigger.between(from, to, 100_000);
    assertThat(fires).as(expression).hasSize((int) (Duration.ofHours(6).dividedBy(step)));
    assertThat(fires.getFirst()).isEqualTo(from.plus(step));
    for (int i = 1; i < fires.size(); i++) {
      assertThat(Duration.between(fires.get(i - 1), fires.get(i)))
          .as("%s: %s then %s", expression, fires.get(i - 1), fires.get(i))
          .isEqualTo(step);
    }
    assertThat(fires).contains(transition);
  }

  @Test
  void hourlyInNewYorkFallBackReadsAsLocalTimes() {
    assertThat(firesBetween("0 * * * *", NEW_YORK, "2026-11-01T03:30:00Z", "2026-11-01T08:00:00Z"))
        .containsExactly(
            "2026-11-01T00:00-04:00",
            "2026-11-01T01:00-04:00",
            "2026-11-01T01:00-05:00",
            "2026-11-01T02:00-05:00",
            "2026-11-01T03:00-05:00");
  }

  @Test
  void halfHourlyInBerlinSpringForwardReadsAsLocalTimes() {
    assertThat(firesBetween("*/30 * * * *", BERLIN, "2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z"))
        .containsExactly(
            "2026-03-29T01:30+01:00",
            "2026-03-29T03:00+02:00",
            "2026-03-29T03:30+02:00",
            "2026-03-29T04:00+02:00");
  }

  @Test
  void aSteppedHourFiresInBothPasses() {
    assertThat(
            firesBetween("0 1/12 * * *", NEW_YORK, "2026-11-01T00:00:00Z", "2026-11-01T12:00:00Z"))
        .containsExactly("2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00");
  }

  @Test
  void fromInsideTheSecondPassAWildcardHourContinuesInRealTime() {
    var cron = CronExpression.parse("*/10 * * * *");
    // 01:05 EST (second pass) → 01:10 EST, not 01:10 EDT (an hour ago).
    assertThat(cron.next(Instant.parse("2026-11-01T06:05:00Z"), NEW_YORK))
        .contains(Instant.parse("2026-11-01T06:10:00Z"));
    // 01:55 EDT (first pass) → 01:00 EST, the second pass's start.
    assertThat(cron.next(Instant.parse("2026-11-01T05:55:00Z"), NEW_YORK))
        .contains(Instant.parse("2026-11-01T06:00:00Z"));
  }

  @Test
  void aWildcardHourWithMinutesOutsideThePassStillSeesTheSecondPass() {
    // Only minute 50 of each hour: 01:50 EDT, then 01:50 EST, then 02:50 EST.
    assertThat(firesBetween("50 * * * *", NEW_YORK, "2026-11-01T05:10:00Z", "2026-11-01T08:00:00Z"))
        .containsExactly(
            "2026-11-01T01:50-04:00", "2026-11-01T01:50-05:00", "2026-11-01T02:50-05:00");
  }

  @Test
  void zonedNextCarriesTheOffsetOfThePass() {
    var cron = CronExpression.parse("0 * * * *");
    var firstPass = cron.next(Instant.parse("2026-11-01T04:30:00Z").atZone(NEW_YORK)).orElseThrow();
    var secondPass = cron.next(firstPass).orElseThrow();
    assertThat(firstPass.toOffsetDateTime()).hasToString("2026-11-01T01:00-04:00");
    assertThat(secondPass.toOffsetDateTime()).hasToString("2026-11-01T01:00-05:00");
  }

  @Test
  void aDayWithAGapOrAnOverlapStillFiresADailyJobExactlyOnce() {
    for (ZoneId zone : List.of(BERLIN, NEW_YORK)) {
      for (String time : List.of("0 0", "30 1", "0 2", "30 2", "59 2", "0 3")) {
        List<String> fires =
            firesBetween(time + " * * *", zone, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
        assertThat(fires).as("%s %s", zone, time).hasSize(365);
        assertThat(fires.stream().map(s -> s.substring(0, 10)).distinct()).hasSize(365);
      }
    }
  }
}
