package io.taskmill.internal.schedule;

import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.schedule.ScheduleRun;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Ops.LeaderHolds;
import io.taskmill.spi.Ops.ScheduleAdvance;
import io.taskmill.spi.Ops.ScheduleLock;
import io.taskmill.spi.RunRecord;
import io.taskmill.spi.ScheduleFiring;
import io.taskmill.spi.ScheduleTick;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Writes a schedule's handled ticks: the jobs they create, inserted as an enqueue inserts them, and
 * a run row for each. A tick recorded before (by another leader, or under an older version of the
 * schedule) rolls the whole firing back, so a tick never creates two jobs.
 */
public final class TickWrites {
  /**
   * Manual triggers of one schedule at one instant get run keys this many microseconds apart at
   * most; the engine's clock reads microseconds, so more would take a burst no one makes by hand.
   */
  static final int MANUAL_TRIES = 10;

  /** {@code created_by} of a job is this wide. */
  private static final int MAX_CREATOR_CHARS = 200;

  /** Ends a firing's transaction with a rollback: one of its ticks is someone else's. */
  private static final class Recorded extends RuntimeException {
    Recorded() {
      super(null, null, false, false);
    }
  }

  private TickWrites() {}

  /**
   * Writes one firing, fenced by {@code leader}'s term, or nothing: false when the term is stale,
   * the schedule's version moved on, or one of its ticks was recorded before.
   */
  public static boolean fire(Store store, LeaderTerm leader, Instant now, ScheduleFiring firing) {
    String name = firing.schedule();
    var jobs = new ArrayList<NewJob>();
    var runs = new ArrayList<RunRecord>();
    Instant lastFireAt = null;
    Instant lastJobFireAt = null;
    JobId lastJobId = null;
    for (ScheduleTick tick : firing.ticks()) {
      if (tick.outcome() == ScheduleRun.Outcome.MANUAL) {
        throw new IllegalArgumentException(
            "schedule '"
                + name
                + "': a firing holds ticks, not "
                + "manual triggers (tick at "
                + tick.fireAt()
                + ")");
      }
      NewJob job = tick.job() == null ? null : ofSchedule(tick.job(), name);
      runs.add(
          new RunRecord(tick.fireAt(), tick.outcome(), job == null ? null : job.id(), tick.note()));
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
    Instant last = lastFireAt;
    JobId lastJob = lastJobId;
    try {
      return store.inTransaction(
          StoreOp.SCHEDULE,
          tx -> {
            // The version guard first: of concurrent firings only one passes it, and the others
            // wait on the schedule's row instead of racing to insert jobs they would roll back.
            if (tx.first(new LeaderHolds(leader, now)).isEmpty()
                || tx.change(
                        new ScheduleAdvance(
                            name, firing.expectedVersion(), firing.nextFireAt(), last, lastJob))
                    != 1) {
              return false;
            }
            if (!jobs.isEmpty()) {
              tx.jobInsert(jobs, leader.node());
            }
            if (!tx.scheduleRunsInsert(name, runs, now)) {
              throw new Recorded(); // the jobs and the schedule's new state go too
            }
            notifyReady(tx, jobs);
            return true;
          });
    } catch (Recorded r) {
      return false;
    }
  }

  /**
   * Writes a manual trigger's job and its MANUAL run; false when the schedule does not exist. A run
   * key already taken by another trigger at the same instant moves to the next microsecond.
   */
  public static boolean trigger(Store store, String name, ScheduleTick tick, Instant now) {
    if (tick.outcome() != ScheduleRun.Outcome.MANUAL) {
      throw new IllegalArgumentException(
          "schedule '"
              + name
              + "': a manual trigger's tick has "
              + "outcome MANUAL, not "
              + tick.outcome());
    }
    NewJob job = ofSchedule(tick.job(), name);
    Instant fireAt = tick.fireAt().truncatedTo(ChronoUnit.MICROS);
    return store.inTransaction(
        StoreOp.SCHEDULE,
        tx -> {
          if (tx.first(new ScheduleLock(name)).isEmpty()) {
            return false;
          }
          tx.jobInsert(List.of(job), creator(name));
          for (int i = 0; i < MANUAL_TRIES; i++) {
            var run =
                new RunRecord(
                    fireAt.plus(i, ChronoUnit.MICROS), tick.outcome(), job.id(), tick.note());
            if (tx.scheduleRunsInsert(name, List.of(run), now)) {
              notifyReady(tx, List.of(job));
              return true;
            }
          }
          throw new IllegalStateException(
              "schedule '"
                  + name
                  + "' was triggered by hand more than "
                  + MANUAL_TRIES
                  + " times within "
                  + MANUAL_TRIES
                  + " µs of "
                  + fireAt);
        });
  }

  /**
   * The job as the schedule's: it carries the schedule's name, and no idempotency key, since a tick
   * never fires twice and a key could hand the run another schedule's job.
   */
  private static NewJob ofSchedule(NewJob job, String name) {
    if (job.idempotencyKey() != null) {
      throw new IllegalArgumentException(
          "schedule '"
              + name
              + "': a tick's job has no "
              + "idempotency key, got '"
              + job.idempotencyKey()
              + "'");
    }
    if (Objects.equals(job.schedule(), name)) {
      return job;
    }
    return new NewJob(
        job.id(),
        job.type(),
        job.queue(),
        job.state(),
        job.priority(),
        job.runAt(),
        job.payloadJson(),
        job.maxAttempts(),
        job.retryPolicyJson(),
        job.timeout(),
        null,
        job.tags(),
        job.correlationId(),
        job.createdAt(),
        name);
  }

  /**
   * Who a manual trigger's job was created by, shown as the node of its first event: a trigger
   * comes from an API call, not from a node, so the schedule stands in.
   */
  private static String creator(String name) {
    String creator = "schedule:" + name;
    return creator.length() <= MAX_CREATOR_CHARS
        ? creator
        : creator.substring(0, MAX_CREATOR_CHARS);
  }

  private static void notifyReady(StoreTx tx, List<NewJob> jobs) {
    var queues = new TreeSet<String>();
    for (NewJob j : jobs) {
      if (j.state() == JobState.ENQUEUED) {
        queues.add(j.queue());
      }
    }
    if (!queues.isEmpty()) {
      tx.notifyReady(queues);
    }
  }
}
