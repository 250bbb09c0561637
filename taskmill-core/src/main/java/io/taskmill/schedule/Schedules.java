package io.taskmill.schedule;

import io.taskmill.job.JobId;
import java.util.List;
import java.util.Optional;

/**
 * Recurring jobs: create, change, pause, trigger and inspect schedules, shared by every node of the
 * store. The cluster's leader fires each tick exactly once.
 */
public interface Schedules {
  /** Most schedules one {@link #list(String, int)} call returns, and most runs in a history. */
  int MAX_PAGE = 1000;

  /**
   * Creates the schedule, or replaces the definition of the one of that name. Saving an unchanged
   * definition writes nothing and keeps its next tick; a changed trigger starts from the next tick
   * after now; a paused schedule stays paused.
   *
   * @throws io.taskmill.schedule.InvalidScheduleException for a bad name, cron expression, zone,
   *     interval or option, with where it is wrong
   * @throws InvalidJobException when the job would not be accepted by {@code enqueue}
   */
  Schedule put(ScheduleDefinition definition);

  /** The schedule of that name, if it exists. */
  Optional<Schedule> get(String name);

  /**
   * Schedules in name order after {@code afterName} (null: from the first), at most {@code limit}.
   */
  List<Schedule> list(String afterName, int limit);

  /**
   * Deletes the schedule and its run history (not the jobs it created); false if there was none.
   */
  boolean delete(String name);

  /**
   * Stops the schedule firing until {@link #resume}; ticks that pass meanwhile are missed and
   * handled by its misfire policy on resume.
   *
   * @throws io.taskmill.schedule.UnknownScheduleException if it does not exist
   */
  Schedule pause(String name);

  /** Lets a paused schedule fire again. */
  Schedule resume(String name);

  /**
   * Creates the schedule's job now, outside its ticks (recorded as a MANUAL run); its next tick is
   * unchanged. Works on a paused schedule too.
   */
  JobId trigger(String name);

  /** The latest {@code limit} runs of the schedule, newest first. */
  List<ScheduleRun> history(String name, int limit);
}
