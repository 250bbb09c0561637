package io.taskmill.internal;

import io.taskmill.spi.FeedPage;
import io.taskmill.spi.FeedRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides which feed rows are final: the contiguous prefix above the frontier, where a missing seq
 * is waited for until it has been seen missing for the settle window, then given up on.
 *
 * <p>Why by first sight and not by the event times: a seq is taken inside its transaction, so the
 * transaction holding a missing seq N took it before the row after it (N+1) took its own, which was
 * before N+1 committed, which was before the read that first showed N+1 without N. So "how long
 * since a read first showed N missing" never overstates how long N's transaction has been open. An
 * event's {@code at} gives no such bound: it is taken before the transaction, and an outcome
 * retried through a database outage carries the time the attempt ended, seconds or minutes before
 * its seq was drawn; judging by it would skip a seq whose transaction just began. Both times here
 * are the store's clock of the reads ({@link FeedPage#readAt()}), one clock for every node.
 *
 * <p>Not thread-safe; the event feed calls it under its lock.
 */
final class FeedSettler {
  /** Seqs {@code lo..hi} seen missing, first at {@code firstSeen}. */
  private record Gap(long lo, long hi, Instant firstSeen) {}

  private final Duration settle;
  private long frontier;

  /** The highest seq any read has shown; every seq up to it is either read, or in {@link #gaps}. */
  private long observed;

  private TreeMap<Long, Gap> gaps = new TreeMap<>();

  /**
   * @param frontier the seq up to which everything counts as settled already
   */
  FeedSettler(long frontier, Duration settle) {
    this.frontier = frontier;
    this.observed = frontier;
    this.settle = settle;
  }

  /** Every seq up to this is settled: delivered, or given up on. */
  long frontier() {
    return frontier;
  }

  /** Whether a missing seq is being waited for. */
  boolean waiting() {
    return !gaps.isEmpty();
  }

  /**
   * Takes a page read after {@link #frontier()} and returns its rows that are now settled, in seq
   * order; the frontier moves past them and past every missing seq given up on.
   */
  List<FeedRow> settle(FeedPage page) {
    return settle(page, 0, 0);
  }

  /**
   * As {@link #settle(FeedPage)}, except that a missing range lying wholly in {@code judgedAfter <
   * seq <= judgedUpTo} is given up on at once: another settler (the engine's live one) has judged
   * that range already.
   */
  List<FeedRow> settle(FeedPage page, long judgedAfter, long judgedUpTo) {
    Instant now = page.readAt();
    var settled = new ArrayList<FeedRow>();
    var stillMissing = new TreeMap<Long, Gap>();
    long next = frontier + 1;
    boolean blocked = false;
    for (FeedRow row : page.rows()) {
      long seq = row.seq();
      if (seq < next) {
        continue; // at or below the frontier: a late commit of a seq given up on, or a repeat
      }
      if (seq > next) {
        boolean judged = next > judgedAfter && seq - 1 <= judgedUpTo;
        Gap gap =
            new Gap(next, seq - 1, judged ? now.minus(settle) : firstSeen(next, seq - 1, now));
        if (blocked || Duration.between(gap.firstSeen(), now).compareTo(settle) < 0) {
          blocked = true;
          stillMissing.put(gap.lo(), gap);
        }
      }
      if (!blocked) {
        settled.add(row);
        frontier = seq;
      }
      next = seq + 1;
    }
    observed = Math.max(observed, next - 1);
    gaps = stillMissing;
    return settled;
  }

  /**
   * When {@code lo..hi} was first seen missing: now if any of it lies above what earlier reads
   * showed; else when the gap holding it was first seen. A range that earlier reads showed as rows
   * and that is missing now was pruned meanwhile, so it is long settled.
   */
  private Instant firstSeen(long lo, long hi, Instant now) {
    if (hi > observed) {
      return now;
    }
    Map.Entry<Long, Gap> known = gaps.floorEntry(lo);
    if (known != null && known.getValue().hi() >= lo) {
      return known.getValue().firstSeen();
    }
    return now.minus(settle);
  }
}
