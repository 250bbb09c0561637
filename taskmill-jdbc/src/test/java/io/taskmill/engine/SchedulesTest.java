package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.config.TaskmillConfigException;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.internal.dispatch.Claim;
import io.taskmill.internal.lease.Completion;
import io.taskmill.jdbc.JdbcStoreProvider;
import io.taskmill.job.InvalidJobException;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobState;
import io.taskmill.job.Outcome;
import io.taskmill.schedule.InvalidScheduleException;
import io.taskmill.schedule.MisfirePolicy;
import io.taskmill.schedule.OverlapPolicy;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleDefinition;
import io.taskmill.schedule.ScheduleRun;
import io.taskmill.schedule.UnknownScheduleException;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.JobCompletion;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.FakeClock;
import io.taskmill.testkit.ManualEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules through the engine on a fake clock: ticks become jobs due at the tick, policies for
 * missed and overlapping ticks, management, and bad input.
 */
class SchedulesTest {
  private static final String TYPE = "test.step";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final List<String> ran = new CopyOnWriteArrayList<>();

  /** One in-memory database for every engine of a test, as nodes share one in a cluster. */
  private final Store store =
      new JdbcStoreProvider()
          .open(new StoreSettings(null, "schedules-" + UUID.randomUUID(), null, null, null, 4));

  @AfterEach
  void closeStore() {
    store.close();
  }

  private TaskmillBuilder builder() {
    return Taskmill.builder()
        .store(store)
        .nodeId("n1")
        .handler(TYPE, Step.class, (p, ctx) -> ran.add(p.name()));
  }

  private ManualEngine start(TaskmillBuilder b) {
    return ManualEngine.start(b, FakeClock.at(T0));
  }

  private ManualEngine start() {
    return start(builder());
  }

  private static ScheduleDefinition everyMinute(String name) {
    return ScheduleDefinition.cron(name, "* * * * *").job(TYPE, new Step(name));
  }

  private static List<Job> jobsOf(ManualEngine e, String schedule) {
    return e.taskmill().jobs().list(JobQuery.all(1000)).stream()
        .filter(j -> schedule.equals(j.schedule()))
        .sorted(Comparator.comparing(Job::runAt))
        .toList();
  }

  @Test
  void eachTickCreatesOneJobDueAtTheTickThatNamesItsSchedule() {
    try (var e = start()) {
      Schedule s = e.taskmill().schedules().put(everyMinute("reports"));
      assertThat(s.nextFireAt()).isEqualTo(T0.plusSeconds(60));
      assertThat(e.runSchedules()).isZero();

      e.tick(Duration.ofSeconds(60).plusMillis(700));
      assertThat(e.runSchedules()).isEqualTo(1);
      assertThat(e.runSchedules()).isZero();
      assertThat(e.runDueJobs()).isEqualTo(1);

      List<Job> jobs = jobsOf(e, "reports");
      assertThat(jobs)
          .singleElement()
          .satisfies(
              j -> {
                assertThat(j.runAt()).isEqualTo(T0.plusSeconds(60));
                assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
              });
      // No drift: the next tick follows the scheduled time, not the 700 ms late firing.
      assertThat(e.taskmill().schedules().get("reports").orElseThrow().nextFireAt())
          .isEqualTo(T0.plusSeconds(120));
      List<ScheduleRun> history = e.taskmill().schedules().history("reports", 10);
      assertThat(history)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.outcome()).isEqualTo(ScheduleRun.Outcome.FIRED);
                assertThat(r.fireAt()).isEqualTo(T0.plusSeconds(60));
                assertThat(r.jobId()).isEqualTo(jobs.get(0).id());
                assertThat(r.jobState()).isEqualTo(JobState.SUCCEEDED);
              });
    }
  }

  @Test
  void aRunningEngineFiresAnEverySecondScheduleOnEveryTickWithoutDrift() {
    try (Taskmill tm =
        builder()
            .schedule(ScheduleDefinition.cron("pulse", "* * * * * *").job(TYPE, new Step("pulse")))
            .start()) {
      Awaitility.await("five ticks run")
          .atMost(Duration.ofSeconds(20))
          .until(() -> ran.stream().filter("pulse"::equals).count() >= 5);
      List<Instant> ticks =
          tm.jobs().list(JobQuery.all(1000)).stream()
              .filter(j -> "pulse".equals(j.schedule()))
              .map(Job::runAt)
              .sorted()
              .toList();
      // Every job is due at a whole second, one second after the one before: no tick skipped,
      // none doubled, no creep from the time each firing actually ran.
      assertThat(ticks).allSatisfy(t -> assertThat(t.getNano()).isZero());
      for (int i = 1; i < ticks.size(); i++) {
        assertThat(Duration.between(ticks.get(i - 1), ticks.get(i)))
            .isEqualTo(Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void savingTheSameDefinitionAgainChangesNothingAndAChangedTriggerStartsFromNow() {
    try (var e = start()) {
      var schedules = e.taskmill().schedules();
      Schedule first = schedules.put(everyMinute("hourly"));
      e.tick(Duration.ofSeconds(30));
      assertThat(schedules.put(everyMinute("hourly"))).isEqualTo(first);

      Schedule newPayload =
          schedules.put(
              ScheduleDefinition.cron("hourly", "* * * * *").job(TYPE, new Step("other")));
      assertThat(newPayload.version()).isGreaterThan(first.version());
      assertThat(newPayload.nextFireAt()).isEqualTo(first.nextFireAt());

      Schedule newTrigger =
          schedules.put(
              ScheduleDefinition.cron("hourly", "0 * * * *").job(TYPE, new Step("other")));
      assertThat(newTrigger.nextFireAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
      assertThat(newTrigger.createdAt()).isEqualTo(first.createdAt());
    }
  }

  @Test
  void schedulesDeclaredInCodeAreSavedOnceAndARestartResetsNothing() {
    var declared =
        ScheduleDefinition.every("probe", Duration.ofSeconds(30))
            .job(TYPE, new Step("p"))
            .misfire(MisfirePolicy.skip());
    Schedule before;
    try (var first = start(builder().schedule(declared));
        var keep = start(builder())) {
      before = first.taskmill().schedules().get("probe").orElseThrow();
      first.taskmill().schedules().pause("probe");
      first.tick(Duration.ofSeconds(45));
      try (var second =
          ManualEngine.start(
              builder().nodeId("n2").schedule(declared), FakeClock.at(T0.plusSeconds(45)))) {
        Schedule after = second.taskmill().schedules().get("probe").orElseThrow();
        assertThat(after.trigger()).isEqualTo(before.trigger());
        assertThat(after.nextFireAt()).isEqualTo(before.nextFireAt());
        assertThat(after.paused()).isTrue();
        assertThat(second.taskmill().schedules().list(null, 10)).hasSize(1);
      }
    }
  }

  @Test
  void aBadScheduleDeclaredInCodeFailsTheStartNamingIt() {
    assertThatThrownBy(
            () ->
                start(
                    builder()
                        .schedule(
                            ScheduleDefinition.cron("nightly", "0 25 * * *")
                                .job(TYPE, new Step("x")))))
        .isInstanceOf(TaskmillConfigException.class)
        .hasMessageContaining("schedule 'nightly' declared in code")
        .hasMessageContaining("hour");
  }

  @Test
  void afterTenMinutesDownEachMisfirePolicyCatchesUpExactlyAsPromised() {
    try (var e = start()) {
      var schedules = e.taskmill().schedules();
      schedules.put(everyMinute("skip").misfire(MisfirePolicy.skip()));
      schedules.put(everyMinute("once").misfire(MisfirePolicy.fireOnce()));
      schedules.put(everyMinute("three").misfire(MisfirePolicy.fireAll(3)));
      schedules.put(everyMinute("all").misfire(MisfirePolicy.fireAll(100)));
      // The cluster is down from 10:00 to 10:10:30; ticks 10:01 to 10:09 are late by more than
      // the one-minute threshold, 10:10 is on time.
      e.tick(Duration.ofMinutes(10).plusSeconds(30));
      e.runSchedules();

      assertThat(jobsOf(e, "skip")).hasSize(1);
      assertThat(jobsOf(e, "once")).hasSize(2);
      assertThat(jobsOf(e, "three")).hasSize(4);
      assertThat(jobsOf(e, "all")).hasSize(10);
      assertThat(jobsOf(e, "three"))
          .extracting(Job::runAt)
          .containsExactly(
              T0.plus(Duration.ofMinutes(7)), T0.plus(Duration.ofMinutes(8)),
              T0.plus(Duration.ofMinutes(9)), T0.plus(Duration.ofMinutes(10)));
      assertThat(schedules.history("skip", 10))
          .extracting(ScheduleRun::outcome)
          .containsExactly(ScheduleRun.Outcome.FIRED, ScheduleRun.Outcome.MISSED);
    }
  }

  @Test
  void overlapSkipRecordsTicksWhileThePreviousRunIsUnfinished() {
    try (var e = start()) {
      e.taskmill().schedules().put(everyMinute("slow").overlap(OverlapPolicy.SKIP));
      e.tick(Duration.ofSeconds(60));
      assertThat(e.runSchedules()).isEqualTo(1);
      holdRunning(e);

      e.tick(Duration.ofSeconds(60));
      assertThat(e.runSchedules()).isZero();
      assertThat(e.taskmill().schedules().history("slow", 10))
          .extracting(ScheduleRun::outcome)
          .containsExactly(ScheduleRun.Outcome.SKIPPED, ScheduleRun.Outcome.FIRED);
      assertThat(jobsOf(e, "slow")).hasSize(1);
    }
  }

  @Test
  void overlapWaitFiresTheHeldTickOnceThePreviousRunFinished() {
    try (var e = start()) {
      e.taskmill().schedules().put(everyMinute("serial").overlap(OverlapPolicy.WAIT));
      e.tick(Duration.ofSeconds(60));
      assertThat(e.runSchedules()).isEqualTo(1);
      assertThat(e.runDueJobs()).isEqualTo(1);
      e.tick(Duration.ofSeconds(60));
      assertThat(e.runSchedules()).isEqualTo(1);
      JobId held = holdRunning(e);

      e.tick(Duration.ofSeconds(60));
      assertThat(e.runSchedules()).isZero();
      assertThat(e.runSchedules()).isZero();
      finish(held, e.clock().instant());
      assertThat(e.runSchedules()).isEqualTo(1);
      assertThat(jobsOf(e, "serial"))
          .extracting(Job::runAt)
          .containsExactly(T0.plusSeconds(60), T0.plusSeconds(120), T0.plusSeconds(180));
    }
  }

  @Test
  void aPausedScheduleFiresNothingAndOnResumeItsMisfirePolicyDecides() {
    try (var e = start()) {
      var schedules = e.taskmill().schedules();
      schedules.put(everyMinute("paused").misfire(MisfirePolicy.skip()));
      assertThat(schedules.pause("paused").paused()).isTrue();
      e.tick(Duration.ofMinutes(5).plusSeconds(1));
      assertThat(e.runSchedules()).isZero();

      assertThat(schedules.resume("paused").paused()).isFalse();
      assertThat(e.runSchedules()).isEqualTo(1); // 10:05 is on time; 10:01-10:04 were missed
      assertThat(jobsOf(e, "paused"))
          .extracting(Job::runAt)
          .containsExactly(T0.plus(Duration.ofMinutes(5)));
    }
  }

  @Test
  void triggeringByHandCreatesAJobNowAndLeavesTheTicksAlone() {
    try (var e = start()) {
      var schedules = e.taskmill().schedules();
      Schedule s = schedules.put(everyMinute("manual"));
      schedules.pause("manual");
      e.tick(Duration.ofSeconds(5));

      JobId id = schedules.trigger("manual");
      JobId again = schedules.trigger("manual");
      assertThat(e.runDueJobs()).isEqualTo(2);

      Job job = e.taskmill().jobs().get(id).orElseThrow();
      assertThat(job.schedule()).isEqualTo("manual");
      assertThat(job.runAt()).isEqualTo(T0.plusSeconds(5));
      assertThat(again).isNotEqualTo(id);
      Schedule after = schedules.get("manual").orElseThrow();
      assertThat(after.nextFireAt()).isEqualTo(s.nextFireAt());
      assertThat(schedules.history("manual", 10))
          .extracting(ScheduleRun::outcome)
          .containsExactly(ScheduleRun.Outcome.MANUAL, ScheduleRun.Outcome.MANUAL);
    }
  }

  @Test
  void aDailyScheduleFiresOnceOnBothDaylightSavingDaysInBerlinAndNewYork() {
    try (var e =
        ManualEngine.start(builder(), FakeClock.at(Instant.parse("2026-03-01T00:00:00Z")))) {
      var schedules = e.taskmill().schedules();
      schedules.put(
          ScheduleDefinition.cron("berlin", "30 2 * * *")
              .zone("Europe/Berlin")
              .job(TYPE, new Step("b")));
      schedules.put(
          ScheduleDefinition.cron("new-york", "30 1 * * *")
              .zone("America/New_York")
              .job(TYPE, new Step("ny")));
      FakeClock clock = e.clock();
      for (Instant t = clock.instant();
          t.isBefore(Instant.parse("2026-11-05T00:00:00Z"));
          t = t.plus(Duration.ofMinutes(30))) {
        clock.set(t);
        e.runSchedules();
      }
      List<Instant> berlin = jobsOf(e, "berlin").stream().map(Job::runAt).toList();
      List<Instant> newYork = jobsOf(e, "new-york").stream().map(Job::runAt).toList();

      // One run a day from Mar 1 to Nov 4: spring-forward (Berlin Mar 29, NY Mar 8) and
      // fall-back days (Berlin Oct 25, NY Nov 1) included, never two, never none.
      assertThat(berlin).doesNotHaveDuplicates().hasSize(249);
      assertThat(newYork).doesNotHaveDuplicates().hasSize(249);
      assertThat(berlin)
          .contains(
              Instant.parse("2026-03-29T01:00:00Z"), // 03:00 CEST, gap
              Instant.parse("2026-10-25T00:30:00Z")); // 02:30 CEST, the first of two
      assertThat(newYork)
          .contains(
              Instant.parse("2026-03-08T06:30:00Z"),
              Instant.parse("2026-11-01T05:30:00Z")); // 01:30 EDT, the first of two
    }
  }

  @Test
  void badInputIsRefusedWithAMessageThatSaysWhere() {
    try (var e = start()) {
      var schedules = e.taskmill().schedules();
      assertThatThrownBy(
              () ->
                  schedules.put(
                      ScheduleDefinition.cron("x", "0 0 30 2 *").job(TYPE, new Step("x"))))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("never");
      assertThatThrownBy(
              () ->
                  schedules.put(
                      ScheduleDefinition.cron("x", "*/0 * * * *").job(TYPE, new Step("x"))))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("minute");
      assertThatThrownBy(
              () ->
                  schedules.put(
                      ScheduleDefinition.cron("x", "0 2 * * *")
                          .zone("Europe/Berln")
                          .job(TYPE, new Step("x"))))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("Europe/Berlin");
      assertThatThrownBy(
              () ->
                  schedules.put(
                      ScheduleDefinition.cron("x", "0 2 * * *").job("no.such", new Step("x"))))
          .isInstanceOf(InvalidJobException.class)
          .hasMessageContaining("unknown job type");
      assertThatThrownBy(
              () ->
                  schedules.put(
                      ScheduleDefinition.cron("x", "0 2 * * *")
                          .job(
                              TYPE,
                              new Step("x"),
                              JobOptions.defaults().delay(Duration.ofSeconds(1)))))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("runAt/delay");
      assertThatThrownBy(
              () ->
                  schedules.put(
                      ScheduleDefinition.cron("bad name!", "0 2 * * *").job(TYPE, new Step("x"))))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("schedule name");
      assertThatThrownBy(
              () ->
                  schedules.put(
                      new ScheduleDefinition(
                          "x",
                          "0 2 * * *",
                          null,
                          Duration.ofSeconds(5),
                          null,
                          TYPE,
                          new Step("x"),
                          null,
                          null,
                          null)))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageContaining("not both");
      assertThatThrownBy(() -> schedules.trigger("missing"))
          .isInstanceOf(UnknownScheduleException.class)
          .hasMessageContaining("missing");
      assertThatThrownBy(() -> schedules.history("missing", 5))
          .isInstanceOf(UnknownScheduleException.class);
      assertThat(schedules.list(null, 10)).isEmpty();
    }
  }

  /** Completes a job {@link #holdRunning} holds, as the other node would. */
  private void finish(JobId id, Instant at) {
    Job job = store.read(StoreOp.READ, tx -> tx.first(new JobGetAll(List.of(id)))).orElseThrow();
    assertThat(
            Completion.apply(
                store,
                List.of(
                    new JobCompletion(
                        id,
                        job.leaseEpoch(),
                        job.attempt(),
                        new Outcome.Succeeded(null),
                        "other-node",
                        at,
                        List.of(),
                        100))))
        .containsExactly(true);
  }

  /** Has another node claim the schedule's pending job and keep it running. */
  private JobId holdRunning(ManualEngine e) {
    var claimed =
        Claim.run(
                store,
                new JobClaim(
                    "default",
                    1,
                    "other-node",
                    e.clock().instant(),
                    Duration.ofHours(1),
                    Set.of(TYPE),
                    Map.of()))
            .jobs();
    assertThat(claimed).hasSize(1);
    return claimed.get(0).id();
  }
}
