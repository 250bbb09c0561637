package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static io.taskmill.job.JobState.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code jobInsertMany}: what is stored, its creation event, atomicity and idempotency keys. */
public abstract class JobInsertContract extends StoreContractSupport {

  @Test
  void storesEveryFieldOfANewJob() {
    NewJob job =
        TestJobs.aJob()
            .type("mail.send")
            .queue("mail")
            .priority(7)
            .payload("{\"to\":\"a@b.c\"}")
            .maxAttempts(5)
            .retryPolicy("{\"fixed\":\"PT5S\"}")
            .timeout(Duration.ofSeconds(90))
            .idempotencyKey("order-1")
            .tags("vip", "eu")
            .correlationId("corr-1")
            .schedule("mail.daily")
            .build();

    InsertedJob inserted = insert(job);

    assertThat(inserted).isEqualTo(new InsertedJob(job.id(), true, ENQUEUED, T0));
    Job stored = get(job.id());
    assertThat(stored)
        .isEqualTo(
            new Job(
                job.id(),
                "mail.send",
                "mail",
                ENQUEUED,
                7,
                T0,
                "{\"to\":\"a@b.c\"}",
                null,
                0,
                5,
                "{\"fixed\":\"PT5S\"}",
                Duration.ofSeconds(90),
                "order-1",
                List.of("vip", "eu"),
                "corr-1",
                null,
                0,
                null,
                false,
                null,
                T0,
                T0,
                null,
                null,
                stored.version(),
                "mail.daily"));
  }

  @Test
  void storesAJobWithoutOptionalFields() {
    NewJob job = TestJobs.aJob().build();

    insert(job);

    Job stored = get(job.id());
    assertThat(stored.timeout()).isNull();
    assertThat(stored.idempotencyKey()).isNull();
    assertThat(stored.tags()).isEmpty();
    assertThat(stored.correlationId()).isNull();
    assertThat(stored.schedule()).isNull();
  }

  @Test
  void storesAJobDueLaterAsScheduled() {
    Instant later = T0.plusSeconds(3600);
    NewJob job = TestJobs.aJob().runAt(later).build();

    InsertedJob inserted = insert(job);

    assertThat(inserted).isEqualTo(new InsertedJob(job.id(), true, SCHEDULED, later));
    assertThat(get(job.id()).state()).isEqualTo(SCHEDULED);
    assertThat(get(job.id()).runAt()).isEqualTo(later);
  }

  @Test
  void keepsTimesToTheMicrosecond() {
    Instant precise = T0.plusNanos(123_456_789);
    NewJob job = TestJobs.aJob().createdAt(precise).runAt(precise).build();

    InsertedJob inserted = insert(job);

    Instant micros = T0.plusNanos(123_456_000);
    assertThat(inserted.runAt()).isEqualTo(micros);
    assertThat(get(job.id()).runAt()).isEqualTo(micros);
    assertThat(get(job.id()).createdAt()).isEqualTo(micros);
  }

  @Test
  void keepsTagsWithAwkwardCharacters() {
    NewJob job = TestJobs.aJob().tags("quote\"d", "back\\slash", "new\nline", "ünï ✓", "").build();

    insert(job);

    assertThat(get(job.id()).tags())
        .containsExactly("quote\"d", "back\\slash", "new\nline", "ünï ✓", "");
  }

  @Test
  void returnsOneResultPerJobInOrder() {
    var jobs = new ArrayList<NewJob>();
    for (int i = 0; i < 5; i++) {
      jobs.add(TestJobs.aJob().runAt(T0.plusSeconds(i)).build());
    }

    List<InsertedJob> results = ReadyWrites.insert(store, jobs, NODE);

    assertThat(results)
        .extracting(InsertedJob::id)
        .containsExactlyElementsOf(jobs.stream().map(NewJob::id).toList());
    assertThat(results).allMatch(InsertedJob::created);
    assertThat(results)
        .extracting(InsertedJob::state)
        .containsExactly(ENQUEUED, SCHEDULED, SCHEDULED, SCHEDULED, SCHEDULED);
  }

  @Test
  void appendsOneCreationEventPerJob() {
    NewJob now = TestJobs.aJob().build();
    NewJob later = TestJobs.aJob().runAt(T0.plusSeconds(60)).build();

    insertAll(now, later);

    List<JobEvent> nowEvents = store.read(StoreOp.READ, tx -> tx.query(new JobEvents(now.id())));
    assertThat(nowEvents).hasSize(1);
    assertEvent(nowEvents.getFirst(), now.id(), T0, null, ENQUEUED, NODE, 0);
    List<JobEvent> laterEvents =
        store.read(StoreOp.READ, tx -> tx.query(new JobEvents(later.id())));
    assertThat(laterEvents).hasSize(1);
    assertEvent(laterEvents.getFirst(), later.id(), T0, null, SCHEDULED, NODE, 0);
  }

  @Test
  void insertsNothingFromAnEmptyBatch() {
    assertThat(ReadyWrites.insert(store, List.of(), NODE)).isEmpty();
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.jobList(JobQuery.all(10)))).isEmpty();
  }

  @Test
  void insertsNoJobOfABatchThatFails() {
    NewJob first = TestJobs.aJob().build();
    insert(first);
    NewJob fresh = TestJobs.aJob().build();
    NewJob sameIdAgain = TestJobs.aJob().id(first.id()).build();

    assertThatThrownBy(() -> insertAll(fresh, sameIdAgain)).isInstanceOf(RuntimeException.class);

    assertThat(
            store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(fresh.id())))))
        .isEmpty();
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(fresh.id()))))
        .isEmpty();
  }

  @Test
  void jobsWithoutKeysNeverCollide() {
    List<InsertedJob> results = insertAll(TestJobs.aJob().build(), TestJobs.aJob().build());

    assertThat(results).allMatch(InsertedJob::created);
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.jobList(JobQuery.all(10)))).hasSize(2);
  }

  @Test
  void aKeyRepeatedInOneBatchYieldsTheFirstJob() {
    NewJob first = TestJobs.aJob().idempotencyKey("k").build();
    NewJob other = TestJobs.aJob().build();
    NewJob second = TestJobs.aJob().idempotencyKey("k").runAt(T0.plusSeconds(60)).build();

    List<InsertedJob> results = insertAll(first, other, second);

    assertThat(results.get(0)).isEqualTo(new InsertedJob(first.id(), true, ENQUEUED, T0));
    assertThat(results.get(1).created()).isTrue();
    assertThat(results.get(2)).isEqualTo(new InsertedJob(first.id(), false, ENQUEUED, T0));
    assertThat(
            store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(second.id())))))
        .isEmpty();
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.jobList(JobQuery.all(10)))).hasSize(2);
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(first.id()))))
        .hasSize(1);
  }

  @Test
  void aKeyTakenEarlierYieldsTheExistingJobInItsCurrentState() {
    NewJob first = TestJobs.aJob().type(TYPE).idempotencyKey("k").build();
    insert(first);
    claimOne(NODE, T0);

    InsertedJob again = insert(TestJobs.aJob().type(TYPE).idempotencyKey("k").build());

    assertThat(again).isEqualTo(new InsertedJob(first.id(), false, RUNNING, T0));
    assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.jobList(JobQuery.all(10)))).hasSize(1);
  }

  @Test
  void aKeyInsertedByManyThreadsAtOnceMakesOneJob() throws Exception {
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      var start = new CountDownLatch(1);
      var futures = new ArrayList<Future<InsertedJob>>();
      for (int i = 0; i < threads; i++) {
        NewJob job = TestJobs.aJob().idempotencyKey("same-key").build();
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return ReadyWrites.insert(store, List.of(job), NODE).getFirst();
                }));
      }
      start.countDown();
      var results = new ArrayList<InsertedJob>();
      for (Future<InsertedJob> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }

      List<JobId> distinctIds = results.stream().map(InsertedJob::id).distinct().toList();
      assertThat(distinctIds).hasSize(1);
      assertThat(results).filteredOn(InsertedJob::created).hasSize(1);
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.jobList(JobQuery.all(100))))
          .extracting(Job::id)
          .containsExactlyElementsOf(distinctIds);
      assertThat(
              store.read(
                  StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(distinctIds.getFirst()))))
          .hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysAreIndependentOfEachOther() {
    List<InsertedJob> results =
        insertAll(
            TestJobs.aJob().idempotencyKey("a").build(),
            TestJobs.aJob().idempotencyKey("b").build());

    assertThat(results).allMatch(InsertedJob::created);
    assertThat(results.get(0).id()).isNotEqualTo(results.get(1).id());
  }
}
