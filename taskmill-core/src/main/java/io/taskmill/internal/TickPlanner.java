package io.taskmill.internal;

import io.taskmill.job.JobState;
import io.taskmill.schedule.MisfirePolicy;
import io.taskmill.schedule.OverlapPolicy;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun.Outcome;
import io.taskmill.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what the leader does with a due schedule: which ticks fire, which are skipped or missed,
 * and the schedule's next tick. Pure: the same schedule, job state and instant give the same plan.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>A tick due more than the misfire threshold ago was missed (the cluster was down, or the
 *       schedule paused). The misfire policy decides: {@code SKIP} drops all such ticks, {@code
 *       FIRE_ONCE} fires the latest of them, {@code FIRE_ALL(n)} fires the latest n. Dropped ticks
 *       are recorded as one MISSED run at the first of them. Ticks within the threshold always fire
 *       one by one (a leader failover of a few seconds loses none).
 *   <li>The overlap policy then looks at the job of the previous tick: {@code ALLOW} fires every
 *       tick; {@code SKIP} fires the first tick only if the previous job finished and records the
 *       rest as SKIPPED; {@code WAIT} fires nothing while the previous job runs, then the first
 *       tick only, leaving the rest due.
 *   <li>The next tick comes from the trigger and the last handled tick's <em>scheduled</em> time,
 *       never from when anything ran, so a schedule does not drift.
 * </ol>
 */
final class TickPlanner {
  /** At most this many ticks per schedule and round, so one schedule cannot stall the others. */
  static final int MAX_TICKS_PER_ROUND = 1000;

  /** One tick the plan handles. */
  record PlannedTick(Instant fireAt, Outcome outcome, String note) {}

  /** The ticks to write, in time order, and the earliest tick left for later. */
  record Plan(List<PlannedTick> ticks, Instant nextFireAt) {}

  private final Duration misfireThreshold;

  TickPlanner(Duration misfireThreshold) {
    this.misfireThreshold = misfireThreshold;
  }

  /**
   * The plan for {@code s} at {@code now}, or empty when nothing is due or it must wait.
   *
   * @param lastJobState the state of the previous tick's job, or null when there is none
   */
  Optional<Plan> plan(Schedule s, JobState lastJobState, Instant now) {
    Instant first = s.nextFireAt();
    if (first.isAfter(now)) {
      return Optional.empty();
    }
    boolean previousRuns = lastJobState != null && !lastJobState.isTerminal();
    if (s.overlap() == OverlapPolicy.WAIT && previousRuns) {
      return Optional.empty();
    }
    Trigger trigger = s.trigger();
    var ticks = new ArrayList<PlannedTick>();
    Instant lateEdge = now.minus(misfireThreshold);
    Instant recent = first;
    if (first.isBefore(lateEdge)) {
      recent = nextAtOrAfter(trigger, lateEdge);
      planMissed(trigger, s.misfire(), first, lateEdge, ticks);
    }
    Instant next = recent;
    while (!next.isAfter(now) && ticks.size() < MAX_TICKS_PER_ROUND) {
      ticks.add(new PlannedTick(next, Outcome.FIRED, null));
      next = after(trigger, next);
    }
    return Optional.of(applyOverlap(s, lastJobState, previousRuns, ticks, next));
  }

  /** What the misfire policy makes of the ticks in {@code [first, lateEdge)}. */
  private static void planMissed(
      Trigger trigger,
      MisfirePolicy policy,
      Instant first,
      Instant lateEdge,
      List<PlannedTick> ticks) {
    int fire =
        switch (policy.kind()) {
          case SKIP -> 0;
          case FIRE_ONCE -> 1;
          case FIRE_ALL -> policy.max();
        };
    List<Instant> fired = fire == 0 ? List.of() : latest(trigger, first, lateEdge, fire);
    if (fired.isEmpty() || !fired.get(0).equals(first)) {
      String note =
          "ticks from "
              + first
              + " to before "
              + lateEdge
              + " were missed by more than "
              + "the misfire threshold; misfire policy "
              + policy
              + (fired.isEmpty() ? " dropped them" : " fired the latest " + fired.size());
      ticks.add(new PlannedTick(first, Outcome.MISSED, note));
    }
    fired.forEach(t -> ticks.add(new PlannedTick(t, Outcome.FIRED, null)));
  }

  private static Plan applyOverlap(
      Schedule s,
      JobState lastJobState,
      boolean previousRuns,
      List<PlannedTick> ticks,
      Instant next) {
    if (s.overlap() == OverlapPolicy.ALLOW) {
      return new Plan(ticks, next);
    }
    var out = new ArrayList<PlannedTick>(ticks.size());
    PlannedTick firedNow = null;
    for (PlannedTick t : ticks) {
      if (t.outcome() != Outcome.FIRED) {
        out.add(t);
      } else if (firedNow == null && !previousRuns) {
        firedNow = t;
        out.add(t);
      } else if (s.overlap() == OverlapPolicy.WAIT) {
        // The rest wait for the run just fired; they are due again once it finishes.
        return new Plan(out, t.fireAt());
      } else {
        String note =
            firedNow == null
                ? "the previous run (job " + s.lastJobId() + ") was still " + lastJobState
                : "the run of the tick at " + firedNow.fireAt() + " had not finished";
        out.add(new PlannedTick(t.fireAt(), Outcome.SKIPPED, note + "; overlap policy SKIP"));
      }
    }
    return new Plan(out, next);
  }

  /**
   * The latest {@code n} ticks in {@code [from, to)}, oldest first. Scans forward through windows
   * that end at {@code to} and grow fourfold until they hold n ticks or reach {@code from}, so a
   * schedule missed for years costs about as much as one missed for minutes.
   */
  static List<Instant> latest(Trigger trigger, Instant from, Instant to, int n) {
    Instant second = after(trigger, from);
    Duration window = Duration.between(from, second).multipliedBy(2L * n);
    while (true) {
      Instant start = window.compareTo(Duration.between(from, to)) >= 0 ? from : to.minus(window);
      var kept = new ArrayDeque<Instant>(n);
      for (Instant t = nextAtOrAfter(trigger, start); t.isBefore(to); t = after(trigger, t)) {
        if (kept.size() == n) {
          kept.removeFirst();
        }
        kept.addLast(t);
      }
      if (kept.size() == n || start.equals(from)) {
        return List.copyOf(kept);
      }
      window = window.multipliedBy(4);
    }
  }

  private static Instant nextAtOrAfter(Trigger trigger, Instant t) {
    return after(trigger, t.minusNanos(1));
  }

  private static Instant after(Trigger trigger, Instant t) {
    return trigger
        .next(t)
        .orElseThrow(
            () -> new IllegalStateException("trigger " + trigger + " has no tick after " + t));
  }
}
