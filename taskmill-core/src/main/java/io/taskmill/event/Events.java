package io.taskmill.event;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The cluster-wide event feed: every job's creation and transitions, on whichever node they
 * happened, in one order ({@code seq}), without gaps, resumable from any position.
 *
 * <pre>{@code
 * Events.Subscription sub = tm.events().subscribe(lastSeenSeq, EventFilter.all().queues("media"),
 *     e -> System.out.println(e.seq() + " " + e.kind().wireName() + " " + e.jobId()));
 * }</pre>
 *
 * <p>The feed reads what the store committed, so an event appears once its transaction commits
 * (within about 100 ms on another node). Sequence numbers are taken before commit, so a change may
 * commit after one with a higher number; the feed holds later events back until every lower number
 * has committed or is given up on (a rolled-back transaction never commits: after a settle window
 * of 2 s by default). A subscriber that resumes after the last seq it received therefore misses
 * nothing that committed since, except a transaction open longer than the settle window. Events
 * older than the retention of their jobs (or of the outbox) are gone.
 */
public interface Events {

  /**
   * Subscribes to events with {@code seq > afterSeq} that pass {@code filter}, delivered in order
   * to {@code listener} on a thread of the subscription's own. A slow listener delays no one: once
   * its buffer (10,000 events) is full it is handed nothing more, and after working through it
   * reads the store at its own pace until it has caught up. A listener that throws closes its
   * subscription, with the reason; subscribe again after {@link Subscription#lastSeq()}.
   *
   * @param afterSeq 0 for everything retained, {@link #latestSeq()} for what happens from now on,
   *     or the seq of the last event received (of one with {@link FeedEvent#lastInSeq()})
   */
  Subscription subscribe(long afterSeq, Predicate<FeedEvent> filter, Consumer<FeedEvent> listener);

  /**
   * The highest seq committed now: subscribe after it to receive only what happens next. (A change
   * whose transaction is still open may hold a lower seq; it counts as having happened before.)
   */
  long latestSeq();

  /** One listener's place in the feed; close it to stop receiving. */
  interface Subscription extends AutoCloseable {

    /**
     * The seq after which this subscription would resume: that of the last event it delivered with
     * {@link FeedEvent#lastInSeq()}, or the seq it started after.
     */
    long lastSeq();

    /** Whether events are still delivered. */
    boolean isOpen();

    /** Why the subscription closed, if it did: closed by its owner, the listener failed… */
    Optional<String> closeReason();

    /**
     * Runs {@code action} with the reason once the subscription closes (at once if it has), on the
     * thread that closed it.
     */
    void onClose(Consumer<String> action);

    /** Stops delivery; an event being delivered finishes first. */
    @Override
    void close();
  }
}
