package io.taskmill.internal;

import io.taskmill.internal.schedule.TickWrites;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun.Outcome;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Ops.ScheduleNextFireAt;
import io.taskmill.spi.Ops.SchedulesDue;
import io.taskmill.spi.ScheduleDue;
import io.taskmill.spi.ScheduleFiring;
import io.taskmill.spi.ScheduleTick;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's schedule firing: sleeps until the earliest next tick of any schedule, then fires
 * every due schedule as {@link TickPlanner} decides, each in one store transaction fenced by the
 * leader's term. Any node runs one; only the leader's does anything, and a tick it cannot write
 * (its term went stale, the schedule changed, the tick was fired already) stays for whoever leads.
 */
final class Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  /** The longest sleep: schedules created or changed on other nodes are seen within this. */
  static final Duration IDLE_POLL = Duration.ofSeconds(1);

  /** How soon to look again at a schedule that is due but must wait (overlap WAIT). */
  private static final Duration WAITING_POLL = Duration.ofMillis(250);

  private static final int DUE_BATCH = 100;

  /** {@link #fire} results other than a job count. */
  private static final int WAITS = -1;

  private static final int REFUSED = -2;

  private final EngineConfig cfg;
  private final Store store;
  private final Supplier<Optional<LeaderTerm>> term;
  private final Consumer<String> queueReady;
  private final TickPlanner planner;
  private final Wakeup wakeup = new Wakeup();
  private volatile boolean running;
  private Thread thread;
  private long lastFailureLogNanos;

  /**
   * @param term the term under which this node leads now, if it does
   * @param queueReady called with each queue that received fired jobs
   */
  Scheduler(EngineConfig cfg, Supplier<Optional<LeaderTerm>> term, Consumer<String> queueReady) {
    this.cfg = cfg;
    this.store = cfg.store();
    this.term = term;
    this.queueReady = queueReady;
    this.planner = new TickPlanner(cfg.misfireThreshold());
  }

  void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("taskmill-scheduler").start(this::loop);
  }

  /** Makes the scheduler look at the schedules again now (one was created or changed). */
  void wake() {
    wakeup.signal();
  }

  void stop() throws InterruptedException {
    running = false;
    wakeup.signal();
    if (thread != null) {
      thread.join();
    }
  }

  private void loop() {
    while (running) {
      Duration wait = IDLE_POLL;
      try {
        Optional<LeaderTerm> leader = term.get();
        if (leader.isPresent()) {
          wait = round(leader.get());
        }
      } catch (RuntimeException e) {
        long now = System.nanoTime();
        if (now - lastFailureLogNanos > Duration.ofSeconds(5).toNanos()) {
          lastFailureLogNanos = now;
          log.warn("firing schedules failed, retrying: {}", e.getMessage());
        }
      }
      try {
        wakeup.await(wait);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One round under {@code leader}: fires what is due, returns how long to sleep. */
  private Duration round(LeaderTerm leader) {
    Instant now = cfg.clock().instant();
    List<ScheduleDue> due =
        store.read(StoreOp.SCHEDULE, tx -> tx.query(new SchedulesDue(now, DUE_BATCH)));
    boolean waiting = false;
    boolean refused = false;
    boolean fired = false;
    for (ScheduleDue d : due) {
      int r = fire(leader, d, now);
      waiting |= r == WAITS;
      refused |= r == REFUSED;
      fired |= r >= 0;
    }
    if (due.size() == DUE_BATCH) {
      // More may be due behind this batch; a batch where nothing moved (all waiting or refused)
      // would come back unchanged, so that one waits a little instead of spinning.
      return fired ? Duration.ZERO : WAITING_POLL;
    }
    Optional<Instant> next = store.read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleNextFireAt()));
    if (next.isEmpty()) {
      return IDLE_POLL;
    }
    Duration until = Duration.between(cfg.clock().instant(), next.get());
    if (until.isNegative() || until.isZero()) {
      // Still due after this round: waiting on an unfinished run, or refused (a change raced
      // the firing, or this node's term went stale and its next heartbeat will tell).
      return waiting || refused ? WAITING_POLL : Duration.ZERO;
    }
    return until.compareTo(IDLE_POLL) < 0 ? until : IDLE_POLL;
  }

  /**
   * Fires every schedule due now under {@code leader}, once; returns how many jobs were created.
   * For the testkit's manual engine.
   */
  int fireDue(LeaderTerm leader) {
    Instant now = cfg.clock().instant();
    int jobs = 0;
    List<ScheduleDue> due;
    boolean fired;
    do {
      due = store.read(StoreOp.SCHEDULE, tx -> tx.query(new SchedulesDue(now, DUE_BATCH)));
      fired = false;
      for (ScheduleDue d : due) {
        int r = fire(leader, d, now);
        jobs += Math.max(0, r);
        fired |= r >= 0;
      }
    } while (due.size() == DUE_BATCH && fired);
    return jobs;
  }

  /**
   * Plans and writes one schedule's due ticks; returns the jobs created, {@link #WAITS} when the
   * schedule must wait for its previous run, or {@link #REFUSED} when the store refused the firing.
   */
  private int fire(LeaderTerm leader, ScheduleDue due, Instant now) {
    Schedule s = due.schedule();
    Optional<TickPlanner.Plan> plan = planner.plan(s, due.lastJobState(), now);
    if (plan.isEmpty()) {
      return WAITS;
    }
    Instant created = now.truncatedTo(ChronoUnit.MICROS);
    var ticks = new ArrayList<ScheduleTick>();
    var queues = new LinkedHashSet<String>();
    int jobs = 0;
    for (TickPlanner.PlannedTick t : plan.get().ticks()) {
      NewJob job = null;
      if (t.outcome() == Outcome.FIRED) {
        job = ScheduleService.job(s, t.fireAt(), created);
        queues.add(job.queue());
        jobs++;
      } else if (t.outcome() == Outcome.MISSED) {
        log.warn("schedule '{}': {}", s.name(), t.note());
      }
      ticks.add(new ScheduleTick(t.fireAt(), t.outcome(), job, t.note()));
    }
    var firing = new ScheduleFiring(s.name(), s.version(), ticks, plan.get().nextFireAt());
    if (!TickWrites.fire(store, leader, created, firing)) {
      log.debug(
          "schedule '{}' was not fired under term {}: it changed, was fired already, or the"
              + " term is stale",
          s.name(),
          leader.term());
      return REFUSED;
    }
    queues.forEach(queueReady);
    return jobs;
  }
}
