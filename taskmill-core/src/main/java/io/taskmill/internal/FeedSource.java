package io.taskmill.internal;

import io.taskmill.spi.FeedPage;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;

/** Where the event feed reads pages: the store's {@code eventFeed}, or a fake in tests. */
@FunctionalInterface
public interface FeedSource {
  /**
   * Up to {@code limit} rows after {@code afterSeq}, as {@link io.taskmill.spi.StoreTx#eventFeed}.
   */
  FeedPage read(long afterSeq, int limit);

  /** Pages read from {@code store}, each in a read transaction of its own. */
  static FeedSource of(Store store) {
    return (afterSeq, limit) -> store.read(StoreOp.FEED, tx -> tx.eventFeed(afterSeq, limit));
  }
}
