package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static io.taskmill.job.JobState.SCHEDULED;
import static io.taskmill.job.JobState.SUCCEEDED;
import static io.taskmill.schedule.ScheduleRun.Outcome.FIRED;
import static io.taskmill.schedule.ScheduleRun.Outcome.MANUAL;
import static io.taskmill.schedule.ScheduleRun.Outcome.MISSED;
import static io.taskmill.schedule.ScheduleRun.Outcome.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.leader.Retention;
import io.taskmill.internal.schedule.TickWrites;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import io.taskmill.job.Outcome;
import io.taskmill.schedule.JobTemplate;
import io.taskmill.schedule.MisfirePolicy;
import io.taskmill.schedule.OverlapPolicy;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun;
import io.taskmill.schedule.Trigger;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Ops.JobNextScheduledAt;
import io.taskmill.spi.Ops.ScheduleDelete;
import io.taskmill.spi.Ops.ScheduleGet;
import io.taskmill.spi.Ops.ScheduleList;
import io.taskmill.spi.Ops.ScheduleNextFireAt;
import io.taskmill.spi.Ops.ScheduleRuns;
import io.taskmill.spi.Ops.ScheduleUpdate;
import io.taskmill.spi.Ops.SchedulesDue;
import io.taskmill.spi.Retained;
import io.taskmill.spi.ScheduleDue;
import io.taskmill.spi.ScheduleFiring;
import io.taskmill.spi.ScheduleTick;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Schedules: definitions with optimistic versions, what is due, the leader's fenced firing that
 * creates each tick's job at most once (also under racing leaders), manual triggers, run history
 * and its pruning.
 *
 * <p>{@link #concurrentFiringsOfOneTickCreateOneJob} fires from {@value #RACERS} threads at once;
 * give the store that many pooled connections, so each firing runs in a transaction of its own.
 */
public abstract class ScheduleContract extends StoreContractSupport {
  /** Threads of the race test; the store's pool should have at least this many connections. */
  protected static final int RACERS = 8;

  private static final String NAME = "nightly";
  private static final Duration EVERY = Duration.ofMinutes(1);
  private static final Instant TICK_1 = T0.plus(EVERY);
  private static final Instant TICK_2 = TICK_1.plus(EVERY);
  private static final Instant TICK_3 = TICK_2.plus(EVERY);
  private static final Instant TICK_4 = TICK_3.plus(EVERY);
  private static final Instant TICK_5 = TICK_4.plus(EVERY);
  private static final JobTemplate TEMPLATE =
      new JobTemplate(TYPE, QUEUE, 0, "{}", 3, null, null, List.of());

  /** An unpaused schedule firing every minute from {@link #T0}, never fired, at version 0. */
  private static Schedule schedule(String name, Instant nextFireAt) {
    return new Schedule(
        name,
        Trigger.every(EVERY, T0),
        TEMPLATE,
        MisfirePolicy.fireOnce(),
        OverlapPolicy.ALLOW,
        false,
        nextFireAt,
        null,
        null,
        T0,
        T0,
        0);
  }

  private static Schedule paused(Schedule s) {
    return new Schedule(
        s.name(),
        s.trigger(),
        s.job(),
        s.misfire(),
        s.overlap(),
        true,
        s.nextFireAt(),
        s.lastFireAt(),
        s.lastJobId(),
        s.createdAt(),
        s.updatedAt(),
        s.version());
  }

  /** Inserts a schedule and returns it as stored. */
  private Schedule saved(Schedule s) {
    assertThat(store.inTransaction(StoreOp.SCHEDULE, (StoreTx tx) -> tx.scheduleInsert(s)))
        .as("insert " + s.name())
        .isTrue();
    return stored(s.name());
  }

  private Schedule saved(String name, Instant nextFireAt) {
    return saved(schedule(name, nextFireAt));
  }

  private Schedule stored(String name) {
    return store
        .read(StoreOp.SCHEDULE, tx -> tx.first(new ScheduleGet(name)))
        .orElseThrow(() -> new AssertionError("no schedule " + name));
  }

  private static ScheduleTick fired(String schedule, Instant fireAt, Instant now) {
    NewJob job =
        TestJobs.aJob()
            .type(TYPE)
            .queue(QUEUE)
            .runAt(fireAt)
            .createdAt(now)
            .schedule(schedule)
            .build();
    return new ScheduleTick(fireAt, FIRED, job, null);
  }

  private static ScheduleTick notFired(Instant fireAt, ScheduleRun.Outcome outcome) {
    return new ScheduleTick(fireAt, outcome, null, outcome + " at " + fireAt);
  }

  private static ScheduleTick manual(String schedule, Instant now) {
    NewJob job =
        TestJobs.aJob()
            .type(TYPE)
            .queue(QUEUE)
            .runAt(now)
            .createdAt(now)
            .schedule(schedule)
            .build();
    return new ScheduleTick(now, MANUAL, job, "triggered by hand");
  }

  private boolean fire(
      LeaderTerm leader, Instant now, Schedule s, Instant next, ScheduleTick... ticks) {
    return TickWrites.fire(
        store, leader, now, new ScheduleFiring(s.name(), s.version(), List.of(ticks), next));
  }

  /** The jobs schedule {@code name} created, oldest tick first. */
  private List<Job> jobsOf(String name) {
    return store.read(StoreOp.READ, tx -> tx.jobList(JobQuery.all(1000))).stream()
        .filter(j -> name.equals(j.schedule()))
        .sorted(Comparator.comparing(Job::runAt).thenComparing(Job::id))
        .toList();
  }

  private static JobId jobId(ScheduleTick tick) {
    return tick.job().id();
  }

  /** Claims {@code id} (the only ready job) and finishes it at {@code at}. */
  private void succeed(JobId id, Instant at) {
    Job running = claimOne(NODE, at);
    assertThat(running.id()).isEqualTo(id);
    assertThat(complete(running, new Outcome.Succeeded(null), at)).isTrue();
  }

  // --- definitions ---

  @Test
  void storesEveryFieldOfANewScheduleAtVersionZero() {
    var template =
        new JobTemplate(
            "reports.build",
            "reports",
            5,
            "{\"kind\":\"daily\"}",
            7,
            "{\"backoff\":\"fixed\",\"base\":\"PT30S\"}",
            Duration.ofMinutes(10),
            List.of("nightly", "eu"));
    Instant precise = T0.plusNanos(123_456_789);
    var s =
        new Schedule(
            "reports.nightly",
            Trigger.cron("30 2 * * MON-FRI", "Europe/Berlin"),
            template,
            MisfirePolicy.fireAll(5),
            OverlapPolicy.WAIT,
            true,
            precise,
            T0.minusSeconds(60),
            TestJobs.nextId(T0),
            T0,
            T0.plusSeconds(1),
            7);

    assertThat(store.inTransaction(StoreOp.SCHEDULE, (StoreTx tx) -> tx.scheduleInsert(s)))
        .isTrue();

    Instant micros = T0.plusNanos(123_456_000);
    assertThat(stored(s.name()))
        .isEqualTo(
            new Schedule(
                s.name(),
                s.trigger(),
                template,
                s.misfire(),
                s.overlap(),
                true,
                micros,
                s.lastFireAt(),
                s.lastJobId(),
                T0,
                T0.plusSeconds(1),
                0));
  }

  @Test
  void intervalTriggersKeepTheirAnchorExactly() {
    var trigger = Trigger.every(Duration.ofSeconds(90), T0.plusNanos(1));
    var s =
        new Schedule(
            NAME,
            trigger,
            TEMPLATE,
            MisfirePolicy.skip(),
            OverlapPolicy.SKIP,
            false,
            TICK_1,
            null,
            null,
            T0,
            T0,
            0);

    store.inTransaction(StoreOp.SCHEDULE, tx -> tx.scheduleInsert(s));

    assertThat(stored(NAME)).isEqualTo(s);
  }

  @Test
  void aTakenNameIsNotInsertedAgain() {
    Schedule first = saved(NAME, TICK_1);

    assertThat(
            store.inTransaction(
                StoreOp.SCHEDULE,
                (StoreTx tx) -> tx.scheduleInsert(paused(schedule(NAME, TICK_5)))))
        .isFalse();

    assertThat(stored(NAME)).isEqualTo(first);
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.first(new ScheduleGet("other"))))
        .isEmpty();
  }

  @Test
  void listsPagesInNameOrder() {
    List<String> names = List.of("b", "A", "a-1", "a.2", "a:3", "a_4", "B", "0", "a");
    names.forEach(n -> saved(n, TICK_1));
    List<String> sorted = names.stream().sorted().toList(); // code-point order

    var seen = new ArrayList<String>();
    String after = null;
    for (int page = 0; page < 5; page++) {
      String from = after;
      List<Schedule> got = store.read(StoreOp.SCHEDULE, tx -> tx.query(new ScheduleList(from, 4)));
      got.forEach(s -> seen.add(s.name()));
      if (got.size() < 4) {
        break;
      }
      after = got.getLast().name();
    }

    assertThat(seen).containsExactlyElementsOf(sorted);
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleList(null, 2))))
        .extracting(Schedule::name)
        .containsExactly(sorted.get(0), sorted.get(1));
    assertThat(
            store.read(
                StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleList(sorted.getLast(), 10))))
        .isEmpty();
  }

  @Test
  void anUpdateAtTheExpectedVersionReplacesTheDefinitionAndBumpsTheVersion() {
    Schedule old = saved(NAME, TICK_1);
    LeaderTerm leader = lead(NODE, TICK_1);
    ScheduleTick tick = fired(NAME, TICK_1, TICK_1);
    assertThat(fire(leader, TICK_1, old, TICK_2, tick)).isTrue();
    Schedule fired = stored(NAME);
    var template = new JobTemplate("reports.build", "reports", 1, "{}", 2, null, null, List.of());
    var wanted =
        new Schedule(
            NAME,
            Trigger.cron("0 3 * * *", "America/New_York"),
            template,
            MisfirePolicy.skip(),
            OverlapPolicy.SKIP,
            true,
            TICK_5,
            null,
            null,
            T0.plusSeconds(999),
            TICK_2,
            fired.version());

    assertThat(
            store.inTransaction(
                StoreOp.SCHEDULE,
                (StoreTx tx) -> tx.change(new ScheduleUpdate(wanted, fired.version())) == 1))
        .isTrue();

    // createdAt and what firing wrote (lastFireAt, lastJobId) stay; so does the run history.
    assertThat(stored(NAME))
        .isEqualTo(
            new Schedule(
                NAME,
                wanted.trigger(),
                template,
                wanted.misfire(),
                wanted.overlap(),
                true,
                TICK_5,
                TICK_1,
                jobId(tick),
                T0,
                TICK_2,
                fired.version() + 1));
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .extracting(ScheduleRun::fireAt)
        .containsExactly(TICK_1);
  }

  @Test
  void anUpdateAtAStaleVersionChangesNothing() {
    Schedule old = saved(NAME, TICK_1);
    assertThat(
            store.inTransaction(
                StoreOp.SCHEDULE,
                (StoreTx tx) -> tx.change(new ScheduleUpdate(paused(old), 0)) == 1))
        .isTrue();
    Schedule current = stored(NAME);

    assertThat(
            store.inTransaction(
                StoreOp.SCHEDULE,
                (StoreTx tx) -> tx.change(new ScheduleUpdate(schedule(NAME, TICK_5), 0)) == 1))
        .isFalse();
    assertThat(
            store.inTransaction(
                StoreOp.SCHEDULE,
                (StoreTx tx) -> tx.change(new ScheduleUpdate(schedule("missing", TICK_5), 0)) == 1))
        .isFalse();

    assertThat(stored(NAME)).isEqualTo(current);
    assertThat(current.version()).isEqualTo(1);
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.first(new ScheduleGet("missing"))))
        .isEmpty();
  }

  @Test
  void deletingAScheduleDeletesItsRunsButKeepsItsJobs() {
    Schedule s = saved(NAME, TICK_1);
    ScheduleTick tick = fired(NAME, TICK_1, TICK_1);
    assertThat(fire(lead(NODE, TICK_1), TICK_1, s, TICK_2, tick)).isTrue();

    assertThat(
            store.inTransaction(
                StoreOp.SCHEDULE, (StoreTx tx) -> tx.change(new ScheduleDelete(NAME)) == 1))
        .isTrue();

    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.first(new ScheduleGet(NAME))))
        .isEmpty();
    assertThat(
            store.inTransaction(
                StoreOp.SCHEDULE, (StoreTx tx) -> tx.change(new ScheduleDelete(NAME)) == 1))
        .isFalse();
    assertThat(get(jobId(tick)).schedule()).isEqualTo(NAME);
    // A new schedule of the same name starts without the old one's history.
    saved(NAME, TICK_3);
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .isEmpty();
  }

  // --- what is due ---

  @Test
  void dueListsUnpausedSchedulesDueByNowEarliestFirst() {
    saved("a", TICK_2);
    saved("c", TICK_1);
    saved("b", TICK_1);
    saved(paused(schedule("paused", T0)));
    saved("later", TICK_4);

    List<ScheduleDue> due =
        store.read(StoreOp.SCHEDULE, tx -> tx.query(new SchedulesDue(TICK_3, 10)));

    assertThat(due).extracting(d -> d.schedule().name()).containsExactly("b", "c", "a");
    assertThat(due).extracting(ScheduleDue::lastJobState).containsOnlyNulls();
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new SchedulesDue(TICK_3, 2))))
        .extracting(d -> d.schedule().name())
        .containsExactly("b", "c");
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new SchedulesDue(TICK_1, 10))))
        .extracting(d -> d.schedule().name())
        .containsExactly("b", "c");
    assertThat(
            store.read(
                StoreOp.SCHEDULE,
                (StoreTx tx) -> tx.query(new SchedulesDue(TICK_1.minusNanos(1000), 10))))
        .isEmpty();
  }

  @Test
  void dueCarriesTheStateOfTheLatestFiredJobUntilItIsPruned() {
    Schedule s = saved(NAME, TICK_1);
    LeaderTerm leader = lead(NODE, TICK_1);
    ScheduleTick tick = fired(NAME, TICK_1, TICK_1);
    // Still due afterwards (next tick at TICK_1 too), so it stays in the list.
    assertThat(fire(leader, TICK_1, s, TICK_1.plusSeconds(1), tick)).isTrue();

    assertThat(lastJobState(TICK_2)).isEqualTo(ENQUEUED);
    Job running = claimOne(NODE, TICK_2);
    assertThat(lastJobState(TICK_2)).isEqualTo(RUNNING);
    assertThat(complete(running, new Outcome.Succeeded(null), TICK_2)).isTrue();
    assertThat(lastJobState(TICK_2)).isEqualTo(SUCCEEDED);

    assertThat(Retention.jobs(store, lead(NODE, TICK_5), TICK_5, SUCCEEDED, TICK_4, 10))
        .isEqualTo(1);
    assertThat(lastJobState(TICK_5)).isNull();
    assertThat(stored(NAME).lastJobId()).isEqualTo(jobId(tick));
  }

  private JobState lastJobState(Instant now) {
    List<ScheduleDue> due = store.read(StoreOp.SCHEDULE, tx -> tx.query(new SchedulesDue(now, 10)));
    assertThat(due).hasSize(1);
    return due.getFirst().lastJobState();
  }

  @Test
  void theNextFireTimeIsTheEarliestOfUnpausedSchedules() {
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.first(new ScheduleNextFireAt())))
        .isEmpty();
    saved(paused(schedule("paused", TICK_1)));
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.first(new ScheduleNextFireAt())))
        .isEmpty();
    saved("later", TICK_3);
    Schedule soon = saved("soon", TICK_2);

    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.first(new ScheduleNextFireAt())))
        .contains(TICK_2);

    assertThat(
            store.inTransaction(
                StoreOp.SCHEDULE,
                (StoreTx tx) -> tx.change(new ScheduleUpdate(paused(soon), soon.version())) == 1))
        .isTrue();
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.first(new ScheduleNextFireAt())))
        .contains(TICK_3);
  }

  // --- firing ---

  @Test
  void firingWritesEveryTicksRunAndJobAndMovesTheSchedule() {
    Schedule s = saved(NAME, TICK_1);
    Instant now = TICK_4.plusMillis(5);
    LeaderTerm leader = lead(NODE, now);
    ScheduleTick second = fired(NAME, TICK_2, now);
    ScheduleTick third = fired(NAME, TICK_3, now);

    assertThat(
            fire(
                leader,
                now,
                s,
                TICK_5,
                notFired(TICK_1, MISSED),
                second,
                third,
                notFired(TICK_4, SKIPPED)))
        .isTrue();

    List<Job> jobs = jobsOf(NAME);
    assertThat(jobs).extracting(Job::id).containsExactly(jobId(second), jobId(third));
    assertThat(jobs).extracting(Job::runAt).containsExactly(TICK_2, TICK_3);
    assertThat(jobs).extracting(Job::state).containsOnly(ENQUEUED);
    assertThat(
            store
                .read(StoreOp.READ, tx -> tx.query(new JobEvents(jobId(second))))
                .getFirst()
                .node())
        .isEqualTo(NODE);
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .containsExactly(
            new ScheduleRun(NAME, TICK_4, SKIPPED, null, null, "SKIPPED at " + TICK_4, now),
            new ScheduleRun(NAME, TICK_3, FIRED, jobId(third), ENQUEUED, null, now),
            new ScheduleRun(NAME, TICK_2, FIRED, jobId(second), ENQUEUED, null, now),
            new ScheduleRun(NAME, TICK_1, MISSED, null, null, "MISSED at " + TICK_1, now));
    assertThat(stored(NAME))
        .isEqualTo(
            new Schedule(
                NAME,
                s.trigger(),
                s.job(),
                s.misfire(),
                s.overlap(),
                false,
                TICK_5,
                TICK_4,
                jobId(third),
                T0,
                T0,
                1));
    assertThat(claimOne(OTHER_NODE, now).id()).isEqualTo(jobId(second));
  }

  @Test
  void aTickDueLaterCreatesAScheduledJob() {
    Schedule s = saved(NAME, TICK_2);
    ScheduleTick tick = fired(NAME, TICK_2, TICK_1);

    assertThat(fire(lead(NODE, TICK_1), TICK_1, s, TICK_3, tick)).isTrue();

    assertThat(get(jobId(tick)).state()).isEqualTo(SCHEDULED);
    assertThat(
            store.read(StoreOp.NEXT_SCHEDULED, (StoreTx tx) -> tx.first(new JobNextScheduledAt())))
        .contains(TICK_2);
  }

  @Test
  void aFiringWithoutJobsKeepsTheLastJob() {
    Schedule s = saved(NAME, TICK_1);
    LeaderTerm leader = lead(NODE, TICK_2);
    ScheduleTick tick = fired(NAME, TICK_1, TICK_1);
    assertThat(fire(leader, TICK_1, s, TICK_2, tick)).isTrue();

    assertThat(fire(leader, TICK_2, stored(NAME), TICK_3, notFired(TICK_2, SKIPPED))).isTrue();

    Schedule after = stored(NAME);
    assertThat(after.lastFireAt()).isEqualTo(TICK_2);
    assertThat(after.lastJobId()).isEqualTo(jobId(tick));
    assertThat(after.nextFireAt()).isEqualTo(TICK_3);
    assertThat(after.version()).isEqualTo(2);
  }

  @Test
  void aStaleTermFiresNothing() {
    Schedule s = saved(NAME, TICK_1);
    LeaderTerm former = lead(NODE, T0);
    Instant later = T0.plus(LEASE).plusSeconds(1);
    lead(OTHER_NODE, later);

    assertThat(fire(former, later, s, TICK_2, fired(NAME, TICK_1, later))).isFalse();
    // A lapsed term is stale too, even when nobody took over.
    LeaderTerm lapsed = lead(OTHER_NODE, later);
    Instant afterLapse = later.plus(LEASE).plusSeconds(1);
    assertThat(fire(lapsed, afterLapse, s, TICK_2, fired(NAME, TICK_1, afterLapse))).isFalse();

    assertThat(stored(NAME)).isEqualTo(s);
    assertThat(jobsOf(NAME)).isEmpty();
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .isEmpty();
  }

  @Test
  void aStaleVersionFiresNothing() {
    Schedule s = saved(NAME, TICK_1);
    assertThat(
            store.inTransaction(
                StoreOp.SCHEDULE,
                (StoreTx tx) -> tx.change(new ScheduleUpdate(paused(s), s.version())) == 1))
        .isTrue();
    Schedule changed = stored(NAME);
    LeaderTerm leader = lead(NODE, TICK_1);

    assertThat(fire(leader, TICK_1, s, TICK_2, fired(NAME, TICK_1, TICK_1))).isFalse();
    assertThat(
            fire(
                leader,
                TICK_1,
                schedule("missing", TICK_1),
                TICK_2,
                fired("missing", TICK_1, TICK_1)))
        .isFalse();

    assertThat(stored(NAME)).isEqualTo(changed);
    assertThat(jobsOf(NAME)).isEmpty();
    assertThat(jobsOf("missing")).isEmpty();
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .isEmpty();
  }

  @Test
  void aTickFiredBeforeIsRefusedEvenAtTheCurrentVersion() {
    Schedule s = saved(NAME, TICK_1);
    LeaderTerm leader = lead(NODE, TICK_2);
    ScheduleTick first = fired(NAME, TICK_1, TICK_1);
    assertThat(fire(leader, TICK_1, s, TICK_2, first)).isTrue();
    Schedule afterFirst = stored(NAME);

    // As a leader would that read the schedule before the first firing moved it on: the unique
    // (schedule, tick) key refuses the tick, and nothing of the firing stays.
    ScheduleTick again = fired(NAME, TICK_1, TICK_2);
    assertThat(fire(leader, TICK_2, afterFirst, TICK_3, notFired(TICK_2, SKIPPED), again))
        .isFalse();

    assertThat(stored(NAME)).isEqualTo(afterFirst);
    assertThat(jobsOf(NAME)).extracting(Job::id).containsExactly(jobId(first));
    assertThat(
            store.read(
                StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(jobId(again))))))
        .isEmpty();
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .extracting(ScheduleRun::fireAt)
        .containsExactly(TICK_1);
  }

  @Test
  void concurrentFiringsOfOneTickCreateOneJob() throws Exception {
    Schedule s = saved(NAME, TICK_1);
    LeaderTerm leader = lead(NODE, TICK_1);
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    var start = new CountDownLatch(1);
    try {
      var results = new ArrayList<Future<Boolean>>();
      for (int i = 0; i < RACERS; i++) {
        // Each firing brings its own job, as each of several leaders would.
        ScheduleTick tick = fired(NAME, TICK_1, TICK_1);
        Callable<Boolean> task =
            () -> {
              start.await();
              return fire(leader, TICK_1, s, TICK_2, tick);
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      int won = 0;
      for (Future<Boolean> f : results) {
        won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }

      assertThat(won).isEqualTo(1);
      List<Job> jobs = jobsOf(NAME);
      assertThat(jobs).hasSize(1);
      assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
          .extracting(ScheduleRun::jobId)
          .containsExactly(jobs.getFirst().id());
      Schedule after = stored(NAME);
      assertThat(after.version()).isEqualTo(1);
      assertThat(after.lastJobId()).isEqualTo(jobs.getFirst().id());
    } finally {
      pool.shutdownNow();
    }
  }

  // --- manual triggers ---

  @Test
  void triggersAtTheSameInstantCreateOneJobAndRunEach() {
    Schedule s = saved(NAME, TICK_5);
    ScheduleTick first = manual(NAME, TICK_1);
    ScheduleTick second = manual(NAME, TICK_1);

    assertThat(TickWrites.trigger(store, NAME, first, TICK_1)).isTrue();
    assertThat(TickWrites.trigger(store, NAME, second, TICK_1)).isTrue();

    assertThat(jobsOf(NAME))
        .extracting(Job::id)
        .containsExactlyInAnyOrder(jobId(first), jobId(second));
    assertThat(jobsOf(NAME)).extracting(Job::state).containsOnly(ENQUEUED);
    List<ScheduleRun> runs =
        store.read(StoreOp.SCHEDULE, tx -> tx.query(new ScheduleRuns(NAME, 10)));
    assertThat(runs).extracting(ScheduleRun::outcome).containsExactly(MANUAL, MANUAL);
    assertThat(runs)
        .extracting(ScheduleRun::jobId)
        .containsExactlyInAnyOrder(jobId(first), jobId(second));
    assertThat(runs)
        .extracting(ScheduleRun::fireAt)
        .doesNotHaveDuplicates()
        .allSatisfy(t -> assertThat(t).isBetween(TICK_1, TICK_1.plusMillis(1)));
    assertThat(runs).extracting(ScheduleRun::note).containsOnly("triggered by hand");
    // Not a tick: the schedule's own state is untouched.
    assertThat(stored(NAME)).isEqualTo(s);
  }

  @Test
  void concurrentTriggersAtOneInstantEachWriteTheirJobAndRun() throws Exception {
    saved(NAME, TICK_5);
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    var start = new CountDownLatch(1);
    try {
      var triggers = new ArrayList<ScheduleTick>();
      var results = new ArrayList<Future<Boolean>>();
      for (int i = 0; i < RACERS; i++) {
        ScheduleTick tick = manual(NAME, TICK_1);
        triggers.add(tick);
        Callable<Boolean> task =
            () -> {
              start.await();
              return TickWrites.trigger(store, NAME, tick, TICK_1);
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Boolean> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
      }

      List<JobId> ids = triggers.stream().map(ScheduleContract::jobId).toList();
      assertThat(jobsOf(NAME)).extracting(Job::id).containsExactlyInAnyOrderElementsOf(ids);
      List<ScheduleRun> runs =
          store.read(StoreOp.SCHEDULE, tx -> tx.query(new ScheduleRuns(NAME, 100)));
      assertThat(runs).extracting(ScheduleRun::jobId).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(runs).extracting(ScheduleRun::fireAt).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTriggerAtATickDoesNotTakeTheTicksKey() {
    Schedule s = saved(NAME, TICK_1);
    ScheduleTick byHand = manual(NAME, TICK_1);
    assertThat(TickWrites.trigger(store, NAME, byHand, TICK_1)).isTrue();

    ScheduleTick tick = fired(NAME, TICK_1, TICK_1);
    assertThat(fire(lead(NODE, TICK_1), TICK_1, s, TICK_2, tick)).isTrue();

    assertThat(jobsOf(NAME)).hasSize(2);
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .extracting(ScheduleRun::outcome)
        .containsExactlyInAnyOrder(MANUAL, FIRED);
  }

  @Test
  void aTriggerOfAMissingScheduleWritesNothing() {
    ScheduleTick tick = manual("missing", TICK_1);

    assertThat(TickWrites.trigger(store, "missing", tick, TICK_1)).isFalse();

    assertThat(
            store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(jobId(tick))))))
        .isEmpty();
  }

  // --- history ---

  @Test
  void runsAreNewestFirstWithTheirJobsStateNow() {
    Schedule s = saved(NAME, TICK_1);
    LeaderTerm leader = lead(NODE, TICK_3);
    ScheduleTick first = fired(NAME, TICK_1, TICK_1);
    assertThat(fire(leader, TICK_1, s, TICK_2, first)).isTrue();
    ScheduleTick third = fired(NAME, TICK_3, TICK_3);
    assertThat(fire(leader, TICK_3, stored(NAME), TICK_4, notFired(TICK_2, MISSED), third))
        .isTrue();
    claimOne(NODE, TICK_3); // the oldest ready job: the first tick's

    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .containsExactly(
            new ScheduleRun(NAME, TICK_3, FIRED, jobId(third), ENQUEUED, null, TICK_3),
            new ScheduleRun(NAME, TICK_2, MISSED, null, null, "MISSED at " + TICK_2, TICK_3),
            new ScheduleRun(NAME, TICK_1, FIRED, jobId(first), RUNNING, null, TICK_1));
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 2))))
        .extracting(ScheduleRun::fireAt)
        .containsExactly(TICK_3, TICK_2);
    assertThat(
            store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns("missing", 10))))
        .isEmpty();
  }

  @Test
  void aFiredRunGoesWithItsJobWhenTheJobIsPruned() {
    Schedule s = saved(NAME, TICK_1);
    ScheduleTick tick = fired(NAME, TICK_1, TICK_1);
    assertThat(fire(lead(NODE, TICK_1), TICK_1, s, TICK_3, tick, notFired(TICK_2, SKIPPED)))
        .isTrue();
    succeed(jobId(tick), TICK_2);

    assertThat(Retention.jobs(store, lead(NODE, TICK_4), TICK_4, SUCCEEDED, TICK_3, 10))
        .isEqualTo(1);

    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .containsExactly(
            new ScheduleRun(NAME, TICK_2, SKIPPED, null, null, "SKIPPED at " + TICK_2, TICK_1));
  }

  @Test
  void pruningDeletesOldRunsWithoutAJobInBoundedBatches() {
    Schedule s = saved(NAME, TICK_1);
    LeaderTerm leader = lead(NODE, TICK_5);
    ScheduleTick fired = fired(NAME, TICK_3, TICK_5);
    assertThat(
            fire(
                leader,
                TICK_5,
                s,
                TICK_5.plus(EVERY),
                notFired(TICK_1, MISSED),
                notFired(TICK_2, SKIPPED),
                fired,
                notFired(TICK_5, SKIPPED)))
        .isTrue();
    LeaderTerm stale = new LeaderTerm(OTHER_NODE, leader.term() + 1);

    assertThat(Retention.rows(store, stale, TICK_5, Retained.SCHEDULE_RUNS, TICK_4, 10)).isZero();
    assertThat(Retention.rows(store, leader, TICK_5, Retained.SCHEDULE_RUNS, TICK_4, 1))
        .isEqualTo(1);
    assertThat(Retention.rows(store, leader, TICK_5, Retained.SCHEDULE_RUNS, TICK_4, 1))
        .isEqualTo(1);
    assertThat(Retention.rows(store, leader, TICK_5, Retained.SCHEDULE_RUNS, TICK_4, 1)).isZero();

    // The fired run stays with its job; the skipped one is not old enough.
    assertThat(store.read(StoreOp.SCHEDULE, (StoreTx tx) -> tx.query(new ScheduleRuns(NAME, 10))))
        .extracting(ScheduleRun::fireAt)
        .containsExactly(TICK_5, TICK_3);
    assertThat(get(jobId(fired)).schedule()).isEqualTo(NAME);
  }
}
