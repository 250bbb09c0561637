package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.ResizeImage;
import io.taskmill.job.InvalidJobException;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobQuery;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.job.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Everything a caller can get wrong fails at enqueue, naming the field; nothing bad is stored. */
class EnqueueValidationTest {
  private Taskmill tm;

  @BeforeEach
  void start() {
    tm =
        Taskmill.builder()
            .inMemory()
            .handler("media.resize", ResizeImage.class, (p, ctx) -> {})
            .queue("media", q -> q.concurrency(2))
            .start();
    tm.queues().pause("default"); // keep jobs waiting so their stored form can be inspected
    tm.queues().pause("media");
  }

  @AfterEach
  void stop() {
    tm.close();
  }

  @Test
  void unknownTypeIsRejectedListingTheRegisteredOnes() {
    assertThatThrownBy(() -> tm.enqueue("media.rezise", new ResizeImage("a", 1)))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("unknown job type 'media.rezise'")
        .hasMessageContaining("[media.resize]");
  }

  @Test
  void payloadOfTheWrongClassIsRejected() {
    assertThatThrownBy(() -> tm.enqueue("media.resize", "a.png"))
        .hasMessageContaining(
            "payload must be a " + ResizeImage.class.getName() + ", got java.lang.String");
  }

  @Test
  void jsonPayloadThatDoesNotBindNamesTheField() {
    assertThatThrownBy(
            () ->
                tm.enqueueJson(
                    "media.resize",
                    "{\"path\":\"a.png\",\"width\":\"wide\"}",
                    JobOptions.defaults()))
        .hasMessageContaining("payload does not match ResizeImage")
        .hasMessageContaining("width");
    assertThatThrownBy(
            () ->
                tm.enqueueJson(
                    "media.resize", "{\"path\":\"a.png\",\"colour\":1}", JobOptions.defaults()))
        .hasMessageContaining("colour");
    assertThatThrownBy(() -> tm.enqueueJson("media.resize", "{\"path\":", JobOptions.defaults()))
        .isInstanceOf(InvalidJobException.class);
  }

  @Test
  void classNamesInJsonPayloadsAreNeverHonoured() {
    // A gadget-style payload must be rejected as an unknown property, not instantiated.
    assertThatThrownBy(
            () ->
                tm.enqueueJson(
                    "media.resize",
                    "{\"@class\":\"com.sun.rowset.JdbcRowSetImpl\",\"path\":\"a\",\"width\":1}",
                    JobOptions.defaults()))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("@class");
  }

  @Test
  void validJsonPayloadIsStoredInCanonicalForm() {
    JobId id =
        tm.enqueueJson(
            "media.resize", "{ \"width\": 640, \"path\": \"a.png\" }", JobOptions.queue("media"));
    assertThat(tm.jobs().get(id).orElseThrow().payloadJson())
        .isEqualTo("{\"path\":\"a.png\",\"width\":640}");
  }

  @Test
  void invalidOptionsAreAllReportedTogether() {
    var bad =
        JobOptions.queue("")
            .priority(99999)
            .delay(Duration.ofSeconds(-5))
            .retry(Retry.fixed(Duration.ofSeconds(1)).maxAttempts(0));
    assertThatThrownBy(() -> tm.enqueue("media.resize", new ResizeImage("a", 1), bad))
        .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.problems()).hasSize(4))
        .hasMessageContaining("maxAttempts must be between 1 and 1000, was 0")
        .hasMessageContaining("delay must be zero or positive");
  }

  @Test
  void undeclaredQueueIsRejected() {
    assertThatThrownBy(
            () -> tm.enqueue("media.resize", new ResizeImage("a", 1), JobOptions.queue("video")))
        .hasMessageContaining(
            "queue 'video' is not served by this engine; declared queues: [default, media]");
  }

  @Test
  void aBatchWithOneBadJobStoresNothing() {
    var good = JobRequest.of("media.resize", new ResizeImage("a", 1));
    var bad =
        JobRequest.of(
            "media.resize", new ResizeImage("b", 2), JobOptions.defaults().priority(-5000));
    assertThatThrownBy(() -> tm.enqueueAll(List.of(good, bad)))
        .isInstanceOf(InvalidJobException.class);
    assertThat(tm.jobs().list(JobQuery.all(10))).isEmpty();
  }

  @Test
  void batchEnqueueStoresAllInOrder() {
    var ids =
        tm.enqueueAll(
            List.of(
                JobRequest.of("media.resize", new ResizeImage("a", 1)),
                JobRequest.of(
                    "media.resize",
                    new ResizeImage("b", 2),
                    JobOptions.defaults().delay(Duration.ofHours(1)))));
    assertThat(tm.jobs().get(ids.get(0)).orElseThrow().state()).isEqualTo(JobState.ENQUEUED);
    assertThat(tm.jobs().get(ids.get(1)).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
  }

  @Test
  void sameIdempotencyKeyFromManyThreadsYieldsOneJob() throws Exception {
    int threads = 16;
    Set<JobId> ids = ConcurrentHashMap.newKeySet();
    var go = new CountDownLatch(1);
    var futures = new ArrayList<Future<?>>();
    try (var pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  ids.add(
                      tm.enqueue(
                          "media.resize",
                          new ResizeImage("a.png", n),
                          JobOptions.defaults().idempotencyKey("a.png@640")));
                  return null;
                }));
      }
      go.countDown();
    }
    for (var f : futures) {
      f.get(); // every caller succeeded
    }
    assertThat(ids).hasSize(1);
    assertThat(tm.jobs().list(JobQuery.all(100))).hasSize(1);
  }
}
