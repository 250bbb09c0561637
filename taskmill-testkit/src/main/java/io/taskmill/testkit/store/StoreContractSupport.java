package io.taskmill.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.internal.dispatch.Claim;
import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.internal.lease.Completion;
import io.taskmill.internal.lease.Rescue;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.job.Outcome;
import io.taskmill.node.Leadership;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.JobCompletion;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.NewJob;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract class shares: a fresh store per test, a fixed clock, and short ways to put a
 * job into the state a test starts from.
 */
public abstract class StoreContractSupport {
  protected static final Instant T0 = TestJobs.T0;
  protected static final String NODE = "node-a";
  protected static final String OTHER_NODE = "node-b";
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final String TYPE = "test.noop";
  protected static final String QUEUE = "default";

  /** The store under test, fresh and empty for every test. */
  protected Store store;

  /** A new, empty store; the suite closes it after each test. */
  protected abstract Store newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected InsertedJob insert(NewJob job) {
    return ReadyWrites.insert(store, List.of(job), NODE).getFirst();
  }

  protected List<InsertedJob> insertAll(NewJob... jobs) {
    return ReadyWrites.insert(store, List.of(jobs), NODE);
  }

  protected Job get(JobId id) {
    return store
        .read(StoreOp.READ, tx -> tx.first(new JobGetAll(List.of(id))))
        .orElseThrow(() -> new AssertionError("job " + id + " not found"));
  }

  protected JobEvent lastEvent(JobId id) {
    return store.read(StoreOp.READ, tx -> tx.query(new JobEvents(id))).getLast();
  }

  protected static JobClaim claimRequest(String queue, int limit, Instant now, String... types) {
    return new JobClaim(queue, limit, NODE, now, LEASE, Set.of(types), Map.of());
  }

  /** Claims up to {@code limit} jobs of {@code types} from {@link #QUEUE} for {@link #NODE}. */
  protected List<Job> claim(int limit, Instant now, String... types) {
    return Claim.run(store, claimRequest(QUEUE, limit, now, types)).jobs();
  }

  /** Claims one job of {@link #TYPE} for {@code node}; fails when none is ready. */
  protected Job claimOne(String node, Instant now) {
    List<Job> claimed =
        Claim.run(store, new JobClaim(QUEUE, 1, node, now, LEASE, Set.of(TYPE), Map.of())).jobs();
    assertThat(claimed).as("a ready job to claim").hasSize(1);
    return claimed.getFirst();
  }

  /** Inserts a due job of {@link #TYPE} in {@link #QUEUE} and claims it for {@link #NODE}. */
  protected Job running(TestJobs.Builder job) {
    insert(job.type(TYPE).queue(QUEUE).runAt(T0).createdAt(T0).build());
    return claimOne(NODE, T0);
  }

  protected Job running() {
    return running(TestJobs.aJob());
  }

  protected static JobCompletion completion(Job running, Outcome outcome, Instant at) {
    return new JobCompletion(
        running.id(),
        running.leaseEpoch(),
        running.attempt(),
        outcome,
        running.leaseOwner(),
        at,
        List.of(),
        100);
  }

  protected boolean complete(Job running, Outcome outcome, Instant at) {
    return Completion.apply(store, List.of(completion(running, outcome, at))).getFirst();
  }

  /** Makes {@code node} the leader at {@code now}; fails if another node's term is still live. */
  protected LeaderTerm lead(String node, Instant now) {
    Leadership l = store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(node, now, LEASE));
    assertThat(l.node()).as("leader after %s tried to lead", node).isEqualTo(node);
    return new LeaderTerm(l.node(), l.term());
  }

  /** Rescues expired leases as {@code node}, which leads for the call. */
  protected List<Job> rescueExpired(String node, Instant now, int limit) {
    return Rescue.expired(store, lead(node, now), now, limit);
  }

  protected static List<JobId> ids(List<Job> jobs) {
    return jobs.stream().map(Job::id).toList();
  }

  protected static List<JobId> ids(InsertedJob... jobs) {
    return Arrays.stream(jobs).map(InsertedJob::id).toList();
  }

  /** Asserts one event's transition, node and attempt. */
  protected static void assertEvent(
      JobEvent event, JobId id, Instant at, JobState from, JobState to, String node, int attempt) {
    assertThat(event.jobId()).as("event job").isEqualTo(id);
    assertThat(event.at()).as("event time").isEqualTo(at);
    assertThat(event.from()).as("event from").isEqualTo(from);
    assertThat(event.to()).as("event to").isEqualTo(to);
    assertThat(event.node()).as("event node").isEqualTo(node);
    assertThat(event.attempt()).as("event attempt").isEqualTo(attempt);
  }
}
