package io.taskmill.internal;

import io.taskmill.config.TaskmillConfigException;
import io.taskmill.internal.schedule.TickWrites;
import io.taskmill.job.InvalidJobException;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.job.Names;
import io.taskmill.schedule.IntervalTrigger;
import io.taskmill.schedule.InvalidScheduleException;
import io.taskmill.schedule.JobTemplate;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleDefinition;
import io.taskmill.schedule.ScheduleRun;
import io.taskmill.schedule.Schedules;
import io.taskmill.schedule.Trigger;
import io.taskmill.schedule.UnknownScheduleException;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Ops.ScheduleDelete;
import io.taskmill.spi.Ops.ScheduleGet;
import io.taskmill.spi.Ops.ScheduleList;
import io.taskmill.spi.Ops.ScheduleRuns;
import io.taskmill.spi.Ops.ScheduleUpdate;
import io.taskmill.spi.ScheduleTick;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The engine's side of {@link Schedules}: validates definitions, resolves the job template once (so
 * any node can fire it), and writes schedules with optimistic concurrency, so saving the same
 * definition from many nodes at once creates one schedule and resets nothing.
 */
final class ScheduleService implements Schedules {
  /** Concurrent writers of one schedule retry this often before giving up. */
  private static final int MAX_TRIES = 10;

  private final EngineConfig cfg;
  private final Store store;
  private final Enqueuer enqueuer;
  private final Runnable changed;
  private final Consumer<String> queueReady;

  /**
   * @param changed called after a schedule was written, so the local scheduler looks again
   * @param queueReady called with the queue of a job created here
   */
  ScheduleService(
      EngineConfig cfg, Enqueuer enqueuer, Runnable changed, Consumer<String> queueReady) {
    this.cfg = cfg;
    this.store = cfg.store();
    this.enqueuer = enqueuer;
    this.changed = changed;
    this.queueReady = queueReady;
  }

  /** Saves the schedules declared in code; bad ones fail the start, each named. */
  void reconcileDeclared() {
    var problems = new ArrayList<String>();
    for (ScheduleDefinition d : cfg.schedules()) {
      try {
        put(d);
      } catch (InvalidScheduleException | InvalidJobException e) {
        problems.add("schedule '" + d.name() + "' declared in code: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new TaskmillConfigException(problems);
    }
  }

  @Override
  public Schedule put(ScheduleDefinition d) {
    if (d == null) {
      throw new InvalidScheduleException("schedule definition must not be null");
    }
    String name = checkName(d.name());
    JobTemplate template = template(d);
    for (int tries = 0; tries < MAX_TRIES; tries++) {
      Instant now = now();
      Optional<Schedule> existing =
          store.read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet(name)));
      Trigger trigger = trigger(d, existing, now);
      if (existing.isEmpty()) {
        var created =
            new Schedule(
                name,
                trigger,
                template,
                d.misfire(),
                d.overlap(),
                false,
                firstTick(trigger, now),
                null,
                null,
                now,
                now,
                0);
        if (store.inTransaction(StoreOp.SCHEDULE, tx -> tx.scheduleInsert(created))) {
          changed.run();
          return store
              .read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet(name)))
              .orElse(created);
        }
        continue; // created meanwhile by another node: compare with that one
      }
      Schedule old = existing.get();
      var wanted =
          new Schedule(
              name,
              trigger,
              template,
              d.misfire(),
              d.overlap(),
              old.paused(),
              trigger.equals(old.trigger()) ? old.nextFireAt() : firstTick(trigger, now),
              old.lastFireAt(),
              old.lastJobId(),
              old.createdAt(),
              now,
              old.version());
      if (wanted.sameDefinition(old)) {
        return old;
      }
      if (store.inTransaction(
          StoreOp.SCHEDULE, tx -> tx.change(new ScheduleUpdate(wanted, old.version())) == 1)) {
        changed.run();
        return store.read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet(name))).orElse(wanted);
      }
    }
    throw busy(name);
  }

  @Override
  public Optional<Schedule> get(String name) {
    return store.read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet(checkName(name))));
  }

  @Override
  public List<Schedule> list(String afterName, int limit) {
    checkLimit(limit);
    return store.read(StoreOp.SCHEDULE, tx -> tx.query(new ScheduleList(afterName, limit)));
  }

  @Override
  public boolean delete(String name) {
    boolean deleted =
        store.inTransaction(
            StoreOp.SCHEDULE, tx -> tx.change(new ScheduleDelete(checkName(name))) == 1);
    if (deleted) {
      changed.run();
    }
    return deleted;
  }

  @Override
  public Schedule pause(String name) {
    return change(name, s -> s.paused() ? null : withPaused(s, true));
  }

  @Override
  public Schedule resume(String name) {
    return change(name, s -> s.paused() ? withPaused(s, false) : null);
  }

  @Override
  public JobId trigger(String name) {
    checkName(name);
    Schedule s =
        store
            .read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet(name)))
            .orElseThrow(() -> new UnknownScheduleException(name));
    Instant now = now();
    NewJob job = job(s, now, now);
    var tick =
        new ScheduleTick(
            now, ScheduleRun.Outcome.MANUAL, job, "triggered by hand on node " + cfg.nodeId());
    if (!TickWrites.trigger(store, name, tick, now)) {
      throw new UnknownScheduleException(name);
    }
    queueReady.accept(job.queue());
    return job.id();
  }

  @Override
  public List<ScheduleRun> history(String name, int limit) {
    checkName(name);
    checkLimit(limit);
    if (store.read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet(name))).isEmpty()) {
      throw new UnknownScheduleException(name);
    }
    return store.read(StoreOp.SCHEDULE, tx -> tx.query(new ScheduleRuns(name, limit)));
  }

  /** The job a tick (or a manual trigger) at {@code fireAt} creates: due at the tick. */
  static NewJob job(Schedule s, Instant fireAt, Instant now) {
    JobTemplate t = s.job();
    JobState state = fireAt.isAfter(now) ? JobState.SCHEDULED : JobState.ENQUEUED;
    return new NewJob(
        JobId.newId(now.toEpochMilli()),
        t.type(),
        t.queue(),
        state,
        t.priority(),
        fireAt,
        t.payloadJson(),
        t.maxAttempts(),
        t.retryPolicyJson(),
        t.timeout(),
        null,
        t.tags(),
        null,
        now,
        s.name());
  }

  /** Applies {@code edit} (null: nothing to change) with optimistic concurrency. */
  private Schedule change(String name, UnaryOperator<Schedule> edit) {
    checkName(name);
    for (int tries = 0; tries < MAX_TRIES; tries++) {
      Schedule old =
          store
              .read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet(name)))
              .orElseThrow(() -> new UnknownScheduleException(name));
      Schedule updated = edit.apply(old);
      if (updated == null) {
        return old;
      }
      if (store.inTransaction(
          StoreOp.SCHEDULE, tx -> tx.change(new ScheduleUpdate(updated, old.version())) == 1)) {
        changed.run();
        return store.read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet(name))).orElse(updated);
      }
    }
    throw busy(name);
  }

  private Schedule withPaused(Schedule s, boolean paused) {
    return new Schedule(
        s.name(),
        s.trigger(),
        s.job(),
        s.misfire(),
        s.overlap(),
        paused,
        s.nextFireAt(),
        s.lastFireAt(),
        s.lastJobId(),
        s.createdAt(),
        now(),
        s.version());
  }

  private JobTemplate template(ScheduleDefinition d) {
    String name = d.name();
    if (d.type() == null) {
      throw new InvalidScheduleException(
          "schedule '" + name + "' has no job: give it one with " + ".job(type, payload)");
    }
    JobOptions o = d.options();
    if (o.runAt() != null || o.delay() != null) {
      throw new InvalidScheduleException(
          "schedule '"
              + name
              + "': each tick sets its job's due "
              + "time; remove runAt/delay from the job's options");
    }
    if (o.idempotencyKey() != null) {
      throw new InvalidScheduleException(
          "schedule '"
              + name
              + "': every tick creates a new job, "
              + "so one idempotency key cannot fit them all; remove it (a tick never fires twice)");
    }
    // Validated and resolved exactly as an enqueue would be, so a tick's job is never refused.
    NewJob j = enqueuer.prepare(List.of(JobRequest.of(d.type(), d.payload(), o))).get(0);
    return new JobTemplate(
        j.type(),
        j.queue(),
        j.priority(),
        j.payloadJson(),
        j.maxAttempts(),
        j.retryPolicyJson(),
        j.timeout(),
        j.tags());
  }

  private static Trigger trigger(ScheduleDefinition d, Optional<Schedule> existing, Instant now) {
    String name = d.name();
    if ((d.cron() == null) == (d.every() == null)) {
      throw new InvalidScheduleException(
          "schedule '"
              + name
              + "' needs either a cron expression "
              + "or an interval (every), "
              + (d.cron() == null ? "not neither" : "not both"));
    }
    if (d.cron() != null) {
      if (d.anchor() != null) {
        throw new InvalidScheduleException(
            "schedule '"
                + name
                + "': an anchor applies to "
                + "interval schedules only; a cron expression fixes its own times");
      }
      return Trigger.cron(d.cron(), d.zone());
    }
    if (d.zone() != null) {
      throw new InvalidScheduleException(
          "schedule '"
              + name
              + "': a time zone applies to cron "
              + "schedules only; an interval runs in real time");
    }
    Instant anchor = d.anchor();
    if (anchor == null) {
      // Keep the stored grid, so declaring the same interval at every start resets nothing.
      anchor =
          existing
              .map(Schedule::trigger)
              .filter(t -> t instanceof IntervalTrigger i && i.every().equals(d.every()))
              .map(t -> ((IntervalTrigger) t).anchor())
              .orElse(now.truncatedTo(ChronoUnit.SECONDS));
    }
    return Trigger.every(d.every(), anchor.truncatedTo(ChronoUnit.MICROS));
  }

  private static Instant firstTick(Trigger trigger, Instant now) {
    return trigger
        .next(now)
        .orElseThrow(
            () -> new InvalidScheduleException("trigger " + trigger + " never fires after " + now));
  }

  private static String checkName(String name) {
    if (!Names.isScheduleName(name)) {
      throw new InvalidScheduleException(
          "schedule name "
              + (name == null ? "is missing" : "'" + name + "' is invalid")
              + ": "
              + Names.SCHEDULE_RULE);
    }
    return name;
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", was " + limit);
    }
  }

  private static IllegalStateException busy(String name) {
    return new IllegalStateException(
        "schedule '" + name + "' kept changing under concurrent " + "updates; try again");
  }

  private Instant now() {
    return cfg.clock().instant().truncatedTo(ChronoUnit.MICROS);
  }
}
