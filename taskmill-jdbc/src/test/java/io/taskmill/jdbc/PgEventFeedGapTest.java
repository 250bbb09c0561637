package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.event.EventFilter;
import io.taskmill.event.FeedEvent;
import io.taskmill.internal.EventFeed;
import io.taskmill.internal.FeedSource;
import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.testkit.store.TestJobs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event feed on PostgreSQL with a transaction held open on a second connection: its seq was
 * taken before a later enqueue's, so the feed must not deliver the enqueue until the held seq
 * commits, or, when it never will, until it has been missing for the settle window.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgEventFeedGapTest {
  private final String schema = PgStores.newSchema();
  private final Store store = PgStores.fresh(schema, 4);
  private EventFeed feed;

  @AfterEach
  void close() {
    if (feed != null) {
      feed.close();
    }
    store.close();
  }

  private List<FeedEvent> subscribe(Duration settle) {
    feed = new EventFeed(FeedSource.of(store), settle, Duration.ofMillis(20), 100, 1000);
    var got = new CopyOnWriteArrayList<FeedEvent>();
    feed.subscribe(feed.latestSeq(), EventFilter.all(), got::add);
    return got;
  }

  private void enqueueOne() {
    ReadyWrites.insert(store, List.of(TestJobs.aJob().type("test.noop").build()), "node-a");
  }

  @Test
  void aLaterCommitIsHeldBackUntilTheLowerSeqInFlightCommits() throws Exception {
    List<FeedEvent> got = subscribe(Duration.ofMinutes(10));
    try (OpenFeedSeq held = new OpenFeedSeq(PgStores.connect(PgStores.url(schema)))) {
      enqueueOne();
      assertThat(store.read(StoreOp.FEED, tx -> tx.eventFeed(0, 10)).rows())
          .as("committed, visible to a reader")
          .hasSize(1);
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(got::isEmpty);

      held.commit();
    }
    enqueueOne();

    // The held row lists no jobs, so it yields no event; the two enqueues follow in seq order.
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
    assertThat(got.get(0).seq()).isLessThan(got.get(1).seq());
  }

  @Test
  void aRolledBackSeqIsGivenUpOnAfterTheSettleWindow() throws Exception {
    List<FeedEvent> got = subscribe(Duration.ofMillis(300));
    try (OpenFeedSeq held = new OpenFeedSeq(PgStores.connect(PgStores.url(schema)))) {
      enqueueOne();
      held.rollback();
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
  }
}
