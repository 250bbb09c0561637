package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.dispatch.Promotion;
import io.taskmill.job.Job;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobNextScheduledAt;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code Promotion.due} and {@code jobNextScheduledAt}: scheduled jobs becoming ready. */
public abstract class JobPromoteContract extends StoreContractSupport {
  private static final Instant DUE = T0.plusSeconds(60);

  @Test
  void promotesScheduledJobsThatAreDue() {
    InsertedJob due = insert(TestJobs.aJob().runAt(DUE).build());
    Job before = get(due.id());

    assertThat(Promotion.due(store, DUE, 10, NODE)).isEqualTo(1);

    Job after = get(due.id());
    assertThat(after.state()).isEqualTo(ENQUEUED);
    assertThat(after.runAt()).isEqualTo(DUE);
    assertThat(after.updatedAt()).isEqualTo(DUE);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertEvent(lastEvent(due.id()), due.id(), DUE, SCHEDULED, ENQUEUED, NODE, 0);
  }

  @Test
  void leavesJobsThatAreNotDueYet() {
    InsertedJob later = insert(TestJobs.aJob().runAt(DUE.plusSeconds(1)).build());

    assertThat(Promotion.due(store, DUE, 10, NODE)).isZero();

    assertThat(get(later.id()).state()).isEqualTo(SCHEDULED);
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(later.id()))))
        .hasSize(1);
  }

  @Test
  void promotesAtMostTheLimitEarliestFirst() {
    InsertedJob third = insert(TestJobs.aJob().runAt(T0.plusSeconds(30)).build());
    InsertedJob first = insert(TestJobs.aJob().runAt(T0.plusSeconds(10)).build());
    InsertedJob second = insert(TestJobs.aJob().runAt(T0.plusSeconds(20)).build());

    assertThat(Promotion.due(store, DUE, 2, NODE)).isEqualTo(2);

    assertThat(get(first.id()).state()).isEqualTo(ENQUEUED);
    assertThat(get(second.id()).state()).isEqualTo(ENQUEUED);
    assertThat(get(third.id()).state()).isEqualTo(SCHEDULED);
  }

  @Test
  void leavesEnqueuedJobsAlone() {
    InsertedJob ready = insert(TestJobs.aJob().build());

    assertThat(Promotion.due(store, DUE, 10, NODE)).isZero();
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(ready.id()))))
        .hasSize(1);
  }

  @Test
  void aPromotedJobCanBeClaimed() {
    InsertedJob due = insert(TestJobs.aJob().runAt(DUE).build());
    Promotion.due(store, DUE, 10, NODE);

    assertThat(ids(claim(10, DUE, TYPE))).containsExactly(due.id());
  }

  @Test
  void nextScheduledAtIsTheEarliestScheduledRunAt() {
    assertThat(
            store.read(StoreOp.NEXT_SCHEDULED, (StoreTx tx) -> tx.first(new JobNextScheduledAt())))
        .isEmpty();
    insert(TestJobs.aJob().build()); // enqueued: not scheduled
    assertThat(
            store.read(StoreOp.NEXT_SCHEDULED, (StoreTx tx) -> tx.first(new JobNextScheduledAt())))
        .isEmpty();

    insert(TestJobs.aJob().runAt(T0.plusSeconds(50)).build());
    insert(TestJobs.aJob().runAt(T0.plusSeconds(20)).build());

    assertThat(
            store.read(StoreOp.NEXT_SCHEDULED, (StoreTx tx) -> tx.first(new JobNextScheduledAt())))
        .contains(T0.plusSeconds(20));
    Promotion.due(store, T0.plusSeconds(20), 10, NODE);
    assertThat(
            store.read(StoreOp.NEXT_SCHEDULED, (StoreTx tx) -> tx.first(new JobNextScheduledAt())))
        .contains(T0.plusSeconds(50));
  }
}
