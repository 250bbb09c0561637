package io.taskmill.jdbc;

import io.taskmill.JobId;
import io.taskmill.job.JobState;
import io.taskmill.jdbc.JdbcSchedules.RunRow;
import io.taskmill.schedule.ScheduleRun;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.ScheduleFiring;
import io.taskmill.spi.ScheduleTick;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes a schedule's handled ticks inside the caller's transaction: the jobs they create (through
 * the {@link JobInserter}, as an enqueue would) and a run row for each, whose unique key {@code
 * (schedule, fire_at, kind)} is what keeps a tick from ever creating two jobs.
 */
final class TickWriter {
  /**
   * Manual triggers of one schedule at one instant get run keys this many microseconds apart at
   * most; the engine's clock reads microseconds, so more would take a burst no one makes by hand.
   */
  static final int MANUAL_TRIES = 10;
  /** {@code tm_job.created_by} is this wide. */
  private static final int MAX_CREATOR_CHARS = 200;

  /**
   * What a write did.
   *
   * @param readyQueues queues that received {@code ENQUEUED} jobs, to notify on commit
   */
  record Written(boolean applied, Set<String> readyQueues) {
    static final Written REFUSED = new Written(false, Set.of());
  }

  private final JdbcSchedules schedules;
  private final JobInserter inserter;

  TickWriter(JdbcSchedules schedules, JobInserter inserter) {
    this.schedules = schedules;
    this.inserter = inserter;
  }

  /**
   * Writes one firing, or nothing: refused when the schedule's version moved on, and rolled back
   * when one of its ticks was recorded before (by another leader, or under an older version).
   * The caller has checked the leader's term in this transaction.
   */
  Written fire(Connection c, ScheduleFiring firing, String node, Instant now) throws SQLException {
    String name = firing.schedule();
    var jobs = new ArrayList<NewJob>();
    var runs = new ArrayList<RunRow>();
    Instant lastFireAt = null;
    Instant lastJobFireAt = null;
    JobId lastJobId = null;
    for (ScheduleTick tick : firing.ticks()) {
      if (tick.outcome() == ScheduleRun.Outcome.MANUAL) {
        throw new IllegalArgumentException("schedule '" + name + "': a firing holds ticks, not "
            + "manual triggers (tick at " + tick.fireAt() + ")");
      }
      NewJob job = tick.job() == null ? null : ofSchedule(tick.job(), name);
      runs.add(new RunRow(tick.fireAt(), tick.outcome(), job == null ? null : job.id(),
          tick.note()));
      if (lastFireAt == null || tick.fireAt().isAfter(lastFireAt)) {
        lastFireAt = tick.fireAt();
      }
      if (job != null) {
        jobs.add(job);
        if (lastJobFireAt == null || !tick.fireAt().isBefore(lastJobFireAt)) {
          lastJobFireAt = tick.fireAt();
          lastJobId = job.id();
        }
      }
    }
    // The version guard first: of concurrent firings only one passes it, and the others wait
    // here on the schedule's row instead of racing to insert jobs they would roll back.
    if (!schedules.fire(c, name, firing.expectedVersion(), firing.nextFireAt(), lastFireAt,
        lastJobId)) {
      return Written.REFUSED;
    }
    inserter.insertMany(c, jobs, node);
    if (!schedules.insertRuns(c, name, runs, now)) {
      c.rollback(); // the jobs and the schedule's new state go too: this tick is someone else's
      return Written.REFUSED;
    }
    return new Written(true, readyQueues(jobs));
  }

  /**
   * Writes a manual trigger's job and its MANUAL run; refused when the schedule does not exist. A
   * run key already taken by another trigger at the same instant moves to the next microsecond.
   */
  Written trigger(Connection c, String name, ScheduleTick tick, Instant now) throws SQLException {
    if (tick.outcome() != ScheduleRun.Outcome.MANUAL) {
      throw new IllegalArgumentException("schedule '" + name + "': a manual trigger's tick has "
          + "outcome MANUAL, not " + tick.outcome());
    }
    if (!schedules.lock(c, name)) {
      return Written.REFUSED;
    }
    NewJob job = ofSchedule(tick.job(), name);
    inserter.insertMany(c, List.of(job), creator(name));
    Instant fireAt = NamedSql.micros(tick.fireAt());
    for (int i = 0; i < MANUAL_TRIES; i++) {
      var run = new RunRow(fireAt.plus(i, ChronoUnit.MICROS), tick.outcome(), job.id(),
          tick.note());
      if (schedules.insertRun(c, name, run, now)) {
        return new Written(true, readyQueues(List.of(job)));
      }
    }
    throw new IllegalStateException("schedule '" + name + "' was triggered by hand more than "
        + MANUAL_TRIES + " times within " + MANUAL_TRIES + " µs of " + fireAt);
  }

  /**
   * The job as the schedule's: it carries the schedule's name, and no idempotency key, since a
   * tick never fires twice and a key could hand the run another schedule's job.
   */
  private static NewJob ofSchedule(NewJob job, String name) {
    if (job.idempotencyKey() != null) {
      throw new IllegalArgumentException("schedule '" + name + "': a tick's job has no "
          + "idempotency key, got '" + job.idempotencyKey() + "'");
    }
    if (Objects.equals(job.schedule(), name)) {
      return job;
    }
    return new NewJob(job.id(), job.type(), job.queue(), job.state(), job.priority(), job.runAt(),
        job.payloadJson(), job.maxAttempts(), job.retryPolicyJson(), job.timeout(), null,
        job.tags(), job.correlationId(), job.createdAt(), name);
  }

  /**
   * Who a manual trigger's job was created by ({@code tm_job.created_by}, shown as the node of its
   * first event): the Store SPI does not pass the triggering node, so the schedule stands in.
   */
  private static String creator(String name) {
    String creator = "schedule:" + name;
    return creator.length() <= MAX_CREATOR_CHARS ? creator
        : creator.substring(0, MAX_CREATOR_CHARS);
  }

  private static Set<String> readyQueues(List<NewJob> jobs) {
    var queues = new TreeSet<String>();
    for (NewJob j : jobs) {
      if (j.state() == JobState.ENQUEUED) {
        queues.add(j.queue());
      }
    }
    return queues;
  }
}
