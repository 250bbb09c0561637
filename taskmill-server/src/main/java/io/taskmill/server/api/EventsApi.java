package io.taskmill.server.api;

import io.taskmill.Taskmill;
import io.taskmill.access.Role;
import io.taskmill.event.EventFilter;
import io.taskmill.event.EventKind;
import io.taskmill.event.Events;
import io.taskmill.event.FeedEvent;
import io.taskmill.server.http.Exchange;
import io.taskmill.server.http.Json;
import io.taskmill.server.http.Principal;
import io.taskmill.server.http.Problem;
import io.taskmill.server.http.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/v1/events}: the engine's event feed as server-sent events. Every node's changes
 * reach every subscriber because the feed is read from the store. Each event's {@code id} is its
 * feed position, set on the last event of a position (a batch of creations shares one), so a client
 * that reconnects with {@code Last-Event-ID} (or {@code ?after=}) resumes with exactly the events
 * it has not seen. Without either it starts at the present. A key limited to some queues receives
 * only the events of jobs in those queues, whatever it asks for.
 */
public final class EventsApi {
  /** Most streams one server holds open; more get 429. */
  public static final int MAX_STREAMS = 500;

  /** A comment line this often keeps proxies and the idle timeout from closing a quiet stream. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final Taskmill taskmill;
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean closing;

  public EventsApi(Taskmill taskmill) {
    this.taskmill = taskmill;
  }

  public List<Route> routes() {
    return List.of(Route.read("GET", "/api/v1/events", Role.VIEWER, this::stream));
  }

  /** Ends every open stream (the server is stopping). */
  public void close() {
    closing = true;
  }

  private void stream(Exchange ex) throws IOException, InterruptedException {
    ex.onlyQuery(Set.of("kind", "type", "queue", "after"));
    EventFilter filter = scoped(filter(ex), ex.principal());
    long after = position(ex);
    if (open.incrementAndGet() > MAX_STREAMS) {
      open.decrementAndGet();
      throw new Problem(
              429,
              "Too Many Requests",
              "this server already serves "
                  + MAX_STREAMS
                  + " event streams; retry later or use another node",
              null)
          .header("Retry-After", "5");
    }
    BlockingQueue<Object> queue = new LinkedBlockingQueue<>(10_000);
    Events.Subscription sub = null;
    try {
      long from = after >= 0 ? after : taskmill.events().latestSeq();
      sub =
          taskmill
              .events()
              .subscribe(
                  from,
                  filter,
                  e -> {
                    try {
                      queue.put(e);
                    } catch (InterruptedException ie) {
                      Thread.currentThread().interrupt();
                    }
                  });
      sub.onClose(reason -> queue.offer(new Closed(reason)));
      OutputStream out = ex.stream("text/event-stream");
      write(out, "retry: 2000\n: taskmill events after " + from + "\n\n");
      while (!closing) {
        Object next = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
          write(out, ": keep-alive\n\n");
        } else if (next instanceof FeedEvent e) {
          write(out, frame(e));
        } else if (next instanceof Closed c) {
          write(
              out,
              "event: error\ndata: "
                  + Json.write(Json.object().put("reason", c.reason()))
                  + "\n\n");
          return;
        }
      }
    } finally {
      open.decrementAndGet();
      if (sub != null) {
        sub.close();
      }
    }
  }

  private record Closed(String reason) {}

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static String frame(FeedEvent e) {
    var json =
        Json.object()
            .put("seq", e.seq())
            .put("kind", e.kind().wireName())
            .put("at", e.at().toString())
            .put("jobId", e.jobId() == null ? null : e.jobId().toString())
            .put("type", e.type())
            .put("queue", e.queue())
            .put("from", e.from() == null ? null : e.from().name())
            .put("to", e.to() == null ? null : e.to().name())
            .put("node", e.node())
            .put("attempt", e.attempt())
            .put("error", e.error())
            .put("message", e.message())
            .put("runAt", e.runAt() == null ? null : e.runAt().toString());
    // JSON never holds a raw line break, so one data line is one event: no injection.
    return (e.lastInSeq() ? "id: " + e.seq() + "\n" : "")
        + "event: "
        + e.kind().wireName()
        + "\ndata: "
        + Json.write(json)
        + "\n\n";
  }

  private static EventFilter filter(Exchange ex) {
    EventFilter f = EventFilter.all();
    String kinds = ex.query("kind");
    if (kinds != null) {
      try {
        f =
            f.kinds(
                Arrays.stream(kinds.split(","))
                    .map(String::trim)
                    .map(EventKind::ofWireName)
                    .toArray(EventKind[]::new));
      } catch (IllegalArgumentException e) {
        throw Problem.badRequest(Fields.clip(e.getMessage()), "kind");
      }
    }
    String types = ex.query("type");
    if (types != null) {
      f = f.types(types.split(","));
    }
    String queues = ex.query("queue");
    if (queues != null) {
      f = f.queues(queues.split(","));
    }
    return f;
  }

  /**
   * The filter narrowed to a scoped caller's queues: its own queues when it named none, else the
   * named ones it may use. Naming only other queues gives a stream with no events: the filter then
   * holds the empty name, which no queue has (names start with a letter).
   */
  private static EventFilter scoped(EventFilter f, Principal who) {
    if (!who.scoped()) {
      return f;
    }
    String[] queues =
        (f.queues().isEmpty() ? who.queues().stream() : f.queues().stream().filter(who::mayUse))
            .toArray(String[]::new);
    return f.queues(queues.length == 0 ? new String[] {""} : queues);
  }

  /** Where to resume: {@code Last-Event-ID} wins over {@code after}; -1 for "from now". */
  private static long position(Exchange ex) {
    String header = ex.header("Last-Event-ID");
    String text = header != null && !header.isBlank() ? header.trim() : ex.query("after");
    if (text == null) {
      return -1;
    }
    try {
      long seq = Long.parseLong(text);
      if (seq < 0) {
        throw new NumberFormatException();
      }
      return seq;
    } catch (NumberFormatException e) {
      throw Problem.badRequest(
          "Last-Event-ID / after must be an event id from this stream (a "
              + "whole number ≥ 0), was '"
              + Fields.clip(text)
              + "'",
          header != null ? "Last-Event-ID" : "after");
    }
  }
}
