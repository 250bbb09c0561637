package io.taskmill.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.job.Job;
import io.taskmill.job.JobState;
import io.taskmill.job.Outcome;
import io.taskmill.queue.QueueStat;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code queueSetPaused}, {@code queuePausedNames} and {@code queueStats}. */
public abstract class QueueContract extends StoreContractSupport {

  @Test
  void noQueueIsPausedAtFirst() {
    assertThat(store.queuePausedNames()).isEmpty();
  }

  @Test
  void pausesAndResumesAQueue() {
    store.queueSetPaused("mail", true);
    assertThat(store.queuePausedNames()).containsExactly("mail");

    store.queueSetPaused("mail", false);
    assertThat(store.queuePausedNames()).isEmpty();
  }

  @Test
  void aPausedQueueCannotBeClaimedFromWhoeverPausedIt() {
    insert(TestJobs.aJob().type(TYPE).queue(QUEUE).runAt(T0).createdAt(T0).build());
    store.queueSetPaused(QUEUE, true);

    assertThat(claim(10, T0, TYPE)).isEmpty();

    store.queueSetPaused(QUEUE, false);
    assertThat(claim(10, T0, TYPE)).hasSize(1);
  }

  @Test
  void pausingTwiceIsTheSameAsOnce() {
    store.queueSetPaused("mail", true);
    store.queueSetPaused("mail", true);

    assertThat(store.queuePausedNames()).containsExactly("mail");
  }

  @Test
  void resumingAQueueNeverPausedIsHarmless() {
    store.queueSetPaused("never", false);

    assertThat(store.queuePausedNames()).isEmpty();
  }

  @Test
  void tracksEachQueueSeparately() {
    store.queueSetPaused("a", true);
    store.queueSetPaused("b", true);
    store.queueSetPaused("c", true);
    store.queueSetPaused("b", false);

    assertThat(store.queuePausedNames()).containsExactlyInAnyOrder("a", "c");
  }

  @Test
  void statsCountEachQueueByStateWithItsOldestReadyJobAndRecentFinishes() {
    insert(TestJobs.aJob().type(TYPE).queue("mail").runAt(T0.plusSeconds(5)).createdAt(T0).build());
    insert(TestJobs.aJob().type(TYPE).queue("mail").runAt(T0.plusSeconds(2)).createdAt(T0).build());
    insert(TestJobs.aJob().type(TYPE).queue("mail").runAt(T0.plusSeconds(3600)).createdAt(T0)
        .build());
    insert(TestJobs.aJob().type(TYPE).queue(QUEUE).runAt(T0).createdAt(T0).build());
    Job done = running(TestJobs.aJob().type(TYPE).queue(QUEUE).runAt(T0).createdAt(T0));
    assertThat(complete(done, new Outcome.Succeeded(null), T0.plusSeconds(10))).isTrue();

    var stats = store.queueStats(T0.plusSeconds(5));
    assertThat(stats).extracting(QueueStat::queue).containsExactly(QUEUE, "mail");
    QueueStat main = stats.get(0);
    assertThat(main.counts()).containsExactlyInAnyOrderEntriesOf(
        Map.of(JobState.ENQUEUED, 1L, JobState.SUCCEEDED, 1L));
    assertThat(main.oldestReadyAt()).isEqualTo(T0);
    assertThat(main.finishedSince()).isEqualTo(1);
    QueueStat mail = stats.get(1);
    assertThat(mail.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
    assertThat(mail.finishedSince()).isZero();

    assertThat(store.queueStats(T0.plusSeconds(11)).get(0).finishedSince())
        .as("finished before the window").isZero();
  }

  @Test
  void statsOfAnEmptyStoreAreEmpty() {
    assertThat(store.queueStats(T0.minus(Duration.ofDays(1)))).isEmpty();
  }
}
