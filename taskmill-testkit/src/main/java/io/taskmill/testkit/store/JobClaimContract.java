package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.dispatch.Claim;
import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobQuery;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code jobClaim}: order, limits, what is never claimed, and the lease a claim creates. */
public abstract class JobClaimContract extends StoreContractSupport {

  private InsertedJob ready(String type, int priority) {
    return insert(TestJobs.aJob().type(type).priority(priority).build());
  }

  @Test
  void claimsTheHighestPriorityFirst() {
    InsertedJob low = ready(TYPE, 1);
    InsertedJob high = ready(TYPE, 9);
    InsertedJob middle = ready(TYPE, 5);

    assertThat(ids(claim(10, T0, TYPE))).containsExactly(high.id(), middle.id(), low.id());
  }

  @Test
  void claimsTheOldestRunAtFirstWithinAPriority() {
    InsertedJob newer = insert(TestJobs.aJob().runAt(T0.minusSeconds(1)).build());
    InsertedJob older = insert(TestJobs.aJob().runAt(T0.minusSeconds(5)).build());

    assertThat(ids(claim(10, T0, TYPE))).containsExactly(older.id(), newer.id());
  }

  @Test
  void claimsTheLowestIdFirstWhenPriorityAndRunAtTie() {
    JobId small = TestJobs.nextId(T0);
    JobId large = TestJobs.nextId(T0);
    insertAll(TestJobs.aJob().id(large).build(), TestJobs.aJob().id(small).build());

    assertThat(ids(claim(10, T0, TYPE))).containsExactly(small, large);
  }

  @Test
  void claimsAtMostTheLimit() {
    for (int i = 0; i < 5; i++) {
      ready(TYPE, 0);
    }

    assertThat(claim(3, T0, TYPE)).hasSize(3);
    assertThat(claim(3, T0, TYPE)).hasSize(2);
    assertThat(claim(3, T0, TYPE)).isEmpty();
  }

  @Test
  void skipsJobsThatAreNotDue() {
    insert(TestJobs.aJob().state(ENQUEUED).runAt(T0.plusSeconds(10)).build());
    insert(TestJobs.aJob().runAt(T0.plusSeconds(10)).build()); // SCHEDULED: needs promoting

    assertThat(claim(10, T0, TYPE)).isEmpty();
    assertThat(claim(10, T0.plusSeconds(10), TYPE)).hasSize(1);
  }

  @Test
  void skipsOtherQueues() {
    insert(TestJobs.aJob().queue("other").build());

    assertThat(claim(10, T0, TYPE)).isEmpty();
    assertThat(Claim.run(store, claimRequest("other", 10, T0, TYPE)).jobs()).hasSize(1);
  }

  @Test
  void skipsTypesTheNodeCannotRun() {
    ready("unknown.type", 9);
    InsertedJob known = ready(TYPE, 0);

    assertThat(ids(claim(10, T0, TYPE, "another.type"))).containsExactly(known.id());
  }

  @Test
  void claimsNothingForANodeWithoutTypes() {
    ready(TYPE, 0);

    assertThat(Claim.run(store, claimRequest(QUEUE, 10, T0)).jobs()).isEmpty();
  }

  @Test
  void skipsTypesWithNoRoom() {
    ready("full.type", 9);
    InsertedJob free = ready(TYPE, 0);

    var request =
        new JobClaim(QUEUE, 10, NODE, T0, LEASE, Set.of(TYPE, "full.type"), Map.of("full.type", 0));

    assertThat(ids(Claim.run(store, request).jobs())).containsExactly(free.id());
  }

  @Test
  void trimsTypesToTheirRoom() {
    InsertedJob a1 = ready("limited", 9);
    InsertedJob a2 = ready("limited", 8);
    InsertedJob b1 = ready(TYPE, 7);
    InsertedJob a3 = ready("limited", 6);
    InsertedJob b2 = ready(TYPE, 5);

    var request =
        new JobClaim(
            QUEUE, 10, NODE, T0, LEASE, Set.of(TYPE, "limited"), Map.of("limited", 2, TYPE, 5));

    assertThat(ids(Claim.run(store, request).jobs()))
        .containsExactly(a1.id(), a2.id(), b1.id(), b2.id());
    assertThat(get(a3.id()).state()).isEqualTo(ENQUEUED);
  }

  @Test
  void fillsTheLimitPastJobsOfATrimmedType() {
    var limited = new ArrayList<InsertedJob>();
    for (int i = 0; i < 5; i++) {
      limited.add(ready("limited", 9));
    }
    InsertedJob b1 = ready(TYPE, 1);
    InsertedJob b2 = ready(TYPE, 1);
    ready(TYPE, 1);

    var request =
        new JobClaim(QUEUE, 3, NODE, T0, LEASE, Set.of(TYPE, "limited"), Map.of("limited", 1));

    assertThat(ids(Claim.run(store, request).jobs()))
        .containsExactly(limited.getFirst().id(), b1.id(), b2.id());
  }

  @Test
  void startsAnAttemptUnderANewLease() {
    InsertedJob inserted = ready(TYPE, 0);
    Job before = get(inserted.id());
    assertThat(before.startedAt()).isNull();

    Job claimed = claim(1, T0.plusSeconds(1), TYPE).getFirst();

    assertThat(claimed.state()).isEqualTo(RUNNING);
    assertThat(claimed.startedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(claimed.attempt()).isEqualTo(1);
    assertThat(claimed.leaseOwner()).isEqualTo(NODE);
    assertThat(claimed.leaseEpoch()).isEqualTo(before.leaseEpoch() + 1);
    assertThat(claimed.leaseExpiresAt()).isEqualTo(T0.plusSeconds(1).plus(LEASE));
    assertThat(claimed.updatedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(claimed.version()).isEqualTo(before.version() + 1);
    assertThat(get(inserted.id())).isEqualTo(claimed);
  }

  @Test
  void aSecondClaimAddsAnAttemptAndANewEpoch() {
    Job first = running();
    rescueExpired(OTHER_NODE, T0.plus(LEASE).plusSeconds(1), 10);

    Job second = claimOne(OTHER_NODE, T0.plusSeconds(60));

    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.startedAt()).as("the latest attempt's start").isEqualTo(T0.plusSeconds(60));
    assertThat(second.leaseEpoch()).isEqualTo(first.leaseEpoch() + 1);
    assertThat(second.leaseOwner()).isEqualTo(OTHER_NODE);
  }

  @Test
  void appendsARunningEvent() {
    InsertedJob inserted = ready(TYPE, 0);

    claim(1, T0.plusSeconds(2), TYPE);

    List<JobEvent> events = store.read(StoreOp.READ, tx -> tx.query(new JobEvents(inserted.id())));
    assertThat(events).hasSize(2);
    assertEvent(events.get(1), inserted.id(), T0.plusSeconds(2), ENQUEUED, RUNNING, NODE, 1);
  }

  @Test
  void claimsEachJobOnce() {
    ready(TYPE, 0);

    assertThat(claim(10, T0, TYPE)).hasSize(1);
    assertThat(claim(10, T0, TYPE)).isEmpty();
  }

  @Test
  void concurrentClaimersNeverShareAJob() throws Exception {
    int total = 60;
    var batch = new ArrayList<NewJob>();
    for (int i = 0; i < total; i++) {
      batch.add(TestJobs.aJob().build());
    }
    ReadyWrites.insert(store, batch, NODE);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      var start = new CountDownLatch(1);
      var claimed = new ConcurrentLinkedQueue<JobId>();
      var futures = new ArrayList<Future<?>>();
      for (int t = 0; t < 4; t++) {
        String node = "node-" + t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Job> got;
                  do {
                    got =
                        Claim.run(
                                store,
                                new JobClaim(QUEUE, 7, node, T0, LEASE, Set.of(TYPE), Map.of()))
                            .jobs();
                    got.forEach(j -> claimed.add(j.id()));
                  } while (!got.isEmpty());
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }

      assertThat(claimed).hasSize(total);
      assertThat(new HashSet<>(claimed)).hasSize(total);
      assertThat(
              store.read(
                  StoreOp.READ, (StoreTx tx) -> tx.jobList(JobQuery.all(100).withState(ENQUEUED))))
          .isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void usesTheLeaseTtlOfTheRequest() {
    ready(TYPE, 0);

    Job claimed =
        Claim.run(
                store,
                new JobClaim(QUEUE, 1, NODE, T0, Duration.ofMinutes(7), Set.of(TYPE), Map.of()))
            .jobs()
            .getFirst();

    assertThat(claimed.leaseExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
  }
}
