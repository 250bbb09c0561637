package io.taskmill.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.job.Job;
import io.taskmill.job.JobState;
import io.taskmill.job.Outcome;
import io.taskmill.queue.QueueStat;
import io.taskmill.spi.Ops.QueuePausedNames;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code queueSetPaused}, {@code queuePausedNames} and {@code queueStats}. */
public abstract class QueueContract extends StoreContractSupport {

  @Test
  void noQueueIsPausedAtFirst() {
    assertThat(store.read(StoreOp.QUEUE, (StoreTx tx) -> tx.query(new QueuePausedNames())))
        .isEmpty();
  }

  @Test
  void pausesAndResumesAQueue() {
    ReadyWrites.setPaused(store, "mail", true);
    assertThat(store.read(StoreOp.QUEUE, (StoreTx tx) -> tx.query(new QueuePausedNames())))
        .containsExactly("mail");

    ReadyWrites.setPaused(store, "mail", false);
    assertThat(store.read(StoreOp.QUEUE, (StoreTx tx) -> tx.query(new QueuePausedNames())))
        .isEmpty();
  }

  @Test
  void aPausedQueueCannotBeClaimedFromWhoeverPausedIt() {
    insert(TestJobs.aJob().type(TYPE).queue(QUEUE).runAt(T0).createdAt(T0).build());
    ReadyWrites.setPaused(store, QUEUE, true);

    assertThat(claim(10, T0, TYPE)).isEmpty();

    ReadyWrites.setPaused(store, QUEUE, false);
    assertThat(claim(10, T0, TYPE)).hasSize(1);
  }

  @Test
  void pausingTwiceIsTheSameAsOnce() {
    ReadyWrites.setPaused(store, "mail", true);
    ReadyWrites.setPaused(store, "mail", true);

    assertThat(store.read(StoreOp.QUEUE, (StoreTx tx) -> tx.query(new QueuePausedNames())))
        .containsExactly("mail");
  }

  @Test
  void resumingAQueueNeverPausedIsHarmless() {
    ReadyWrites.setPaused(store, "never", false);

    assertThat(store.read(StoreOp.QUEUE, (StoreTx tx) -> tx.query(new QueuePausedNames())))
        .isEmpty();
  }

  @Test
  void tracksEachQueueSeparately() {
    ReadyWrites.setPaused(store, "a", true);
    ReadyWrites.setPaused(store, "b", true);
    ReadyWrites.setPaused(store, "c", true);
    ReadyWrites.setPaused(store, "b", false);

    assertThat(store.read(StoreOp.QUEUE, (StoreTx tx) -> tx.query(new QueuePausedNames())))
        .containsExactlyInAnyOrder("a", "c");
  }

  @Test
  void statsCountEachQueueByStateWithItsOldestReadyJobAndRecentFinishes() {
    insert(TestJobs.aJob().type(TYPE).queue("mail").runAt(T0.plusSeconds(5)).createdAt(T0).build());
    insert(TestJobs.aJob().type(TYPE).queue("mail").runAt(T0.plusSeconds(2)).createdAt(T0).build());
    insert(
        TestJobs.aJob().type(TYPE).queue("mail").runAt(T0.plusSeconds(3600)).createdAt(T0).build());
    insert(TestJobs.aJob().type(TYPE).queue(QUEUE).runAt(T0).createdAt(T0).build());
    Job done = running(TestJobs.aJob().type(TYPE).queue(QUEUE).runAt(T0).createdAt(T0));
    assertThat(complete(done, new Outcome.Succeeded(null), T0.plusSeconds(10))).isTrue();

    var stats = store.read(StoreOp.QUEUE, tx -> tx.queueStats(T0.plusSeconds(5)));
    assertThat(stats).extracting(QueueStat::queue).containsExactly(QUEUE, "mail");
    QueueStat main = stats.get(0);
    assertThat(main.counts())
        .containsExactlyInAnyOrderEntriesOf(Map.of(JobState.ENQUEUED, 1L, JobState.SUCCEEDED, 1L));
    assertThat(main.oldestReadyAt()).isEqualTo(T0);
    assertThat(main.finishedSince()).isEqualTo(1);
    QueueStat mail = stats.get(1);
    assertThat(mail.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
    assertThat(mail.finishedSince()).isZero();

    assertThat(
            store
                .read(StoreOp.QUEUE, tx -> tx.queueStats(T0.plusSeconds(11)))
                .get(0)
                .finishedSince())
        .as("finished before the window")
        .isZero();
  }

  @Test
  void statsOfAnEmptyStoreAreEmpty() {
    assertThat(
            store.read(StoreOp.QUEUE, (StoreTx tx) -> tx.queueStats(T0.minus(Duration.ofDays(1)))))
        .isEmpty();
  }
}
