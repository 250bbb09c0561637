package io.taskmill.spi;

import java.time.Instant;
import java.util.List;

/**
 * One read of the event feed.
 *
 * @param rows rows with {@code seq} above the requested one, in seq order, as committed when read
 * @param readAt the store's clock when the rows were read (not earlier), so a reader can tell how
 *     long a missing seq has been missing by one clock shared by every node
 * @param headSeq the highest seq committed in the feed when read (0 when empty); a lower seq may
 *     still be held by a transaction that has not committed
 */
public record FeedPage(List<FeedRow> rows, Instant readAt, long headSeq) {

  public FeedPage {
    rows = List.copyOf(rows);
  }
}
