package io.taskmill.internal;

import io.taskmill.spi.FeedPage;

/** Where the event feed reads pages: the store's {@code eventFeed}, or a fake in tests. */
@FunctionalInterface
public interface FeedSource {
  /** Up to {@code limit} rows after {@code afterSeq}, as {@link io.taskmill.spi.Store#eventFeed}. */
  FeedPage read(long afterSeq, int limit);
}
