package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.CANCELLED;
import static io.taskmill.job.JobState.DEAD;
import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.control.JobCommands;
import io.taskmill.internal.lease.Renewals;
import io.taskmill.job.ErrorSummary;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.job.Outcome;
import io.taskmill.job.RetryResult;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.LeaseRef;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code JobCommands.retry}: a {@code DEAD} or {@code CANCELLED} job runs again with a fresh
 * attempt budget; every other state is left alone.
 */
public abstract class JobRetryContract extends StoreContractSupport {
  private static final Instant NOW = T0.plusSeconds(9);

  /** A job that ran once and died with an error. */
  private Job dead() {
    Job running = running();
    complete(
        running, new Outcome.Dead(ErrorSummary.of("x.Broken", "no such file")), T0.plusSeconds(1));
    return get(running.id());
  }

  @Test
  void retriesADeadJobWithAFreshAttemptBudget() {
    Job before = dead();
    assertThat(before.state()).isEqualTo(DEAD);

    assertThat(JobCommands.retry(store, before.id(), NOW, "api")).isEqualTo(RetryResult.RETRIED);

    Job after = get(before.id());
    assertThat(after.state()).isEqualTo(ENQUEUED);
    assertThat(after.runAt()).isEqualTo(NOW);
    assertThat(after.attempt()).isZero();
    assertThat(after.maxAttempts()).isEqualTo(before.maxAttempts());
    assertThat(after.finishedAt()).isNull();
    assertThat(after.startedAt()).isNull();
    assertThat(after.resultJson()).isNull();
    assertThat(after.leaseOwner()).isNull();
    assertThat(after.leaseExpiresAt()).isNull();
    assertThat(after.lastError())
        .as("kept until the next outcome")
        .isEqualTo(before.lastError())
        .startsWith("x.Broken");
    assertThat(after.leaseEpoch())
        .as("the fencing token never goes back")
        .isEqualTo(before.leaseEpoch());
    assertThat(after.updatedAt()).isEqualTo(NOW);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    JobEvent event = lastEvent(before.id());
    assertEvent(event, before.id(), NOW, DEAD, ENQUEUED, "api", 0);
    assertThat(event.message()).isEqualTo("retried by api");
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(before.id()))))
        .hasSize(4);
  }

  @Test
  void aRetriedJobIsClaimedAndRunsAsAttemptOneUnderANewLease() {
    Job before = dead();
    JobCommands.retry(store, before.id(), NOW, "api");

    Job again = claimOne(OTHER_NODE, NOW);

    assertThat(again.id()).isEqualTo(before.id());
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(again.startedAt()).isEqualTo(NOW);
    assertThat(again.leaseEpoch()).isGreaterThan(before.leaseEpoch());
    assertThat(complete(again, new Outcome.Succeeded("{\"ok\":true}"), NOW.plusSeconds(1)))
        .isTrue();
    Job done = get(before.id());
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.lastError()).isNull();
    assertThat(done.resultJson()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void aLateAnswerOfAnAttemptFromBeforeTheRetryIsNotApplied() {
    Job running = running();
    JobCommands.cancel(store, running.id(), T0.plusSeconds(1), "api", null);
    complete(running, new Outcome.Cancelled("cancelled by user"), T0.plusSeconds(2));
    JobCommands.retry(store, running.id(), NOW, "api");

    // The first attempt answers again (a write retried after its reply was lost).
    assertThat(complete(running, new Outcome.Cancelled("cancelled by user"), NOW.plusSeconds(1)))
        .isFalse();

    assertThat(get(running.id()).state()).isEqualTo(ENQUEUED);
  }

  @Test
  void anAttemptAfterTheRetryIsNotMistakenForTheSameNumberedAttemptBefore() {
    Job first = running(TestJobs.aJob().maxAttempts(1));
    complete(first, new Outcome.Dead(ErrorSummary.of("x.Y", "first life")), T0.plusSeconds(1));
    JobCommands.retry(store, first.id(), T0.plusSeconds(2), "api");
    Job second = claimOne(NODE, T0.plusSeconds(3)); // attempt 1 again, same node
    rescueExpired(OTHER_NODE, T0.plusSeconds(3).plus(LEASE).plusSeconds(1), 10); // -> DEAD
    int events = store.read(StoreOp.READ, tx -> tx.query(new JobEvents(first.id()))).size();

    // Its late answer meets DEAD, as the first life's attempt 1 of this node ended; it is still
    // late.
    assertThat(
            complete(
                second,
                new Outcome.Dead(ErrorSummary.of("x.Y", "second life")),
                T0.plusSeconds(60)))
        .isFalse();

    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(first.id()))))
        .hasSize(events + 1);
    assertThat(lastEvent(first.id()).message()).contains("late completion");
  }

  @Test
  void retriesACancelledJob() {
    InsertedJob waiting = insert(TestJobs.aJob().runAt(T0.plusSeconds(3600)).build());
    JobCommands.cancel(store, waiting.id(), T0.plusSeconds(1), "api", null);

    assertThat(JobCommands.retry(store, waiting.id(), NOW, "api")).isEqualTo(RetryResult.RETRIED);

    Job after = get(waiting.id());
    assertThat(after.state()).isEqualTo(ENQUEUED);
    assertThat(after.runAt()).as("due now, not at its old runAt").isEqualTo(NOW);
    assertEvent(lastEvent(waiting.id()), waiting.id(), NOW, CANCELLED, ENQUEUED, "api", 0);
    assertThat(ids(claim(10, NOW, TYPE))).containsExactly(waiting.id());
  }

  @Test
  void aJobCancelledWhileRunningRunsAgainWithoutItsOldCancelRequest() {
    Job running = running();
    JobCommands.cancel(store, running.id(), T0.plusSeconds(1), "api", null);
    complete(running, new Outcome.Cancelled("cancelled by user"), T0.plusSeconds(2));
    assertThat(get(running.id()).cancelRequested()).isTrue();

    assertThat(JobCommands.retry(store, running.id(), NOW, "api")).isEqualTo(RetryResult.RETRIED);

    assertThat(get(running.id()).cancelRequested()).isFalse();
    Job again = claimOne(NODE, NOW);
    var renewal =
        store.keepAlive(
            StoreOp.RENEW,
            tx ->
                Renewals.leases(
                    tx,
                    NODE,
                    List.of(new LeaseRef(again.id(), again.leaseEpoch())),
                    NOW.plus(LEASE)));
    assertThat(renewal.held()).containsExactly(again.id());
    assertThat(renewal.cancelRequested()).isEmpty();
  }

  @Test
  void leavesJobsInOtherStatesAlone() {
    InsertedJob scheduled = insert(TestJobs.aJob().runAt(T0.plusSeconds(3600)).build());
    Job running = running();
    Job succeeded = running();
    complete(succeeded, new Outcome.Succeeded(null), T0.plusSeconds(1));
    InsertedJob enqueued = insert(TestJobs.aJob().build());

    for (JobId id : List.of(scheduled.id(), running.id(), succeeded.id(), enqueued.id())) {
      Job before = get(id);
      int events = store.read(StoreOp.READ, tx -> tx.query(new JobEvents(id))).size();

      assertThat(JobCommands.retry(store, id, NOW, "api"))
          .as("%s", before.state())
          .isEqualTo(RetryResult.NOT_RETRYABLE);

      assertThat(get(id)).isEqualTo(before);
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(id))))
          .hasSize(events);
    }
    assertThat(get(running.id()).state()).isEqualTo(RUNNING);
  }

  @Test
  void reportsAnUnknownJob() {
    assertThat(JobCommands.retry(store, TestJobs.nextId(T0), NOW, "api"))
        .isEqualTo(RetryResult.NOT_FOUND);
  }

  @Test
  void concurrentRetriesOfOneJobRetryItOnce() throws Exception {
    Job dead = dead();
    int callers = 4;
    var start = new CountDownLatch(1);
    try (var pool = Executors.newFixedThreadPool(callers)) {
      var results = new ArrayList<Future<RetryResult>>();
      for (int i = 0; i < callers; i++) {
        String node = "api-" + i;
        Callable<RetryResult> call =
            () -> {
              start.await();
              return JobCommands.retry(store, dead.id(), NOW, node);
            };
        results.add(pool.submit(call));
      }
      start.countDown();
      var outcomes = new ArrayList<RetryResult>();
      for (Future<RetryResult> f : results) {
        outcomes.add(f.get());
      }

      assertThat(outcomes)
          .containsOnlyOnce(RetryResult.RETRIED)
          .containsOnly(RetryResult.RETRIED, RetryResult.NOT_RETRYABLE);
    }
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(dead.id()))))
        .filteredOn(e -> e.from() == DEAD)
        .hasSize(1);
    assertThat(get(dead.id()).version()).isEqualTo(dead.version() + 1);
  }
}
