package io.taskmill.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TriggerTest {
  static final Instant ANCHOR = Instant.parse("2026-01-01T00:00:07Z");

  @Nested
  class Interval {
    @Test
    void ticksAreAnchorPlusMultiplesOfTheInterval() {
      var every = Trigger.every(Duration.ofMinutes(5), ANCHOR);
      assertThat(every.next(ANCHOR)).contains(ANCHOR.plusSeconds(300));
      assertThat(every.next(ANCHOR.plusSeconds(299))).contains(ANCHOR.plusSeconds(300));
      assertThat(every.next(ANCHOR.plusSeconds(300))).contains(ANCHOR.plusSeconds(600));
      assertThat(every.next(ANCHOR.plusNanos(300_000_000_001L))).contains(ANCHOR.plusSeconds(600));
    }

    @Test
    void beforeTheAnchorTheFirstTickIsTheAnchor() {
      var every = Trigger.every(Duration.ofHours(1), ANCHOR);
      assertThat(every.next(ANCHOR.minusSeconds(1))).contains(ANCHOR);
      assertThat(every.next(Instant.EPOCH)).contains(ANCHOR);
    }

    @Test
    void noDriftAfterAMillionTicksOrFromALateStart() {
      var every = Trigger.every(Duration.ofMillis(1_333), ANCHOR);
      Instant t = ANCHOR;
      for (int i = 0; i < 1_000_000; i++) t = every.next(t).orElseThrow();
      assertThat(t).isEqualTo(ANCHOR.plusMillis(1_333_000_000L));
      // A caller that runs late still lands on the grid.
      assertThat(every.next(t.plusMillis(5_000))).contains(t.plusMillis(5_332));
    }

    @Test
    void followsRealTimeAcrossDaylightSaving() {
      var every = Trigger.every(Duration.ofHours(1), Instant.parse("2026-11-01T00:00:00Z"));
      assertThat(
              every.between(
                  Instant.parse("2026-11-01T04:30:00Z"), Instant.parse("2026-11-01T07:30:00Z"), 10))
          .containsExactly(
              Instant.parse("2026-11-01T05:00:00Z"),
              Instant.parse("2026-11-01T06:00:00Z"),
              Instant.parse("2026-11-01T07:00:00Z"));
    }

    @Test
    void emptyPastTheEndOfTime() {
      var every = Trigger.every(Duration.ofDays(366), ANCHOR);
      assertThat(every.next(Instant.MAX.minusSeconds(10))).isEmpty();
    }

    @Test
    void validatesTheInterval() {
      assertThatThrownBy(() -> Trigger.every(Duration.ofMillis(999), ANCHOR))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessage("interval PT0.999S is too short: it must be at least 1 second (PT1S)");
      assertThatThrownBy(() -> Trigger.every(Duration.ofSeconds(-5), ANCHOR))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("too short");
      assertThatThrownBy(() -> Trigger.every(Duration.ofDays(367), ANCHOR))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("interval PT8808H is too long: it must be at most 366 days");
      assertThatThrownBy(() -> Trigger.every(null, ANCHOR))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("interval is null");
      assertThatThrownBy(() -> Trigger.every(Duration.ofSeconds(1), null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("anchor");
      assertThat(Trigger.every(Duration.ofSeconds(1), ANCHOR).every()).hasSeconds(1);
      assertThat(Trigger.every(Duration.ofDays(366), ANCHOR).every()).hasDays(366);
    }
  }

  @Nested
  class Cron {
    @Test
    void readsWallTimesInItsZone() {
      var trigger = Trigger.cron("0 9 * * MON-FRI", "Europe/Berlin");
      assertThat(trigger.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
      assertThat(trigger.expression()).hasToString("0 9 * * MON-FRI");
      // Friday 2026-05-01 10:00 in Berlin → Monday 09:00 CEST.
      assertThat(trigger.next(Instant.parse("2026-05-01T08:00:00Z")))
          .contains(Instant.parse("2026-05-04T07:00:00Z"));
    }

    @Test
    void defaultsToUtc() {
      assertThat(Trigger.cron("0 9 * * *").zone()).isEqualTo(ZoneOffset.UTC);
      assertThat(Trigger.cron("0 9 * * *", null).zone()).isEqualTo(ZoneOffset.UTC);
      assertThat(Trigger.cron("0 9 * * *").next(Instant.parse("2026-05-01T00:00:00Z")))
          .contains(Instant.parse("2026-05-01T09:00:00Z"));
    }

    @Test
    void betweenListsMissedFiresOldestFirstUpToMax() {
      var trigger = Trigger.cron("0 * * * *");
      Instant from = Instant.parse("2026-05-01T00:00:00Z");
      Instant to = Instant.parse("2026-05-01T05:00:00Z");
      assertThat(trigger.between(from, to, 100))
          .containsExactly(
              Instant.parse("2026-05-01T01:00:00Z"),
              Instant.parse("2026-05-01T02:00:00Z"),
              Instant.parse("2026-05-01T03:00:00Z"),
              Instant.parse("2026-05-01T04:00:00Z"),
              Instant.parse("2026-05-01T05:00:00Z"));
      assertThat(trigger.between(from, to, 2))
          .containsExactly(
              Instant.parse("2026-05-01T01:00:00Z"), Instant.parse("2026-05-01T02:00:00Z"));
      assertThat(trigger.between(from, to, 0)).isEmpty();
      assertThat(trigger.between(to, from, 10)).isEmpty();
      assertThat(trigger.between(from, from, 10)).isEmpty();
      assertThatThrownBy(() -> trigger.between(from, to, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("max");
    }

    @Test
    void invalidExpressionsAreRefusedWithTheParsersMessage() {
      assertThatThrownBy(() -> Trigger.cron("0 25 * * *", "UTC"))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("field 2 (hour) \"25\" is out of range 0-23");
    }

    @Test
    void equalWhenExpressionAndZoneAre() {
      assertThat(Trigger.cron("0 9 * * mon", "UTC"))
          .isEqualTo(Trigger.cron("0 9 * * MON", "UTC"))
          .isNotEqualTo(Trigger.cron("0 9 * * MON", "Europe/Berlin"));
    }
  }

  @Nested
  class Text {
    @Test
    void cronTriggersReadBackEqualWithTheirZoneBesideTheText() {
      for (CronTrigger t :
          List.of(
              Trigger.cron("30 2 * * *", "Europe/Berlin"),
              Trigger.cron("0 9 * * mon-fri"),
              Trigger.cron("@daily", "UTC"),
              Trigger.cron("*/15 0 L * 5L", "America/New_York"),
              Trigger.cron("0 0 9 * * MON#2"))) {
        assertThat(Trigger.parse(t.text(), t.zone().getId())).as(t.text()).isEqualTo(t);
      }
      assertThat(Trigger.cron("30 2 * * *", "Europe/Berlin").text()).isEqualTo("cron 30 2 * * *");
      assertThat(Trigger.cron("0 9 * * mon").zone().getId()).isEqualTo("Z");
    }

    @Test
    void intervalTriggersReadBackEqualToTheNanosecond() {
      var t = Trigger.every(Duration.ofMinutes(5).plusMillis(250), ANCHOR.plusNanos(123_456_789));
      assertThat(t.text()).isEqualTo("every PT5M0.25S from 2026-01-01T00:00:07.123456789Z");
      assertThat(Trigger.parse(t.text(), null)).isEqualTo(t);
    }

    @Test
    void unreadableTextIsRefusedNamingIt() {
      assertThatThrownBy(() -> Trigger.parse("cron 30 2 * * *", null))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("with a zone");
      assertThatThrownBy(() -> Trigger.parse("every PT5M from 2026-01-01T00:00:00Z", "UTC"))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("without one");
      assertThatThrownBy(() -> Trigger.parse("every soon from now", null))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("every soon");
      assertThatThrownBy(() -> Trigger.parse("cron 0 0 * * *", "Mars/Olympus_Mons"))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("Mars/Olympus_Mons");
      assertThatThrownBy(() -> Trigger.parse(null, null))
          .isInstanceOf(InvalidScheduleException.class);
    }
  }

  @Nested
  class Zones {
    @Test
    void acceptsIanaIds() {
      for (String id :
          List.of("Europe/Berlin", "America/New_York", "UTC", "Etc/GMT-2", "Asia/Kolkata")) {
        assertThat(Trigger.zone(id)).isEqualTo(ZoneId.of(id));
      }
    }

    @Test
    void unknownZoneSuggestsTheClosestId() {
      assertThatThrownBy(() -> Trigger.zone("Europe/Berln"))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessage(
              "unknown time zone \"Europe/Berln\": use an IANA id such as Europe/Berlin"
                  + " or UTC (did you mean Europe/Berlin?)");
      assertThatThrownBy(() -> Trigger.zone("america/new_york"))
          .hasMessageContaining("(did you mean America/New_York?)");
      assertThatThrownBy(() -> Trigger.cron("0 0 * * *", "Mars/Olympus_Mons"))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessage(
              "unknown time zone \"Mars/Olympus_Mons\": use an IANA id such as"
                  + " Europe/Berlin or UTC");
    }

    @Test
    void offsetsAndAbbreviationsAreNotZones() {
      for (String id : List.of("+02:00", "CEST", "PST", "GMT+1")) {
        assertThatThrownBy(() -> Trigger.zone(id))
            .as(id)
            .isInstanceOf(InvalidScheduleException.class)
            .hasMessageContaining("unknown time zone \"" + id + "\"");
      }
    }

    @Test
    void blankOrNull() {
      assertThatThrownBy(() -> Trigger.zone(" ")).hasMessageStartingWith("time zone is empty");
      assertThatThrownBy(() -> Trigger.zone(null)).hasMessageStartingWith("time zone is null");
    }
  }
}
