package io.taskmill.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.event.EventFilter;
import io.taskmill.event.EventKind;
import io.taskmill.event.Events.Subscription;
import io.taskmill.event.FeedEvent;
import io.taskmill.job.JobId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The feed's threads over a fake source whose clock the test moves. */
class EventFeedTest {
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeFeed source = new FakeFeed();
  private final EventFeed feed = new EventFeed(source, SETTLE, Duration.ofMillis(5), 4, 20);

  @AfterEach
  void close() {
    feed.close();
  }

  private static List<Long> seqs(List<FeedEvent> events) {
    return events.stream().map(FeedEvent::seq).toList();
  }

  private Subscription collect(long after, List<FeedEvent> into) {
    return feed.subscribe(after, EventFilter.all(), into::add);
  }

  @Test
  void deliversEveryEventAfterTheCursorInOrder() {
    for (long s = 1; s <= 10; s++) {
      source.commit(s);
    }
    var got = new CopyOnWriteArrayList<FeedEvent>();
    Subscription sub = collect(3, got);

    await().atMost(WAIT).until(() -> got.size() == 7);
    assertThat(seqs(got)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(got).allSatisfy(e -> assertThat(e.lastInSeq()).isTrue());
    await().atMost(WAIT).until(() -> sub.lastSeq() == 10);
  }

  @Test
  void aBatchCreationIsOneEventPerJobSharingASeqTheLastMarked() {
    source.commitCreated(1, FakeFake.ids(3));
    var got = new CopyOnWriteArrayList<FeedEvent>();
    collect(0, got);

    await().atMost(WAIT).until(() -> got.size() == 3);
    assertThat(got).extracting(FeedEvent::kind).containsOnly(EventKind.JOB_CREATED);
    assertThat(got).extracting(FeedEvent::jobId).containsExactly(FakeFake.ids(3));
    assertThat(got).extracting(FeedEvent::lastInSeq).containsExactly(false, false, true);
  }

  @Test
  void aFilterMarksTheLastEventItPassesAndStillAdvancesThePosition() {
    JobId[] ids = FakeFake.ids(3);
    source.commitCreated(1, ids);
    source.commit(2);
    var got = new CopyOnWriteArrayList<FeedEvent>();
    Subscription sub = feed.subscribe(0, e -> e.jobId().equals(ids[1]), got::add);

    await().atMost(WAIT).until(() -> sub.lastSeq() == 2);
    assertThat(got)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.jobId()).isEqualTo(ids[1]);
              assertThat(e.lastInSeq()).isTrue();
            });
  }

  @Test
  void aSeqInFlightHoldsBackLaterOnesUntilItCommits() {
    source.commit(1);
    source.commit(3);
    var got = new CopyOnWriteArrayList<FeedEvent>();
    collect(0, got);
    await().atMost(WAIT).until(() -> got.size() == 1);
    int reads = source.reads();
    await().atMost(WAIT).until(() -> source.reads() > reads + 5);
    assertThat(seqs(got)).as("3 waits for 2 while the clock stands still").containsExactly(1L);

    source.commit(2);

    await().atMost(WAIT).until(() -> got.size() == 3);
    assertThat(seqs(got)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aSeqThatNeverCommitsIsGivenUpOnAfterTheSettleWindow() {
    source.commit(1);
    source.commit(3);
    var got = new CopyOnWriteArrayList<FeedEvent>();
    collect(0, got);
    await().atMost(WAIT).until(() -> got.size() == 1);
    int reads = source.reads();
    await().atMost(WAIT).until(() -> source.reads() > reads + 1);

    source.advance(SETTLE);

    await().atMost(WAIT).until(() -> got.size() == 2);
    assertThat(seqs(got)).containsExactly(1L, 3L);
  }

  @Test
  void aSubscriberFarBehindCatchesUpWhileALiveOneGoesOn() {
    for (long s = 1; s <= 30; s++) {
      source.commit(s);
    }
    var live = new CopyOnWriteArrayList<FeedEvent>();
    collect(25, live);
    await().atMost(WAIT).until(() -> live.size() == 5);

    var behind = new CopyOnWriteArrayList<FeedEvent>();
    collect(0, behind);
    for (long s = 31; s <= 40; s++) {
      source.commit(s);
    }

    await().atMost(WAIT).until(() -> behind.size() == 40 && live.size() == 15);
    assertThat(seqs(behind)).isSorted().doesNotHaveDuplicates();
    assertThat(seqs(live)).isSorted().doesNotHaveDuplicates().startsWith(26L).endsWith(40L);
  }

  @Test
  void aSlowListenerHoldsNobodyBackAndThenCatchesUpFromTheStore() {
    var release = new CountDownLatch(1);
    var slow = new CopyOnWriteArrayList<FeedEvent>();
    Subscription slowSub =
        feed.subscribe(
            0,
            EventFilter.all(),
            e -> {
              try {
                release.await();
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
              slow.add(e);
            });
    var fast = new CopyOnWriteArrayList<FeedEvent>();
    collect(0, fast);

    for (long s = 1; s <= 60; s++) {
      source.commit(s);
    }
    // The buffer holds 20 events: the poller has handed the slow one no more since.
    await().atMost(WAIT).until(() -> fast.size() == 60);
    assertThat(slow).isEmpty();

    release.countDown();
    await().atMost(WAIT).until(() -> slow.size() == 60);
    assertThat(seqs(slow)).as("every event once, in order").isEqualTo(seqs(fast));
    assertThat(slowSub.isOpen()).isTrue();

    source.commit(61);
    await().atMost(WAIT).until(() -> slow.size() == 61 && fast.size() == 61);
  }

  @Test
  void aListenerThatThrowsIsClosedAtThatEvent() {
    source.commit(1);
    source.commit(2);
    Subscription sub =
        feed.subscribe(
            0,
            EventFilter.all(),
            e -> {
              if (e.seq() == 2) {
                throw new IllegalStateException("boom");
              }
            });

    await().atMost(WAIT).until(() -> !sub.isOpen());
    assertThat(sub.closeReason()).hasValueSatisfying(r -> assertThat(r).contains("boom"));
    assertThat(sub.lastSeq()).as("2 was not received").isEqualTo(1);
  }

  @Test
  void closingStopsDeliveryAndRunsOnClose() {
    source.commit(1);
    var got = new CopyOnWriteArrayList<FeedEvent>();
    Subscription sub = collect(0, got);
    await().atMost(WAIT).until(() -> got.size() == 1);
    var reason = new AtomicReference<String>();
    sub.onClose(reason::set);

    sub.close();
    source.commit(2);

    await().atMost(WAIT).until(() -> reason.get() != null);
    assertThat(reason.get()).isEqualTo("closed by its subscriber");
    assertThat(seqs(got)).containsExactly(1L);
  }

  @Test
  void latestSeqIsTheHead() {
    source.commit(1);
    source.commit(7);

    assertThat(feed.latestSeq()).isEqualTo(7);
  }

  /** Job ids for the tests. */
  private static final class FakeFake {
    static JobId[] ids(int n) {
      var ids = new JobId[n];
      for (int i = 0; i < n; i++) {
        ids[i] = FakeFeed.job(i);
      }
      return ids;
    }
  }
}
