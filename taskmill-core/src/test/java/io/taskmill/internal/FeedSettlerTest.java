package io.taskmill.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.job.JobState;
import io.taskmill.spi.FeedPage;
import io.taskmill.spi.FeedRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedSettlerTest {
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private final FakeFeed feed = new FakeFeed();
  private final FeedSettler settler = new FeedSettler(0, SETTLE);

  private List<Long> settle() {
    return settleFrom(settler);
  }

  private List<Long> settleFrom(FeedSettler s) {
    return s.settle(feed.read(s.frontier(), 100)).stream().map(FeedRow::seq).toList();
  }

  @Test
  void contiguousRowsAreSettledAtOnce() {
    feed.commit(1);
    feed.commit(2);
    feed.commit(3);

    assertThat(settle()).containsExactly(1L, 2L, 3L);
    assertThat(settler.frontier()).isEqualTo(3);
    assertThat(settler.waiting()).isFalse();
  }

  @Test
  void aMissingSeqHoldsBackLaterRowsUntilItCommits() {
    feed.commit(1);
    feed.commit(3);

    assertThat(settle()).containsExactly(1L);
    assertThat(settler.waiting()).isTrue();
    feed.advance(Duration.ofSeconds(1));
    assertThat(settle()).isEmpty();

    feed.commit(2);
    assertThat(settle()).containsExactly(2L, 3L);
    assertThat(settler.waiting()).isFalse();
  }

  @Test
  void aMissingSeqIsGivenUpOnOnceSeenMissingForTheSettleWindow() {
    feed.commit(1);
    feed.commit(3);
    assertThat(settle()).containsExactly(1L);

    feed.advance(SETTLE.minusMillis(1));
    assertThat(settle()).isEmpty();
    feed.advance(Duration.ofMillis(1));
    assertThat(settle()).containsExactly(3L);
    assertThat(settler.frontier()).isEqualTo(3);

    // A late commit of the seq given up on is below the frontier now: not delivered out of order.
    feed.commit(2);
    feed.commit(4);
    assertThat(settle()).containsExactly(4L);
  }

  @Test
  void theWindowRunsFromWhenTheGapWasFirstSeenNotFromTheEventsTime() {
    feed.commit(1);
    feed.advance(Duration.ofMinutes(5));
    // Row 3's time is that of the read, but say it was an outcome retried through an outage:
    // its event time would be old. Only the reads' clock counts.
    feed.commit(3, FakeFeed.job(3), JobState.RUNNING, JobState.SUCCEEDED);
    assertThat(settle()).containsExactly(1L);

    feed.advance(Duration.ofSeconds(1));
    assertThat(settle()).as("seen missing for 1 s only").isEmpty();
    feed.advance(Duration.ofSeconds(1));
    assertThat(settle()).containsExactly(3L);
  }

  @Test
  void eachGapHasItsOwnFirstSighting() {
    feed.commit(1);
    feed.commit(3);
    assertThat(settle()).containsExactly(1L);
    feed.advance(Duration.ofSeconds(1));
    feed.commit(5); // 4 is seen missing only now
    assertThat(settle()).isEmpty();

    feed.advance(Duration.ofSeconds(1));
    assertThat(settle()).as("2 given up, 4 still awaited").containsExactly(3L);
    feed.commit(4);
    assertThat(settle()).containsExactly(4L, 5L);
  }

  @Test
  void aGapBeyondAnEarlierPageIsFirstSeenWhenARowShowsIt() {
    feed.commit(1);
    feed.commit(2);
    feed.commit(4);
    FeedPage firstTwo = feed.read(0, 2);
    assertThat(settler.settle(firstTwo)).hasSize(2);

    feed.advance(Duration.ofSeconds(5));
    assertThat(settle()).as("3 seen missing just now").isEmpty();
    feed.advance(SETTLE);
    assertThat(settle()).containsExactly(4L);
  }

  @Test
  void aRangeAnotherSettlerJudgedIsGivenUpOnAtOnce() {
    var catchingUp = new FeedSettler(0, SETTLE);
    feed.commit(1);
    feed.commit(3);
    feed.commit(6);

    List<FeedRow> rows = catchingUp.settle(feed.read(0, 100), 1, 4);

    assertThat(rows).extracting(FeedRow::seq).containsExactly(1L, 3L);
    assertThat(catchingUp.frontier()).as("4..5 reaches past the judged range").isEqualTo(3);
  }

  @Test
  void rowsAtOrBelowTheFrontierAreIgnored() {
    var s = new FeedSettler(5, SETTLE);
    feed.commit(4);
    feed.commit(5);
    feed.commit(6);

    assertThat(s.settle(feed.read(3, 100))).extracting(FeedRow::seq).containsExactly(6L);
  }

  @Test
  void readsInTheSameInstantNeverSettleAGap() {
    feed.commit(1);
    feed.commit(3);
    Instant start = feed.now();
    for (int i = 0; i < 5; i++) {
      assertThat(settle()).doesNotContain(3L);
    }
    assertThat(feed.now()).isEqualTo(start);
  }
}
