package io.taskmill.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.TickPlanner.Plan;
import io.taskmill.internal.TickPlanner.PlannedTick;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.schedule.JobTemplate;
import io.taskmill.schedule.MisfirePolicy;
import io.taskmill.schedule.OverlapPolicy;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun.Outcome;
import io.taskmill.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the leader makes of due ticks: misfire and overlap policies, and no drift. */
class TickPlannerTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration THRESHOLD = Duration.ofMinutes(1);
  private static final Trigger EVERY_MINUTE = Trigger.cron("* * * * *");
  private static final Trigger EVERY_SECOND = Trigger.cron("* * * * * *");
  private final TickPlanner planner = new TickPlanner(THRESHOLD);

  private static Schedule schedule(
      Trigger trigger, Instant next, MisfirePolicy misfire, OverlapPolicy overlap) {
    return new Schedule(
        "s",
        trigger,
        new JobTemplate("test.step", "default", 0, "{}", 3, "{}", null, List.of()),
        misfire,
        overlap,
        false,
        next,
        null,
        JobId.newId(0),
        T0,
        T0,
        4);
  }

  private static Schedule schedule(Trigger trigger, Instant next) {
    return schedule(trigger, next, MisfirePolicy.fireOnce(), OverlapPolicy.ALLOW);
  }

  private static List<Instant> fired(Plan plan) {
    return plan.ticks().stream()
        .filter(t -> t.outcome() == Outcome.FIRED)
        .map(PlannedTick::fireAt)
        .toList();
  }

  private static List<Outcome> outcomes(Plan plan) {
    return plan.ticks().stream().map(PlannedTick::outcome).toList();
  }

  @Test
  void aTickNotYetDueIsLeftAlone() {
    assertThat(planner.plan(schedule(EVERY_MINUTE, T0), null, T0.minusMillis(1))).isEmpty();
  }

  @Test
  void dueTicksWithinTheThresholdFireOneByOneAndTheNextComesFromTheTrigger() {
    Plan plan = planner.plan(schedule(EVERY_SECOND, T0), null, T0.plusMillis(2_700)).orElseThrow();

    assertThat(fired(plan)).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));
    assertThat(plan.nextFireAt()).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void theNextTickDependsOnTheScheduledTimeNotOnHowLateTheLeaderLooked() {
    Instant anchor = T0.minusSeconds(30);
    Trigger every30s = Trigger.every(Duration.ofSeconds(30), anchor);
    for (long lateMs : new long[] {0, 1, 700, 29_999}) {
      Plan plan = planner.plan(schedule(every30s, T0), null, T0.plusMillis(lateMs)).orElseThrow();
      assertThat(fired(plan)).containsExactly(T0);
      assertThat(plan.nextFireAt()).isEqualTo(T0.plusSeconds(30));
    }
  }

  @Test
  void afterTenMinutesDownSkipDropsEveryMissedTickAndRecordsItOnce() {
    Instant now = T0.plus(Duration.ofMinutes(10)).plusSeconds(30);
    Plan plan =
        planner
            .plan(schedule(EVERY_MINUTE, T0, MisfirePolicy.skip(), OverlapPolicy.ALLOW), null, now)
            .orElseThrow();

    // 10:00 to 10:09 are late by more than a minute; 10:10 is within it and fires on time.
    assertThat(outcomes(plan)).containsExactly(Outcome.MISSED, Outcome.FIRED);
    assertThat(plan.ticks().get(0).fireAt()).isEqualTo(T0);
    assertThat(plan.ticks().get(0).note()).contains("SKIP");
    assertThat(fired(plan)).containsExactly(T0.plus(Duration.ofMinutes(10)));
    assertThat(plan.nextFireAt()).isEqualTo(T0.plus(Duration.ofMinutes(11)));
  }

  @Test
  void fireOnceFiresTheLatestMissedTickOnly() {
    Instant now = T0.plus(Duration.ofMinutes(10)).plusSeconds(30);
    Plan plan = planner.plan(schedule(EVERY_MINUTE, T0), null, now).orElseThrow();

    assertThat(outcomes(plan)).containsExactly(Outcome.MISSED, Outcome.FIRED, Outcome.FIRED);
    assertThat(fired(plan))
        .containsExactly(T0.plus(Duration.ofMinutes(9)), T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void fireAllFiresExactlyTheLatestNMissedTicks() {
    Instant now = T0.plus(Duration.ofMinutes(10)).plusSeconds(30);
    Plan three =
        planner
            .plan(
                schedule(EVERY_MINUTE, T0, MisfirePolicy.fireAll(3), OverlapPolicy.ALLOW),
                null,
                now)
            .orElseThrow();
    Plan all =
        planner
            .plan(
                schedule(EVERY_MINUTE, T0, MisfirePolicy.fireAll(100), OverlapPolicy.ALLOW),
                null,
                now)
            .orElseThrow();

    assertThat(fired(three))
        .containsExactly(
            T0.plus(Duration.ofMinutes(7)),
            T0.plus(Duration.ofMinutes(8)),
            T0.plus(Duration.ofMinutes(9)),
            T0.plus(Duration.ofMinutes(10)));
    assertThat(outcomes(three).get(0)).isEqualTo(Outcome.MISSED);
    // min(missed, N): all ten missed ticks, and nothing recorded as missed.
    assertThat(fired(all)).hasSize(11).startsWith(T0);
    assertThat(outcomes(all)).doesNotContain(Outcome.MISSED);
  }

  @Test
  void aCatchUpAfterYearsOfASparseScheduleFindsTheLatestTicksExactly() {
    Trigger leapDays = Trigger.cron("0 0 29 2 *");
    Instant from = Instant.parse("2004-02-29T00:00:00Z");
    Instant to = Instant.parse("2031-01-01T00:00:00Z");

    assertThat(TickPlanner.latest(leapDays, from, to, 2))
        .containsExactly(
            Instant.parse("2024-02-29T00:00:00Z"), Instant.parse("2028-02-29T00:00:00Z"));
    assertThat(TickPlanner.latest(leapDays, from, to, 100)).hasSize(7).startsWith(from);
    assertThat(TickPlanner.latest(EVERY_SECOND, T0.minus(Duration.ofDays(3650)), T0, 3))
        .containsExactly(T0.minusSeconds(3), T0.minusSeconds(2), T0.minusSeconds(1));
  }

  @Test
  void overlapSkipRecordsTicksWhileThePreviousRunIsUnfinished() {
    Schedule s = schedule(EVERY_SECOND, T0, MisfirePolicy.fireOnce(), OverlapPolicy.SKIP);

    Plan running = planner.plan(s, JobState.RUNNING, T0.plusMillis(1_500)).orElseThrow();
    assertThat(outcomes(running)).containsExactly(Outcome.SKIPPED, Outcome.SKIPPED);
    assertThat(running.ticks().get(0).note()).contains("RUNNING");
    assertThat(running.nextFireAt()).isEqualTo(T0.plusSeconds(2));

    Plan finished = planner.plan(s, JobState.SUCCEEDED, T0.plusMillis(1_500)).orElseThrow();
    assertThat(outcomes(finished)).containsExactly(Outcome.FIRED, Outcome.SKIPPED);
    assertThat(fired(finished)).containsExactly(T0);
  }

  @Test
  void overlapWaitHoldsTheTickUntilThePreviousRunFinishesThenFiresOneAtATime() {
    Schedule s = schedule(EVERY_SECOND, T0, MisfirePolicy.fireOnce(), OverlapPolicy.WAIT);

    assertThat(planner.plan(s, JobState.ENQUEUED, T0.plusSeconds(5))).isEmpty();
    Plan plan = planner.plan(s, JobState.DEAD, T0.plusSeconds(5)).orElseThrow();
    assertThat(fired(plan)).containsExactly(T0);
    assertThat(outcomes(plan)).containsExactly(Outcome.FIRED);
    assertThat(plan.nextFireAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void aRoundHandlesABoundedNumberOfTicks() {
    var patient = new TickPlanner(Duration.ofHours(2));
    Plan plan =
        patient.plan(schedule(EVERY_SECOND, T0), null, T0.plus(Duration.ofHours(1))).orElseThrow();

    assertThat(plan.ticks()).hasSize(TickPlanner.MAX_TICKS_PER_ROUND);
    assertThat(plan.nextFireAt()).isEqualTo(T0.plusSeconds(TickPlanner.MAX_TICKS_PER_ROUND));
  }

  @Test
  void aScheduleFirstDueOnADaylightSavingGapFiresOnceAfterIt() {
    Trigger berlin = Trigger.cron("30 2 * * *", "Europe/Berlin");
    Instant before = Instant.parse("2026-03-28T23:00:00Z");
    Instant first = berlin.next(before).orElseThrow();
    Plan plan = planner.plan(schedule(berlin, first), null, first.plusMillis(10)).orElseThrow();

    assertThat(first).isEqualTo(Instant.parse("2026-03-29T01:00:00Z")); // 03:00 CEST
    assertThat(fired(plan)).containsExactly(first);
    assertThat(plan.nextFireAt()).isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));
  }
}
