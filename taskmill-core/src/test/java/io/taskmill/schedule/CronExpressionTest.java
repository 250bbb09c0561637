package io.taskmill.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an expression means in UTC, where wall time is real time; daylight saving is elsewhere. */
class CronExpressionTest {
  static final ZoneId UTC = ZoneOffset.UTC;

  /** The first {@code n} fire times after {@code after}, as UTC instants in ISO form. */
  static List<String> fires(String expression, String after, int n) {
    var cron = CronExpression.parse(expression);
    var times = new ArrayList<String>();
    Instant t = Instant.parse(after);
    for (int i = 0; i < n; i++) {
      t = cron.next(t, UTC).orElseThrow();
      times.add(t.toString());
    }
    return times;
  }

  @Nested
  class Fields {
    @Test
    void fiveFieldsFireOnTheMinute() {
      assertThat(fires("15 10 * * *", "2026-05-01T00:00:00Z", 2))
          .containsExactly("2026-05-01T10:15:00Z", "2026-05-02T10:15:00Z");
    }

    @Test
    void sixFieldsStartWithSeconds() {
      assertThat(fires("30 15 10 * * *", "2026-05-01T10:15:30Z", 2))
          .containsExactly("2026-05-02T10:15:30Z", "2026-05-03T10:15:30Z");
      assertThat(fires("*/20 * * * * *", "2026-05-01T10:15:30Z", 3))
          .containsExactly("2026-05-01T10:15:40Z", "2026-05-01T10:16:00Z", "2026-05-01T10:16:20Z");
    }

    @Test
    void listsRangesAndSteps() {
      assertThat(fires("0,30 9-10 * * *", "2026-05-01T00:00:00Z", 5))
          .containsExactly(
              "2026-05-01T09:00:00Z",
              "2026-05-01T09:30:00Z",
              "2026-05-01T10:00:00Z",
              "2026-05-01T10:30:00Z",
              "2026-05-02T09:00:00Z");
      assertThat(fires("5/20 * * * *", "2026-05-01T00:00:00Z", 4))
          .containsExactly(
              "2026-05-01T00:05:00Z",
              "2026-05-01T00:25:00Z",
              "2026-05-01T00:45:00Z",
              "2026-05-01T01:05:00Z");
      assertThat(fires("10-40/15 8 * * *", "2026-05-01T00:00:00Z", 4))
          .containsExactly(
              "2026-05-01T08:10:00Z",
              "2026-05-01T08:25:00Z",
              "2026-05-01T08:40:00Z",
              "2026-05-02T08:10:00Z");
      assertThat(fires("0 0 */10 * *", "2026-01-25T00:00:00Z", 4))
          .containsExactly(
              "2026-01-31T00:00:00Z",
              "2026-02-01T00:00:00Z",
              "2026-02-11T00:00:00Z",
              "2026-02-21T00:00:00Z");
    }

    @Test
    void monthAndWeekdayNamesInAnyCase() {
      // 2026-01-01 is a Thursday.
      assertThat(fires("0 12 * jan,Mar mon-WED", "2026-01-01T00:00:00Z", 3))
          .containsExactly("2026-01-05T12:00:00Z", "2026-01-06T12:00:00Z", "2026-01-07T12:00:00Z");
      assertThat(fires("0 12 1 FEB-MAR *", "2026-01-01T00:00:00Z", 3))
          .containsExactly("2026-02-01T12:00:00Z", "2026-03-01T12:00:00Z", "2027-02-01T12:00:00Z");
    }

    @ParameterizedTest
    @CsvSource({"0", "7", "SUN", "sun"})
    void sundayIsZeroSevenOrSun(String sunday) {
      assertThat(fires("0 0 * * " + sunday, "2026-01-01T00:00:00Z", 2))
          .containsExactly("2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z");
    }

    @Test
    void aWeekdayRangeMayEndAtSevenForSunday() {
      assertThat(fires("0 0 * * 5-7", "2026-01-01T00:00:00Z", 4))
          .containsExactly(
              "2026-01-02T00:00:00Z",
              "2026-01-03T00:00:00Z",
              "2026-01-04T00:00:00Z",
              "2026-01-09T00:00:00Z");
    }

    @Test
    void questionMarkMeansAnyDay() {
      assertThat(fires("0 0 ? * MON", "2026-01-01T00:00:00Z", 2))
          .isEqualTo(fires("0 0 * * MON", "2026-01-01T00:00:00Z", 2));
      assertThat(fires("0 0 1 * ?", "2026-01-01T00:00:00Z", 2))
          .isEqualTo(fires("0 0 1 * *", "2026-01-01T00:00:00Z", 2));
    }

    @ParameterizedTest
    @CsvSource({
      "@yearly,   0 0 1 1 *",
      "@annually, 0 0 1 1 *",
      "@monthly,  0 0 1 * *",
      "@weekly,   0 0 * * 0",
      "@daily,    0 0 * * *",
      "@midnight, 0 0 * * *",
      "@hourly,   0 * * * *"
    })
    void macrosAreTheirExpressions(String macro, String expression) {
      assertThat(fires(macro, "2026-07-15T10:20:30Z", 3))
          .isEqualTo(fires(expression, "2026-07-15T10:20:30Z", 3));
      assertThat(CronExpression.parse(macro.toUpperCase())).hasToString(macro);
    }
  }

  @Nested
  class DaysOfTheMonth {
    @Test
    void lastDayOfEachMonthIncludingLeapFebruary() {
      assertThat(fires("0 0 L * *", "2027-12-15T00:00:00Z", 4))
          .containsExactly(
              "2027-12-31T00:00:00Z",
              "2028-01-31T00:00:00Z",
              "2028-02-29T00:00:00Z",
              "2028-03-31T00:00:00Z");
      assertThat(fires("0 0 L 2 *", "2026-01-01T00:00:00Z", 3))
          .containsExactly("2026-02-28T00:00:00Z", "2027-02-28T00:00:00Z", "2028-02-29T00:00:00Z");
      assertThat(fires("0 0 1,L 4 *", "2026-01-01T00:00:00Z", 3))
          .containsExactly("2026-04-01T00:00:00Z", "2026-04-30T00:00:00Z", "2027-04-01T00:00:00Z");
    }

    @Test
    void theThirtyFirstSkipsShortMonths() {
      assertThat(fires("0 0 31 * *", "2026-01-31T00:00:00Z", 3))
          .containsExactly("2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z");
    }

    @Test
    void februaryTwentyNinthOnlyInLeapYearsAndNotIn2100() {
      assertThat(fires("0 0 29 2 *", "2026-01-01T00:00:00Z", 3))
          .containsExactly("2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z");
      assertThat(fires("0 0 29 2 *", "2096-03-01T00:00:00Z", 1))
          .containsExactly("2104-02-29T00:00:00Z");
    }

    @Test
    void lastWeekdayOfTheMonth() {
      // The last Friday of January, February and March 2026.
      assertThat(fires("0 18 * * 5L", "2026-01-01T00:00:00Z", 3))
          .containsExactly("2026-01-30T18:00:00Z", "2026-02-27T18:00:00Z", "2026-03-27T18:00:00Z");
      assertThat(fires("0 18 * * FRIL", "2026-01-01T00:00:00Z", 3))
          .isEqualTo(fires("0 18 * * 5L", "2026-01-01T00:00:00Z", 3));
    }

    @Test
    void nthWeekdayOfTheMonth() {
      assertThat(fires("0 9 * * MON#2", "2026-01-01T00:00:00Z", 3))
          .containsExactly("2026-01-12T09:00:00Z", "2026-02-09T09:00:00Z", "2026-03-09T09:00:00Z");
      // Months with a fifth Monday only: March, June and August 2026.
      assertThat(fires("0 9 * * 1#5", "2026-01-01T00:00:00Z", 3))
          .containsExactly("2026-03-30T09:00:00Z", "2026-06-29T09:00:00Z", "2026-08-31T09:00:00Z");
    }
  }

  /**
   * Vixie cron: restricted day-of-month and day-of-week are ORed; a field starting with * is not.
   */
  @Nested
  class DayOfMonthAndDayOfWeek {
    @Test
    void bothRestrictedFireWhenEitherMatches() {
      assertThat(fires("0 0 1,15 * MON", "2026-01-01T00:00:00Z", 6))
          .containsExactly(
              "2026-01-05T00:00:00Z",
              "2026-01-12T00:00:00Z",
              "2026-01-15T00:00:00Z",
              "2026-01-19T00:00:00Z",
              "2026-01-26T00:00:00Z",
              "2026-02-01T00:00:00Z");
    }

    @Test
    void februaryTwentyNinthOrMondaysInFebruary() {
      assertThat(fires("0 0 29 2 MON", "2027-02-10T00:00:00Z", 5))
          .containsExactly(
              "2027-02-15T00:00:00Z",
              "2027-02-22T00:00:00Z",
              "2028-02-07T00:00:00Z",
              "2028-02-14T00:00:00Z",
              "2028-02-21T00:00:00Z");
      assertThat(fires("0 0 29 2 MON", "2028-02-22T00:00:00Z", 2))
          .containsExactly("2028-02-28T00:00:00Z", "2028-02-29T00:00:00Z");
    }

    @Test
    void aStarWithAStepStillCountsAsUnrestricted() {
      // Mondays that fall on an odd day, as in Vixie cron (whose rule looks at the leading *).
      assertThat(fires("0 0 */2 * MON", "2026-01-01T00:00:00Z", 4))
          .containsExactly(
              "2026-01-05T00:00:00Z",
              "2026-01-19T00:00:00Z",
              "2026-02-09T00:00:00Z",
              "2026-02-23T00:00:00Z");
    }

    @Test
    void lastDayOrFridays() {
      assertThat(fires("0 0 L * FRI", "2026-01-27T00:00:00Z", 3))
          .containsExactly("2026-01-30T00:00:00Z", "2026-01-31T00:00:00Z", "2026-02-06T00:00:00Z");
    }
  }

  @Nested
  class Next {
    @Test
    void isStrictlyAfterEvenAtAFireTime() {
      var cron = CronExpression.parse("0 * * * *");
      Instant fire = Instant.parse("2026-05-01T10:00:00Z");
      assertThat(cron.next(fire, UTC)).contains(Instant.parse("2026-05-01T11:00:00Z"));
      assertThat(cron.next(fire.minusNanos(1), UTC)).contains(fire);
      assertThat(cron.next(fire.plusNanos(1), UTC)).contains(Instant.parse("2026-05-01T11:00:00Z"));
    }

    @Test
    void rollsOverYearEnds() {
      assertThat(fires("0 0 1 1 *", "2026-12-31T23:59:59.999Z", 2))
          .containsExactly("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z");
      assertThat(fires("59 23 31 12 *", "2026-12-31T23:59:00Z", 1))
          .containsExactly("2027-12-31T23:59:00Z");
    }

    @Test
    void zonedVariantKeepsTheZone() {
      var cron = CronExpression.parse("0 9 * * *");
      var after = ZonedDateTime.parse("2026-05-01T10:00:00+09:00[Asia/Tokyo]");
      assertThat(cron.next(after))
          .contains(ZonedDateTime.parse("2026-05-02T09:00:00+09:00[Asia/Tokyo]"));
    }

    @Test
    void everySecondTenThousandTimesInARow() {
      var cron = CronExpression.parse("* * * * * *");
      Instant t = Instant.parse("2026-12-31T23:00:00.250Z");
      Instant expected = Instant.parse("2026-12-31T23:00:01Z");
      for (int i = 0; i < 10_000; i++) {
        t = cron.next(t, UTC).orElseThrow();
        assertThat(t).isEqualTo(expected);
        expected = expected.plusSeconds(1);
      }
      assertThat(t).isEqualTo(Instant.parse("2027-01-01T01:46:40Z"));
    }

    @Test
    void februaryTwentyNinthOnAMondayComesEveryTwentyEightToFortyYears() {
      // The fifth Monday of February exists only when the 29th is a Monday; 2100 is no leap year.
      assertThat(fires("0 0 * 2 MON#5", "2026-01-01T00:00:00Z", 4))
          .containsExactly(
              "2044-02-29T00:00:00Z",
              "2072-02-29T00:00:00Z",
              "2112-02-29T00:00:00Z",
              "2140-02-29T00:00:00Z");
      assertThat(fires("0 0 29 2 1L", "2026-01-01T00:00:00Z", 1))
          .containsExactly("2026-02-23T00:00:00Z");
    }

    @Test
    void pathologicalExpressionsStillFindTheirRareDays() {
      // */31 is the 1st only; with a leading * it is ANDed: the 1st of a month that is a Sunday.
      assertThat(fires("59 59 23 */31 * SUN", "2026-01-01T00:00:00Z", 2))
          .containsExactly("2026-02-01T23:59:59Z", "2026-03-01T23:59:59Z");
      assertThat(fires("0 0 * 2 SAT#5", "2026-01-01T00:00:00Z", 2))
          .containsExactly("2048-02-29T00:00:00Z", "2076-02-29T00:00:00Z");
      assertThat(fires("59 59 23 L 2 *", "2026-01-01T00:00:00Z", 1))
          .containsExactly("2026-02-28T23:59:59Z");
    }

    @Test
    void nothingPastTheLastRepresentableYear() {
      var cron = CronExpression.parse("0 0 1 1 *");
      assertThat(cron.next(Instant.parse("+999999999-06-01T00:00:00Z"), UTC)).isEmpty();
      assertThat(cron.next(Instant.MAX, UTC)).isEmpty();
    }

    @Test
    void farFromTheEpochWorksLikeNearIt() {
      assertThat(fires("0 0 29 2 *", "+400000-01-01T00:00:00Z", 1))
          .containsExactly("+400000-02-29T00:00:00Z");
      assertThat(fires("30 1 * * *", "-0044-03-15T12:00:00Z", 1))
          .containsExactly("-0044-03-16T01:30:00Z");
    }

    @Test
    void zoneOffsetsShiftTheWallClock() {
      var cron = CronExpression.parse("0 9 * * *");
      assertThat(cron.next(Instant.parse("2026-05-01T00:00:00Z"), ZoneId.of("Asia/Kolkata")))
          .contains(Instant.parse("2026-05-01T03:30:00Z"));
      assertThat(cron.next(Instant.parse("2026-05-01T00:00:00Z"), ZoneId.of("Pacific/Kiritimati")))
          .contains(Instant.parse("2026-05-01T19:00:00Z"));
    }

    @Test
    void gapsBetweenFiresNeverShrinkBelowTheExpressionsResolution() {
      var cron = CronExpression.parse("*/7 */5 */3 * * *");
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      for (int i = 0; i < 2_000; i++) {
        Instant n = cron.next(t, UTC).orElseThrow();
        assertThat(Duration.between(t, n)).isPositive();
        assertThat(n.getEpochSecond() % 60 % 7).isZero();
        t = n;
      }
    }
  }

  @Nested
  class Text {
    @Test
    void toStringIsTheNormalizedExpression() {
      assertThat(CronExpression.parse("  0\t0  * *   mon-fri ")).hasToString("0 0 * * MON-FRI");
      assertThat(CronExpression.parse("@Daily")).hasToString("@daily");
      assertThat(CronExpression.parse("*/5 * * * * *")).hasToString("*/5 * * * * *");
    }

    @Test
    void equalWhenTheNormalizedTextIsEqual() {
      var a = CronExpression.parse("0 0 * * mon");
      var b = CronExpression.parse(" 0 0 * * MON");
      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
      assertThat(a).isNotEqualTo(CronExpression.parse("0 0 * * 1"));
      assertThat(CronExpression.parse("@daily")).isNotEqualTo(CronExpression.parse("0 0 * * *"));
    }
  }
}
