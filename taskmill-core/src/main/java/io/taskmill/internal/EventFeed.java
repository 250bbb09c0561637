package io.taskmill.internal;

import io.taskmill.event.Events;
import io.taskmill.event.FeedEvent;
import io.taskmill.spi.FeedPage;
import io.taskmill.spi.FeedRow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's event feed: one poller thread ({@code taskmill-feed}) reads the store's feed and
 * hands what is settled ({@link FeedSettler}) to every live subscription; each subscription has a
 * virtual thread of its own that calls its listener, so a slow listener holds back nobody.
 *
 * <p>The poller starts with the first subscription and reads every poll interval (100 ms) while
 * anyone is subscribed, at once when this engine committed something ({@link #wake()}), and page
 * after page while it is behind. A subscription from before the poller's frontier first catches up
 * on its own thread, reading the store at its own cursor, then joins the live ones. A live
 * subscription buffers at most {@code bufferSize} events (plus one row's) besides the batch its
 * listener is working through; one whose listener falls further behind is not handed more: once it
 * has worked through its buffer it catches up from the store like a late subscriber. So the poller
 * never waits for a listener, a slow one costs memory for two buffers at most, and it still
 * receives every event once, in order.
 */
public final class EventFeed implements Events, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);

  /** How long a missing seq is waited for before it is given up on. */
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(2);

  public static final Duration DEFAULT_POLL = Duration.ofMillis(100);
  public static final int DEFAULT_PAGE = 1000;
  public static final int DEFAULT_BUFFER = 10_000;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final FeedSource source;
  private final Duration settle;
  private final Duration poll;
  private final int pageSize;
  private final int bufferSize;
  private final Wakeup wakeup = new Wakeup();

  /** Guards the settler, the live list, {@link #catchingUp} and the poller's start. */
  private final ReentrantLock lock = new ReentrantLock();

  private FeedSettler head;

  /** The seq the live settler started from: it judged the seqs above it, not those below. */
  private volatile long judgedAfter;

  private volatile long frontier;
  private final List<Sub> live = new ArrayList<>();
  private final Set<Sub> all = ConcurrentHashMap.newKeySet();
  private int catchingUp;
  private Thread poller;
  private volatile boolean active;
  private volatile boolean closed;

  public EventFeed(
      FeedSource source, Duration settle, Duration poll, int pageSize, int bufferSize) {
    this.source = Objects.requireNonNull(source, "source");
    if (settle.isNegative()
        || poll.isNegative()
        || poll.isZero()
        || pageSize < 1
        || bufferSize < 1) {
      throw new IllegalArgumentException(
          "event feed needs settle >= 0, poll > 0, pageSize >= 1 "
              + "and bufferSize >= 1, not "
              + settle
              + ", "
              + poll
              + ", "
              + pageSize
              + ", "
              + bufferSize);
    }
    this.settle = settle;
    this.poll = poll;
    this.pageSize = pageSize;
    this.bufferSize = bufferSize;
  }

  /** A feed with the default settle window, poll interval, page and buffer sizes. */
  public EventFeed(FeedSource source) {
    this(source, DEFAULT_SETTLE, DEFAULT_POLL, DEFAULT_PAGE, DEFAULT_BUFFER);
  }

  @Override
  public Subscription subscribe(
      long afterSeq, Predicate<FeedEvent> filter, Consumer<FeedEvent> listener) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException(
          "afterSeq must be 0 (from the start) or a seq the feed " + "gave, not " + afterSeq);
    }
    Objects.requireNonNull(filter, "filter (EventFilter.all() for every event)");
    Objects.requireNonNull(listener, "listener");
    var sub = new Sub(afterSeq, filter, listener);
    boolean catchUp;
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("this Taskmill engine is closed; start a new one");
      }
      if (head == null || (live.isEmpty() && catchingUp == 0 && afterSeq > head.frontier())) {
        // Nobody is served from the current frontier: start (again) where this subscriber is.
        head = new FeedSettler(afterSeq, settle);
        judgedAfter = afterSeq;
        frontier = afterSeq;
      }
      all.add(sub);
      catchUp = afterSeq < head.frontier();
      if (catchUp) {
        catchingUp++;
        sub.catching = true;
      } else {
        sub.handedTo = afterSeq;
        live.add(sub);
      }
      active = true;
      if (poller == null) {
        poller = Thread.ofPlatform().name("taskmill-feed").daemon().start(this::pollLoop);
      }
    } finally {
      lock.unlock();
    }
    sub.thread = Thread.ofVirtual().name("taskmill-feed-subscriber").start(() -> sub.run(catchUp));
    wakeup.signal();
    return sub;
  }

  @Override
  public long latestSeq() {
    return source.read(0, 0).headSeq();
  }

  /** Something was committed: read soon rather than at the next poll. Cheap when idle. */
  public void wake() {
    if (active) {
      wakeup.signal();
    }
  }

  /** Stops the poller and closes every subscription. */
  @Override
  public void close() {
    List<Sub> open;
    Thread t;
    lock.lock();
    try {
      closed = true;
      open = new ArrayList<>(all);
      t = poller;
    } finally {
      lock.unlock();
    }
    wakeup.signal();
    open.forEach(s -> s.end("the engine closed"));
    if (t != null) {
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void pollLoop() {
    int failures = 0;
    long lastLog = 0;
    while (!closed) {
      try {
        long from;
        lock.lock();
        try {
          from = live.isEmpty() ? -1 : head.frontier();
          active = !live.isEmpty() || catchingUp > 0;
        } finally {
          lock.unlock();
        }
        if (from < 0) {
          wakeup.await(Duration.ofSeconds(1));
          continue;
        }
        FeedPage page = source.read(from, pageSize);
        failures = 0;
        boolean more;
        lock.lock();
        try {
          if (head.frontier() != from) {
            continue; // restarted elsewhere meanwhile: read again from there
          }
          for (FeedRow row : head.settle(page)) {
            handOut(row);
          }
          frontier = head.frontier();
          more = page.rows().size() == pageSize && !head.waiting();
        } finally {
          lock.unlock();
        }
        if (!more) {
          wakeup.await(poll);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        failures++;
        long now = System.nanoTime();
        if (now - lastLog > Duration.ofSeconds(10).toNanos()) {
          log.warn("reading the event feed failed ({}); retrying", e.toString());
          lastLog = now;
        }
        try {
          wakeup.await(backoff(failures));
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private Duration backoff(int failures) {
    Duration d = poll.multipliedBy(1L << Math.min(failures, 10));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /** Under the lock: gives one settled row to every live subscription not past it. */
  private void handOut(FeedRow row) {
    List<FeedEvent> events = eventsOf(row);
    for (Iterator<Sub> it = live.iterator(); it.hasNext(); ) {
      Sub sub = it.next();
      if (row.seq() <= sub.handedTo) {
        continue;
      }
      if (!sub.offer(row.seq(), FeedRows.forSubscriber(events, sub.filter))) {
        it.remove();
        if (sub.isOpen()) {
          // Fell behind: from its buffer's end it reads the store at its own pace.
          sub.catching = true;
          catchingUp++;
        }
      }
    }
  }

  private static List<FeedEvent> eventsOf(FeedRow row) {
    try {
      return FeedRows.events(row);
    } catch (RuntimeException e) {
      log.error("feed row {} cannot be read and is left out: {}", row.seq(), e.toString());
      return List.of();
    }
  }

  /**
   * A catching-up subscription at {@code cursor} joins the live ones if it reached the frontier.
   */
  private boolean join(Sub sub, long cursor) {
    lock.lock();
    try {
      if (closed || cursor < head.frontier()) {
        return closed;
      }
      sub.handedTo = cursor;
      sub.catching = false;
      live.add(sub);
      catchingUp--;
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void leave(Sub sub) {
    all.remove(sub);
    lock.lock();
    try {
      live.remove(sub);
      if (sub.catching) {
        sub.catching = false;
        catchingUp--;
      }
    } finally {
      lock.unlock();
    }
  }

  /** One subscription: its buffer, its position and its thread. */
  private final class Sub implements Subscription {
    final Predicate<FeedEvent> filter;
    final Consumer<FeedEvent> listener;
    final long startAfter;

    /** The highest seq handed to this subscription by the poller; guarded by the feed's lock. */
    long handedTo;

    /** Reading the store on its own thread rather than served by the poller; feed's lock. */
    boolean catching;

    Thread thread;
    // Guarded by this:
    private final ArrayDeque<FeedEvent> buffer = new ArrayDeque<>();
    private long delivered;

    /** A seq none of whose events passed the filter, delivered once the buffer drains. */
    private long passedOver;

    private boolean inFlight;

    /** Handed no more by the poller: catch up from the store after {@link #resumeAfter}. */
    private boolean fellBehind;

    private long resumeAfter;
    private String reason;
    private boolean finished;
    private final List<Consumer<String>> onClose = new ArrayList<>();

    Sub(long afterSeq, Predicate<FeedEvent> filter, Consumer<FeedEvent> listener) {
      this.startAfter = afterSeq;
      this.delivered = afterSeq;
      this.filter = filter;
      this.listener = listener;
    }

    /**
     * From the poller, under the feed's lock: false when this subscription is closed, or when its
     * buffer is full (a row is never split, so an empty buffer takes any row).
     */
    synchronized boolean offer(long seq, List<FeedEvent> events) {
      if (reason != null) {
        return false;
      }
      if (!buffer.isEmpty() && buffer.size() + events.size() > bufferSize) {
        fellBehind = true;
        resumeAfter = handedTo;
        notifyAll();
        return false;
      }
      handedTo = seq;
      if (events.isEmpty()) {
        if (buffer.isEmpty() && !inFlight) {
          delivered = seq;
        } else {
          passedOver = seq;
        }
      } else {
        buffer.addAll(events);
        notifyAll();
      }
      return true;
    }

    void run(boolean catchUp) {
      long from = startAfter;
      try {
        while (!catchUp || catchUp(from)) {
          if (!deliverLive()) {
            return;
          }
          synchronized (this) {
            fellBehind = false;
            from = resumeAfter;
          }
          catchUp = true;
        }
      } catch (InterruptedException e) {
        end("interrupted");
      } finally {
        leave(this);
        finish();
      }
    }

    /**
     * Reads the store after {@code from} until it reaches the live frontier and joins the live
     * subscriptions; false if it closed first.
     */
    private boolean catchUp(long from) throws InterruptedException {
      var own = new FeedSettler(from, settle);
      int failures = 0;
      while (isOpen()) {
        long upTo = frontier;
        if (own.frontier() >= upTo && join(this, own.frontier())) {
          return isOpen();
        }
        FeedPage page;
        try {
          page = source.read(own.frontier(), pageSize);
          failures = 0;
        } catch (RuntimeException e) {
          failures++;
          pause(backoff(failures));
          continue;
        }
        List<FeedRow> rows = own.settle(page, judgedAfter, upTo);
        for (FeedRow row : rows) {
          for (FeedEvent e : FeedRows.forSubscriber(eventsOf(row), filter)) {
            if (!deliver(e)) {
              return false;
            }
          }
          synchronized (this) {
            delivered = row.seq();
          }
        }
        if (page.rows().size() < pageSize || own.waiting()) {
          pause(poll);
        }
      }
      return false;
    }

    /**
     * Delivers what the poller hands over; true when it fell behind and must catch up. Takes the
     * whole buffer at a time, so the poller, which offers under this subscription's monitor, meets
     * it held once per batch rather than once per event.
     */
    private boolean deliverLive() throws InterruptedException {
      var batch = new ArrayList<FeedEvent>();
      while (true) {
        synchronized (this) {
          while (buffer.isEmpty() && reason == null && !fellBehind) {
            wait();
          }
          if (reason != null) {
            return false;
          }
          if (buffer.isEmpty()) {
            return true; // fell behind, and its buffer is delivered: on to the store
          }
          batch.addAll(buffer);
          buffer.clear();
          inFlight = true;
        }
        for (FeedEvent e : batch) {
          if (!deliver(e)) {
            return false;
          }
          if (e.lastInSeq()) {
            synchronized (this) {
              delivered = Math.max(delivered, e.seq());
            }
          }
        }
        batch.clear();
        synchronized (this) {
          inFlight = false;
          if (buffer.isEmpty()) {
            delivered = Math.max(delivered, passedOver);
          }
        }
      }
    }

    private boolean deliver(FeedEvent e) {
      if (!isOpen()) {
        return false;
      }
      try {
        listener.accept(e);
        if (e.lastInSeq() && !inFlight) {
          synchronized (this) {
            delivered = Math.max(delivered, e.seq());
          }
        }
        return true;
      } catch (RuntimeException ex) {
        log.warn("event listener failed on seq {}; closing its subscription", e.seq(), ex);
        end("the listener failed: " + ex);
        return false;
      }
    }

    private synchronized void pause(Duration d) throws InterruptedException {
      if (reason == null) {
        wait(Math.max(1, d.toMillis()));
      }
    }

    /** Closes with {@code why}, unless closed already; the thread runs the callbacks. */
    synchronized void end(String why) {
      if (reason == null) {
        reason = why;
        buffer.clear();
        notifyAll();
      }
    }

    private void finish() {
      List<Consumer<String>> actions;
      String why;
      synchronized (this) {
        if (reason == null) {
          reason = "the engine closed";
        }
        finished = true;
        actions = List.copyOf(onClose);
        onClose.clear();
        why = reason;
      }
      actions.forEach(a -> runQuietly(a, why));
    }

    @Override
    public synchronized long lastSeq() {
      return delivered;
    }

    @Override
    public synchronized boolean isOpen() {
      return reason == null;
    }

    @Override
    public synchronized Optional<String> closeReason() {
      return Optional.ofNullable(reason);
    }

    @Override
    public void onClose(Consumer<String> action) {
      Objects.requireNonNull(action, "action");
      String why;
      synchronized (this) {
        if (!finished) {
          onClose.add(action);
          return;
        }
        why = reason;
      }
      runQuietly(action, why);
    }

    @Override
    public void close() {
      end("closed by its subscriber");
    }

    private static void runQuietly(Consumer<String> action, String why) {
      try {
        action.accept(why);
      } catch (RuntimeException e) {
        log.warn("an onClose action of an event subscription failed", e);
      }
    }
  }
}
