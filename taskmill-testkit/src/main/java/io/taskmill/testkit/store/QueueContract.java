package io.taskmill.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code queueSetPaused} and {@code queuePausedNames}. */
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
}
