package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.CANCELLED;
import static io.taskmill.job.JobState.DEAD;
import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static io.taskmill.job.JobState.SCHEDULED;
import static io.taskmill.job.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.dispatch.Promotion;
import io.taskmill.internal.lease.Completion;
import io.taskmill.job.ErrorSummary;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.job.LogLevel;
import io.taskmill.job.Outcome;
import io.taskmill.spi.JobCompletion;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobLogs;
import io.taskmill.spi.Ops.JobNextScheduledAt;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Completion.apply}: each outcome's state and fields, its event, the lease fence, and the
 * bounded log lines.
 */
public abstract class JobCompletionContract extends StoreContractSupport {
  private static final Instant AT = T0.plusSeconds(5);
  private static final ErrorSummary BOOM =
      new ErrorSummary("java.lang.IllegalStateException", "boom", "at a.b.C.d(C.java:1)");

  private static JobCompletion withLogs(
      Job running,
      int attempt,
      Instant at,
      Outcome outcome,
      List<JobLogLine> logs,
      int maxLogLines) {
    return new JobCompletion(
        running.id(),
        running.leaseEpoch(),
        attempt,
        outcome,
        running.leaseOwner(),
        at,
        logs,
        maxLogLines);
  }

  private static List<JobLogLine> lines(int attempt, int count, String prefix) {
    var lines = new ArrayList<JobLogLine>();
    for (int i = 1; i <= count; i++) {
      lines.add(new JobLogLine(attempt, AT.plusMillis(i), LogLevel.INFO, prefix + i));
    }
    return lines;
  }

  /**
   * The same attempt reported twice in one batch (a write retried after its reply was lost):
   * applied once, and the repeat is reported applied without a second event.
   */
  @Test
  void theSameOutcomeTwiceInOneBatchIsAppliedOnceAndTheRepeatIsNotRecordedAgain() {
    Job running = running();
    var first = withLogs(running, 1, AT, new Outcome.Succeeded("{\"n\":1}"), List.of(), 10);
    var repeat =
        withLogs(running, 1, AT.plusMillis(1), new Outcome.Succeeded("{\"n\":1}"), List.of(), 10);

    assertThat(Completion.apply(store, List.of(first, repeat))).containsExactly(true, true);

    Job done = get(running.id());
    assertThat(done.state()).isEqualTo(SUCCEEDED);
    assertThat(done.resultJson()).isEqualTo("{\"n\":1}");
    assertThat(done.version()).isEqualTo(running.version() + 1);
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(running.id()))))
        .extracting(JobEvent::to)
        .containsExactly(ENQUEUED, RUNNING, SUCCEEDED);
  }

  /** A write retried in a later transaction after its first reply was lost: the same answer. */
  @Test
  void anOutcomeWrittenAgainAfterALostReplyIsReportedAppliedOnce() {
    Job running = running();
    assertThat(complete(running, new Outcome.Succeeded(null), AT)).isTrue();

    assertThat(complete(running, new Outcome.Succeeded(null), AT.plusSeconds(1))).isTrue();

    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(running.id()))))
        .extracting(JobEvent::to)
        .containsExactly(ENQUEUED, RUNNING, SUCCEEDED);
  }

  /** Another node's attempt does not pass for this one's, though it ended the same way. */
  @Test
  void aRescuedAttemptsOutcomeIsStillLateWhenItsSuccessorEndedTheSameWay() {
    Job stale = running();
    rescueExpired(OTHER_NODE, T0.plus(LEASE).plusSeconds(1), 10);
    Job successor = claimOne(OTHER_NODE, T0.plus(LEASE).plusSeconds(2));
    assertThat(complete(successor, new Outcome.Succeeded(null), T0.plus(LEASE).plusSeconds(3)))
        .isTrue();

    assertThat(complete(stale, new Outcome.Succeeded(null), T0.plus(LEASE).plusSeconds(4)))
        .isFalse();

    assertThat(lastEvent(stale.id()).message())
        .isEqualTo("late completion of attempt 1 from node node-a ignored: lease lost");
  }

  @Test
  void aSuccessStoresTheResultAndFinishesTheJob() {
    Job running = running();

    assertThat(complete(running, new Outcome.Succeeded("{\"ok\":true}"), AT)).isTrue();

    Job done = get(running.id());
    assertThat(done.state()).isEqualTo(SUCCEEDED);
    assertThat(done.resultJson()).isEqualTo("{\"ok\":true}");
    assertThat(done.finishedAt()).isEqualTo(AT);
    assertThat(done.updatedAt()).isEqualTo(AT);
    assertThat(done.leaseOwner()).isNull();
    assertThat(done.leaseExpiresAt()).isNull();
    assertThat(done.lastError()).isNull();
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.version()).isEqualTo(running.version() + 1);
    assertEvent(lastEvent(running.id()), running.id(), AT, RUNNING, SUCCEEDED, NODE, 1);
    assertThat(lastEvent(running.id()).error()).isNull();
  }

  @Test
  void aRetryingFailureSchedulesTheJobAtTheRetryTime() {
    Job running = running();
    Instant retryAt = T0.plusSeconds(60);

    assertThat(complete(running, new Outcome.Retrying(BOOM, retryAt), AT)).isTrue();

    Job retrying = get(running.id());
    assertThat(retrying.state()).isEqualTo(SCHEDULED);
    assertThat(retrying.runAt()).isEqualTo(retryAt);
    assertThat(retrying.finishedAt()).isNull();
    assertThat(retrying.leaseOwner()).isNull();
    assertThat(retrying.lastError())
        .isEqualTo("java.lang.IllegalStateException: boom\nat a.b.C.d(C.java:1)");
    assertThat(
            store.read(StoreOp.NEXT_SCHEDULED, (StoreTx tx) -> tx.first(new JobNextScheduledAt())))
        .contains(retryAt);
    JobEvent event = lastEvent(running.id());
    assertEvent(event, running.id(), AT, RUNNING, SCHEDULED, NODE, 1);
    assertThat(event.error()).isEqualTo("java.lang.IllegalStateException: boom");
  }

  @Test
  void aDeadFailureFinishesTheJobWithItsError() {
    Job running = running();

    assertThat(complete(running, new Outcome.Dead(BOOM), AT)).isTrue();

    Job dead = get(running.id());
    assertThat(dead.state()).isEqualTo(DEAD);
    assertThat(dead.finishedAt()).isEqualTo(AT);
    assertThat(dead.lastError()).startsWith("java.lang.IllegalStateException: boom\n");
    assertEvent(lastEvent(running.id()), running.id(), AT, RUNNING, DEAD, NODE, 1);
    assertThat(lastEvent(running.id()).error()).isEqualTo(BOOM.headline());
  }

  @Test
  void aCancelledOutcomeFinishesTheJobWithTheReason() {
    Job running = running();

    assertThat(complete(running, new Outcome.Cancelled("user asked"), AT)).isTrue();

    assertThat(get(running.id()).state()).isEqualTo(CANCELLED);
    assertThat(get(running.id()).finishedAt()).isEqualTo(AT);
    JobEvent event = lastEvent(running.id());
    assertEvent(event, running.id(), AT, RUNNING, CANCELLED, NODE, 1);
    assertThat(event.message()).contains("user asked");
  }

  @Test
  void anOutcomeUnderALostLeaseChangesNothingButAnEvent() {
    Job stale = running();
    rescueExpired(OTHER_NODE, T0.plus(LEASE).plusSeconds(1), 10);
    Job current = claimOne(OTHER_NODE, T0.plusSeconds(40));
    int eventsBefore = store.read(StoreOp.READ, tx -> tx.query(new JobEvents(stale.id()))).size();

    boolean applied = complete(stale, new Outcome.Succeeded("{}"), T0.plusSeconds(41));

    assertThat(applied).isFalse();
    assertThat(get(stale.id())).isEqualTo(current);
    List<JobEvent> events = store.read(StoreOp.READ, tx -> tx.query(new JobEvents(stale.id())));
    assertThat(events).hasSize(eventsBefore + 1);
    JobEvent late = events.getLast();
    assertEvent(late, stale.id(), T0.plusSeconds(41), RUNNING, RUNNING, NODE, 2);
    assertThat(late.message())
        .isEqualTo("late completion of attempt 1 from node node-a ignored: lease lost");
  }

  @Test
  void anOutcomeForAFinishedJobIsRejected() {
    Job running = running();
    complete(running, new Outcome.Succeeded(null), AT);

    assertThat(complete(running, new Outcome.Dead(BOOM), AT.plusSeconds(1))).isFalse();

    assertThat(get(running.id()).state()).isEqualTo(SUCCEEDED);
    JobEvent late = lastEvent(running.id());
    assertThat(late.from()).isEqualTo(SUCCEEDED);
    assertThat(late.to()).isEqualTo(SUCCEEDED);
    assertThat(late.message()).contains("late completion of attempt 1");
  }

  @Test
  void anOutcomeForAnUnknownJobIsRejected() {
    Job unknown = running();
    var ghost =
        new JobCompletion(
            TestJobs.nextId(T0), 1, 1, new Outcome.Succeeded(null), NODE, AT, List.of(), 10);

    assertThat(Completion.apply(store, List.of(ghost))).containsExactly(false);
    assertThat(get(unknown.id()).state()).isEqualTo(RUNNING);
  }

  @Test
  void returnsOneFlagPerCompletionInOrder() {
    Job a = running();
    Job b = running();
    var stale =
        new JobCompletion(
            b.id(), b.leaseEpoch() + 7, 1, new Outcome.Succeeded(null), NODE, AT, List.of(), 10);

    List<Boolean> applied =
        Completion.apply(
            store,
            List.of(
                completion(a, new Outcome.Succeeded(null), AT),
                stale,
                completion(b, new Outcome.Dead(BOOM), AT)));

    assertThat(applied).containsExactly(true, false, true);
    assertThat(get(a.id()).state()).isEqualTo(SUCCEEDED);
    assertThat(get(b.id()).state()).isEqualTo(DEAD);
  }

  @Test
  void appliesOnlyTheFirstOfTwoConflictingOutcomesForOneAttempt() {
    Job running = running();

    List<Boolean> applied =
        Completion.apply(
            store,
            List.of(
                completion(running, new Outcome.Succeeded("1"), AT),
                completion(running, new Outcome.Dead(BOOM), AT)));

    assertThat(applied).containsExactly(true, false);
    assertThat(get(running.id()).resultJson()).isEqualTo("1");
    assertThat(lastEvent(running.id()).from()).isEqualTo(SUCCEEDED);
  }

  @Test
  void storesTheLogLinesOfTheAttempt() {
    Job running = running();
    List<JobLogLine> logs =
        List.of(
            new JobLogLine(1, AT.minusSeconds(2), LogLevel.INFO, "starting"),
            new JobLogLine(1, AT.minusSeconds(1), LogLevel.ERROR, "failed: disk full"));

    Completion.apply(store, List.of(withLogs(running, 1, AT, new Outcome.Dead(BOOM), logs, 10)));

    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobLogs(running.id()))))
        .containsExactlyElementsOf(logs);
  }

  @Test
  void storesNoLogLinesOfALateCompletion() {
    Job stale = running();
    rescueExpired(OTHER_NODE, T0.plus(LEASE).plusSeconds(1), 10);

    Completion.apply(
        store,
        List.of(withLogs(stale, 1, AT, new Outcome.Succeeded(null), lines(1, 3, "late "), 10)));

    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobLogs(stale.id()))))
        .isEmpty();
  }

  @Test
  void keepsAtMostMaxLogLinesAndSaysHowManyWereDropped() {
    Job running = running();

    Completion.apply(
        store,
        List.of(withLogs(running, 1, AT, new Outcome.Succeeded(null), lines(1, 5, "line "), 3)));

    List<JobLogLine> stored = store.read(StoreOp.READ, tx -> tx.query(new JobLogs(running.id())));
    assertThat(stored).hasSize(4);
    assertThat(stored.subList(0, 3))
        .extracting(JobLogLine::message)
        .containsExactly("line 1", "line 2", "line 3");
    JobLogLine marker = stored.getLast();
    assertThat(marker.level()).isEqualTo(LogLevel.WARN);
    assertThat(marker.attempt()).isEqualTo(1);
    assertThat(marker.message()).startsWith("2 log lines dropped");
  }

  @Test
  void boundsLogLinesAcrossAttemptsAndMarksTheDropOnce() {
    Job first = running();
    Completion.apply(
        store,
        List.of(
            withLogs(
                first,
                1,
                AT,
                new Outcome.Retrying(BOOM, T0.plusSeconds(10)),
                lines(1, 2, "a"),
                3)));
    Promotion.due(store, T0.plusSeconds(10), 10, NODE);
    Job second = claimOne(NODE, T0.plusSeconds(10));
    Completion.apply(
        store,
        List.of(
            withLogs(
                second,
                2,
                AT.plusSeconds(10),
                new Outcome.Retrying(BOOM, T0.plusSeconds(20)),
                lines(2, 3, "b"),
                3)));
    Promotion.due(store, T0.plusSeconds(20), 10, NODE);
    Job third = claimOne(NODE, T0.plusSeconds(20));

    Completion.apply(
        store,
        List.of(
            withLogs(
                third, 3, AT.plusSeconds(20), new Outcome.Succeeded(null), lines(3, 2, "c"), 3)));

    List<JobLogLine> stored = store.read(StoreOp.READ, tx -> tx.query(new JobLogs(first.id())));
    assertThat(stored)
        .extracting(JobLogLine::message)
        .containsExactly("a1", "a2", "b1", stored.getLast().message());
    assertThat(stored.getLast().message()).startsWith("2 log lines dropped");
    assertThat(stored).filteredOn(l -> l.level() == LogLevel.WARN).hasSize(1);
    assertThat(get(first.id()).state()).isEqualTo(SUCCEEDED);
  }

  @Test
  void completesAndRecordsManyJobsInOneCall() {
    var completions = new ArrayList<JobCompletion>();
    var ids = new ArrayList<JobId>();
    for (int i = 0; i < 20; i++) {
      Job running = running();
      ids.add(running.id());
      completions.add(withLogs(running, 1, AT, new Outcome.Succeeded("{}"), lines(1, 2, "x"), 5));
    }

    assertThat(Completion.apply(store, completions)).hasSize(20).containsOnly(true);

    for (JobId id : ids) {
      assertThat(get(id).state()).isEqualTo(SUCCEEDED);
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobLogs(id)))).hasSize(2);
      assertThat(lastEvent(id).to()).isEqualTo(SUCCEEDED);
    }
  }
}
