package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.CANCELLED;
import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static io.taskmill.job.JobState.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.control.JobCommands;
import io.taskmill.job.CancelResult;
import io.taskmill.job.ErrorSummary;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.job.Outcome;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code JobCommands.cancel}: waiting jobs end, running jobs get a request, finished jobs stay. */
public abstract class JobCancelContract extends StoreContractSupport {
  private static final Instant NOW = T0.plusSeconds(9);

  private void assertCancels(InsertedJob inserted, JobState fromState) {
    Job before = get(inserted.id());

    CancelResult result = JobCommands.cancel(store, inserted.id(), NOW, "api", "not needed");

    assertThat(result).isEqualTo(CancelResult.CANCELLED);
    Job after = get(inserted.id());
    assertThat(after.state()).isEqualTo(CANCELLED);
    assertThat(after.finishedAt()).isEqualTo(NOW);
    assertThat(after.updatedAt()).isEqualTo(NOW);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    JobEvent event = lastEvent(inserted.id());
    assertEvent(event, inserted.id(), NOW, before.state(), CANCELLED, "api", 0);
    assertThat(before.state()).isEqualTo(fromState);
    assertThat(event.message()).contains("not needed");
  }

  @Test
  void cancelsAScheduledJob() {
    assertCancels(insert(TestJobs.aJob().runAt(T0.plusSeconds(3600)).build()), SCHEDULED);
  }

  @Test
  void cancelsAnEnqueuedJob() {
    assertCancels(insert(TestJobs.aJob().build()), ENQUEUED);
  }

  @Test
  void aCancelledJobIsNeverClaimed() {
    InsertedJob job = insert(TestJobs.aJob().build());
    JobCommands.cancel(store, job.id(), NOW, "api", null);

    assertThat(claim(10, NOW, TYPE)).isEmpty();
  }

  @Test
  void asksARunningJobToStop() {
    Job running = running();

    CancelResult result = JobCommands.cancel(store, running.id(), NOW, "api", "user asked");

    assertThat(result).isEqualTo(CancelResult.CANCEL_REQUESTED);
    Job after = get(running.id());
    assertThat(after.state()).isEqualTo(RUNNING);
    assertThat(after.cancelRequested()).isTrue();
    assertThat(after.leaseOwner()).isEqualTo(NODE);
    assertThat(after.leaseEpoch()).isEqualTo(running.leaseEpoch());
    assertThat(after.version()).isEqualTo(running.version() + 1);
    JobEvent event = lastEvent(running.id());
    assertEvent(event, running.id(), NOW, RUNNING, RUNNING, "api", 1);
    assertThat(event.message()).startsWith("cancel requested");
  }

  @Test
  void asksARunningJobOnlyOnce() {
    Job running = running();
    JobCommands.cancel(store, running.id(), NOW, "api", null);
    Job requested = get(running.id());
    int events = store.read(StoreOp.READ, tx -> tx.query(new JobEvents(running.id()))).size();

    assertThat(JobCommands.cancel(store, running.id(), NOW.plusSeconds(1), "api", null))
        .isEqualTo(CancelResult.CANCEL_REQUESTED);

    assertThat(get(running.id())).isEqualTo(requested);
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(running.id()))))
        .hasSize(events);
  }

  @Test
  void aRunningJobAskedToStopCanEndCancelled() {
    Job running = running();
    JobCommands.cancel(store, running.id(), NOW, "api", null);

    assertThat(complete(running, new Outcome.Cancelled("cancelled by user"), NOW.plusSeconds(1)))
        .isTrue();

    assertThat(get(running.id()).state()).isEqualTo(CANCELLED);
  }

  @Test
  void leavesFinishedJobsAlone() {
    Job succeeded = running();
    complete(succeeded, new Outcome.Succeeded(null), T0.plusSeconds(1));
    Job dead = running();
    complete(dead, new Outcome.Dead(ErrorSummary.of("x.Y", "broken")), T0.plusSeconds(1));
    InsertedJob cancelled = insert(TestJobs.aJob().build());
    JobCommands.cancel(store, cancelled.id(), T0.plusSeconds(1), "api", null);

    for (JobId id : List.of(succeeded.id(), dead.id(), cancelled.id())) {
      Job before = get(id);
      int events = store.read(StoreOp.READ, tx -> tx.query(new JobEvents(id))).size();

      assertThat(JobCommands.cancel(store, id, NOW, "api", null))
          .isEqualTo(CancelResult.ALREADY_FINISHED);

      assertThat(get(id)).isEqualTo(before);
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(id))))
          .hasSize(events);
    }
  }

  @Test
  void reportsAnUnknownJob() {
    assertThat(JobCommands.cancel(store, TestJobs.nextId(T0), NOW, "api", null))
        .isEqualTo(CancelResult.NOT_FOUND);
  }
}
