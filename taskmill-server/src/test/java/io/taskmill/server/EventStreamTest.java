package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.access.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/events} over a real socket: events arrive as server-sent events with ids,
 * filters apply, and reconnecting with {@code Last-Event-ID} resumes with exactly what was missed.
 */
class EventStreamTest {
  static ServerFixture fx;

  @BeforeAll
  static void start() {
    // Two more queues, for a key limited to one of them.
    fx =
        new ServerFixture(
            ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withInMemory(),
            b -> b.queue("mail", q -> q.concurrency(1)).queue("render", q -> q.concurrency(1)));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  /** One parsed event: its id (or null), kind and data line. */
  record Sse(String id, String event, String data) {}

  /** Opens a stream and collects its events until closed. */
  static final class Stream implements AutoCloseable {
    final List<Sse> events = new CopyOnWriteArrayList<>();
    final AtomicReference<java.util.stream.Stream<String>> lines = new AtomicReference<>();
    final Thread reader;
    final int status;

    Stream(String query, String lastEventId) throws Exception {
      this(query, lastEventId, fx.keys.get(Role.VIEWER));
    }

    Stream(String query, String lastEventId, String key) throws Exception {
      var b =
          HttpRequest.newBuilder(URI.create(fx.server.uri() + "/api/v1/events" + query))
              .header("Authorization", "Bearer " + key);
      if (lastEventId != null) {
        b.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<java.util.stream.Stream<String>> r =
          fx.http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
      status = r.statusCode();
      lines.set(r.body());
      reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    String[] cur = new String[3];
                    try {
                      r.body()
                          .forEach(
                              line -> {
                                if (line.isEmpty()) {
                                  if (cur[1] != null) {
                                    events.add(new Sse(cur[0], cur[1], cur[2]));
                                  }
                                  cur[0] = cur[1] = cur[2] = null;
                                } else if (line.startsWith("id: ")) {
                                  cur[0] = line.substring(4);
                                } else if (line.startsWith("event: ")) {
                                  cur[1] = line.substring(7);
                                } else if (line.startsWith("data: ")) {
                                  cur[2] = line.substring(6);
                                }
                              });
                    } catch (RuntimeException closed) {
                      // the test closed the stream
                    }
                  });
    }

    List<String> kindsOf(String jobId) {
      return events.stream().filter(e -> e.data().contains(jobId)).map(Sse::event).toList();
    }

    @Override
    public void close() {
      lines.get().close();
      reader.interrupt();
    }
  }

  private static String submit(String body) {
    var r = fx.post("/api/v1/jobs", Role.OPERATOR, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  @Test
  void streamsTheLifeOfEachJobAndResumesWithLastEventId() throws Exception {
    var ids = new ArrayList<String>();
    String lastId;
    try (var stream = new Stream("", null)) {
      assertThat(stream.status).isEqualTo(200);
      for (int i = 0; i < 5; i++) {
        ids.add(submit("{\"type\":\"demo.noop\",\"payload\":{}}"));
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> ids.stream().allMatch(id -> stream.kindsOf(id).contains("job.succeeded")));
      for (String id : ids) {
        assertThat(stream.kindsOf(id))
            .containsSubsequence("job.created", "job.running", "job.succeeded");
      }
      lastId =
          stream.events.stream().filter(e -> e.id() != null).reduce((a, b) -> b).orElseThrow().id();
    }
    // Missed while disconnected: two more jobs, then resume from the last id seen.
    String missed1 = submit("{\"type\":\"demo.noop\",\"payload\":{}}");
    String missed2 = submit("{\"type\":\"demo.noop\",\"payload\":{}}");
    try (var resumed = new Stream("", lastId)) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  resumed.kindsOf(missed1).contains("job.succeeded")
                      && resumed.kindsOf(missed2).contains("job.succeeded"));
      assertThat(resumed.kindsOf(missed1))
          .containsSubsequence("job.created", "job.running", "job.succeeded");
      for (String seen : ids) {
        assertThat(resumed.kindsOf(seen))
            .as("nothing seen before the reconnect comes again")
            .isEmpty();
      }
      long last = Long.parseLong(lastId);
      assertThat(resumed.events).allMatch(e -> e.id() == null || Long.parseLong(e.id()) > last);
    }
  }

  @Test
  void filtersByKindAndRefusesBadFilters() throws Exception {
    try (var stream = new Stream("?kind=job.succeeded", null)) {
      String id = submit("{\"type\":\"demo.noop\",\"payload\":{}}");
      await().atMost(Duration.ofSeconds(15)).until(() -> !stream.kindsOf(id).isEmpty());
      assertThat(stream.events).extracting(Sse::event).containsOnly("job.succeeded");
    }
    assertThat(fx.get("/api/v1/events?kind=job.nope", Role.VIEWER).status()).isEqualTo(400);
    assertThat(fx.get("/api/v1/events?after=-3", Role.VIEWER).status()).isEqualTo(400);
  }

  @Test
  void aKeyLimitedToSomeQueuesReceivesOnlyTheirEvents() throws Exception {
    String mailOnly = fx.scopedKey(Role.VIEWER, List.of("mail"));
    try (var all = new Stream("", null, mailOnly);
        var named = new Stream("?queue=render,mail", null, mailOnly);
        var foreign = new Stream("?queue=render", null, mailOnly)) {
      assertThat(List.of(all.status, named.status, foreign.status)).containsOnly(200);
      String render = submit("{\"type\":\"demo.noop\",\"payload\":{},\"queue\":\"render\"}");
      String other = submit("{\"type\":\"demo.noop\",\"payload\":{}}");
      String mail = submit("{\"type\":\"demo.noop\",\"payload\":{},\"queue\":\"mail\"}");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> !all.kindsOf(mail).isEmpty() && !named.kindsOf(mail).isEmpty());
      // The feed is read in seq order, and mail's job came last: the others were passed over.
      for (Stream s : List.of(all, named, foreign)) {
        assertThat(s.kindsOf(render)).isEmpty();
        assertThat(s.kindsOf(other)).isEmpty();
      }
      assertThat(foreign.events).isEmpty();
      assertThat(all.events).allMatch(e -> e.data().contains("\"queue\":\"mail\""));
    }
  }
}
