package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.dispatch.Claim;
import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.job.Job;
import io.taskmill.job.JobQuery;
import io.taskmill.job.Outcome;
import io.taskmill.job.RateLimit;
import io.taskmill.spi.ClaimedJobs;
import io.taskmill.spi.ClusterLimit;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * {@code jobClaim} with {@linkplain JobClaim#clusterLimits() cluster-wide limits}: running jobs and
 * starts per aligned window are counted across every node sharing the store, and concurrent claims
 * never count the same room twice.
 */
public abstract class ClusterLimitContract extends StoreContractSupport {
  private static final String LIMITED = "test.limited";
  private static final Duration SECOND = Duration.ofSeconds(1);

  private static ClusterLimit maxRunning(int n) {
    return new ClusterLimit(n, null);
  }

  private static ClusterLimit rate(int starts, Duration per) {
    return new ClusterLimit(null, new RateLimit(starts, per));
  }

  private void readyJobs(String type, int n) {
    readyJobs(type, QUEUE, n, 0);
  }

  private void readyJobs(String type, String queue, int n, int priority) {
    var batch = new ArrayList<NewJob>();
    for (int i = 0; i < n; i++) {
      batch.add(TestJobs.aJob().type(type).queue(queue).priority(priority).build());
    }
    ReadyWrites.insert(store, batch, NODE);
  }

  private ClaimedJobs claimLimited(String node, int limit, Instant now, ClusterLimit limit1) {
    return Claim.run(
        store,
        new JobClaim(
            QUEUE,
            limit,
            node,
            now,
            LEASE,
            Set.of(LIMITED, TYPE),
            Map.of(),
            Map.of(LIMITED, limit1)));
  }

  private static long count(ClaimedJobs claimed, String type) {
    return claimed.jobs().stream().filter(j -> j.type().equals(type)).count();
  }

  @Test
  void concurrencyLimitCountsJobsRunningOnEveryNode() {
    readyJobs(LIMITED, 5);

    assertThat(claimLimited(OTHER_NODE, 10, T0, maxRunning(2)).jobs()).hasSize(2);
    assertThat(claimLimited(NODE, 10, T0, maxRunning(2)).jobs()).isEmpty();
    assertThat(claimLimited(NODE, 10, T0, maxRunning(3)).jobs())
        .as("the limit the claiming node passes is the one enforced")
        .hasSize(1);
  }

  @Test
  void aFinishedJobFreesItsSlot() {
    readyJobs(LIMITED, 3);
    List<Job> first = claimLimited(OTHER_NODE, 10, T0, maxRunning(2)).jobs();

    assertThat(complete(first.getFirst(), new Outcome.Succeeded(null), T0.plusSeconds(1))).isTrue();

    List<Job> next = claimLimited(NODE, 10, T0.plusSeconds(1), maxRunning(2)).jobs();
    assertThat(next).hasSize(1);
    assertThat(next.getFirst().state()).isEqualTo(RUNNING);
  }

  @Test
  void concurrencyLimitCountsRunningJobsOfEveryQueue() {
    readyJobs(LIMITED, "other", 2, 0);
    readyJobs(LIMITED, 2);
    Claim.run(
        store,
        new JobClaim(
            "other",
            10,
            OTHER_NODE,
            T0,
            LEASE,
            Set.of(LIMITED),
            Map.of(),
            Map.of(LIMITED, maxRunning(3))));

    assertThat(claimLimited(NODE, 10, T0, maxRunning(3)).jobs()).hasSize(1);
  }

  @Test
  void concurrencyLimitSetsNoRetryTime() {
    readyJobs(LIMITED, 3);

    ClaimedJobs claimed = claimLimited(NODE, 10, T0, maxRunning(2));

    assertThat(claimed.jobs()).hasSize(2);
    assertThat(claimed.retryAt())
        .as("a slot frees when a job finishes, not at a known time")
        .isNull();
  }

  @Test
  void rateLimitStartsAtMostItsStartsPerWindowAndSaysWhenTheNextOpens() {
    readyJobs(LIMITED, 10);

    ClaimedJobs first = claimLimited(NODE, 10, T0.plusMillis(200), rate(3, SECOND));
    ClaimedJobs again = claimLimited(OTHER_NODE, 10, T0.plusMillis(900), rate(3, SECOND));
    ClaimedJobs nextWindow = claimLimited(OTHER_NODE, 10, T0.plusMillis(1000), rate(3, SECOND));

    assertThat(first.jobs()).hasSize(3);
    assertThat(first.retryAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(again.jobs()).as("the window is used up, whichever node asks").isEmpty();
    assertThat(again.retryAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(nextWindow.jobs()).hasSize(3);
    assertThat(nextWindow.retryAt()).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void startsOfFinishedJobsStillCountInTheirWindow() {
    readyJobs(LIMITED, 5);
    for (Job j : claimLimited(NODE, 10, T0, rate(2, SECOND)).jobs()) {
      complete(j, new Outcome.Succeeded(null), T0.plusMillis(10));
    }

    assertThat(claimLimited(NODE, 10, T0.plusMillis(20), rate(2, SECOND)).jobs()).isEmpty();
  }

  @Test
  void windowsAreAlignedToTheEpochNotToTheFirstStart() {
    readyJobs(LIMITED, 10);
    Duration minute = Duration.ofMinutes(1);

    assertThat(claimLimited(NODE, 10, T0.plusSeconds(59), rate(2, minute)).jobs()).hasSize(2);
    assertThat(claimLimited(NODE, 10, T0.plusSeconds(60), rate(2, minute)).jobs()).hasSize(2);
    assertThat(claimLimited(NODE, 10, T0.plusSeconds(119), rate(2, minute)).jobs()).isEmpty();
  }

  @Test
  void aRateLimitWithRoomLeftSetsNoRetryTime() {
    readyJobs(LIMITED, 2);

    ClaimedJobs claimed = claimLimited(NODE, 10, T0, rate(5, SECOND));

    assertThat(claimed.jobs()).hasSize(2);
    assertThat(claimed.retryAt()).isNull();
  }

  @Test
  void theTighterOfBothLimitsApplies() {
    readyJobs(LIMITED, 10);
    var both = new ClusterLimit(4, new RateLimit(2, SECOND));

    assertThat(claimLimited(NODE, 10, T0, both).jobs()).hasSize(2);
    assertThat(claimLimited(NODE, 10, T0.plusSeconds(1), both).jobs()).hasSize(2);
    assertThat(claimLimited(NODE, 10, T0.plusSeconds(2), both).jobs())
        .as("four running: the concurrency limit holds")
        .isEmpty();
  }

  @Test
  void theTighterOfNodeRoomAndClusterRoomApplies() {
    readyJobs(LIMITED, 10);

    var nodeTighter =
        new JobClaim(
            QUEUE,
            10,
            NODE,
            T0,
            LEASE,
            Set.of(LIMITED),
            Map.of(LIMITED, 1),
            Map.of(LIMITED, maxRunning(5)));
    var clusterTighter =
        new JobClaim(
            QUEUE,
            10,
            NODE,
            T0,
            LEASE,
            Set.of(LIMITED),
            Map.of(LIMITED, 5),
            Map.of(LIMITED, maxRunning(3)));

    assertThat(Claim.run(store, nodeTighter).jobs()).hasSize(1);
    assertThat(Claim.run(store, clusterTighter).jobs()).hasSize(2);
  }

  @Test
  void unlimitedTypesFillTheClaimPastAFullLimitedType() {
    readyJobs(LIMITED, "default", 5, 9);
    readyJobs(TYPE, "default", 5, 1);

    ClaimedJobs claimed = claimLimited(NODE, 6, T0, rate(2, SECOND));

    assertThat(claimed.jobs()).hasSize(6);
    assertThat(count(claimed, LIMITED)).isEqualTo(2);
    assertThat(count(claimed, TYPE)).isEqualTo(4);
  }

  @Test
  void eachLimitedTypeInOneClaimKeepsItsOwnLimit() {
    readyJobs(LIMITED, "default", 5, 9);
    readyJobs("test.other", "default", 5, 5);
    readyJobs(TYPE, "default", 5, 1);
    Map<String, ClusterLimit> limits =
        Map.of(LIMITED, rate(2, SECOND), "test.other", maxRunning(3));
    var request =
        new JobClaim(
            QUEUE, 100, NODE, T0, LEASE, Set.of(LIMITED, "test.other", TYPE), Map.of(), limits);

    ClaimedJobs claimed = Claim.run(store, request);
    ClaimedJobs again = Claim.run(store, request);

    assertThat(count(claimed, LIMITED)).isEqualTo(2);
    assertThat(count(claimed, "test.other")).isEqualTo(3);
    assertThat(count(claimed, TYPE)).isEqualTo(5);
    assertThat(claimed.retryAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(again.jobs()).isEmpty();
  }

  @Test
  void limitsOfTypesTheClaimDoesNotTakeChangeNothing() {
    InsertedJob job = insert(TestJobs.aJob().type(TYPE).build());

    ClaimedJobs claimed =
        Claim.run(
            store,
            new JobClaim(
                QUEUE,
                10,
                NODE,
                T0,
                LEASE,
                Set.of(TYPE),
                Map.of(),
                Map.of(LIMITED, rate(1, SECOND))));

    assertThat(claimed.jobs()).extracting(Job::id).containsExactly(job.id());
    assertThat(claimed.retryAt()).isNull();
  }

  @Test
  void concurrentClaimersOnManyNodesNeverExceedEitherLimit() throws Exception {
    readyJobs(LIMITED, 60);
    var limit = new ClusterLimit(7, new RateLimit(5, SECOND));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      var start = new CountDownLatch(1);
      var claimed = new ConcurrentLinkedQueue<Job>();
      var futures = new ArrayList<Future<?>>();
      for (int t = 0; t < 4; t++) {
        String node = "node-" + t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  // Each claimer asks for the whole window, twice per window, over three windows.
                  for (int round = 0; round < 6; round++) {
                    Instant now = T0.plusMillis(500L * round);
                    claimed.addAll(claimLimited(node, 5, now, limit).jobs());
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }

      assertThat(claimed)
          .as("5 a window for three windows, and never more than 7 running")
          .hasSize(7);
      assertThat(
              store.read(
                  StoreOp.READ,
                  (StoreTx tx) ->
                      tx.jobList(JobQuery.all(100).withState(RUNNING).withType(LIMITED))))
          .hasSize(7);
      assertThat(
              store.read(
                  StoreOp.READ,
                  (StoreTx tx) ->
                      tx.jobList(JobQuery.all(100).withState(ENQUEUED).withType(LIMITED))))
          .hasSize(53);
    } finally {
      pool.shutdownNow();
    }
  }
}
