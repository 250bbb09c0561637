package io.taskmill.testkit.store;

import static io.taskmill.job.JobState.ENQUEUED;
import static io.taskmill.job.JobState.RUNNING;
import static io.taskmill.job.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmill.internal.leader.NodeDeaths;
import io.taskmill.internal.leader.Retention;
import io.taskmill.internal.lease.Rescue;
import io.taskmill.job.Job;
import io.taskmill.job.Outcome;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.node.NodeState;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.Ops.JobEvents;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Ops.LeaderGet;
import io.taskmill.spi.Ops.LeaderResign;
import io.taskmill.spi.Ops.NodeLeave;
import io.taskmill.spi.Ops.NodeList;
import io.taskmill.spi.Retained;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every store does for a cluster: node rows and heartbeats, declaring silent nodes dead,
 * leadership under a growing term, and fencing every leader-only write by that term.
 */
public abstract class ClusterContract extends StoreContractSupport {
  private static final Duration TTL = Duration.ofSeconds(15);

  private static Node node(String id, Instant heartbeatAt) {
    return new Node(
        id,
        "host-" + id,
        4242,
        "1.2.3",
        Map.of("default", 16, "media", 4),
        Set.of("test.noop", "media.resize"),
        20,
        T0,
        heartbeatAt,
        3,
        0.25,
        1_000_000,
        8_000_000,
        NodeState.ALIVE);
  }

  @Test
  void storeTimeIsTheDatabasesClockNow() {
    Instant before = Instant.now();
    Instant t = store.storeTime();
    Instant after = Instant.now();
    // The database runs on this machine, so its clock agrees with ours within a margin.
    assertThat(t).isBetween(before.minusSeconds(5), after.plusSeconds(5));
  }

  @Test
  void aHeartbeatRegistersTheNodeAndLaterOnesUpdateIt() {
    assertThat(store.keepAlive(StoreOp.HEARTBEAT, (StoreTx tx) -> tx.nodeHeartbeat(node(NODE, T0))))
        .isTrue();
    Node later = node(NODE, T0).beat(T0.plusSeconds(5), 7, 0.5, 2_000_000, 8_000_000);

    assertThat(store.keepAlive(StoreOp.HEARTBEAT, (StoreTx tx) -> tx.nodeHeartbeat(later)))
        .isTrue();

    assertThat(store.read(StoreOp.NODE, (StoreTx tx) -> tx.query(new NodeList())))
        .containsExactly(later);
  }

  @Test
  void theLeaderDeclaresSilentNodesDeadAndTheirJobsAreRescuedAtOnce() {
    store.keepAlive(StoreOp.HEARTBEAT, tx -> tx.nodeHeartbeat(node(NODE, T0)));
    store.keepAlive(
        StoreOp.HEARTBEAT, tx -> tx.nodeHeartbeat(node(OTHER_NODE, T0.plusSeconds(20))));
    Job running = running(); // leased by NODE until T0 + LEASE
    Instant now = T0.plusSeconds(20);
    LeaderTerm leader = lead(OTHER_NODE, now);

    List<String> dead = NodeDeaths.declare(store, leader, now, now.minus(TTL));

    assertThat(dead).containsExactly(NODE);
    assertThat(store.read(StoreOp.NODE, (StoreTx tx) -> tx.query(new NodeList())))
        .extracting(Node::id, Node::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(NODE, NodeState.DEAD),
            org.assertj.core.groups.Tuple.tuple(OTHER_NODE, NodeState.ALIVE));
    // The lease would run to T0 + 30 s, but a dead node's leases end with it.
    List<Job> rescued = Rescue.expired(store, leader, now.plusMillis(1), 10);
    assertThat(rescued).extracting(Job::id).containsExactly(running.id());
    assertThat(get(running.id()).state()).isEqualTo(ENQUEUED);
    assertThat(lastEvent(running.id()).message())
        .isEqualTo("rescued from node node-a: the node was declared dead (missed its heartbeats)");
  }

  @Test
  void aNodeDeclaredDeadLearnsItFromItsNextHeartbeatAndComesBack() {
    store.keepAlive(StoreOp.HEARTBEAT, tx -> tx.nodeHeartbeat(node(NODE, T0)));
    Instant now = T0.plusSeconds(20);
    NodeDeaths.declare(store, lead(OTHER_NODE, now), now, now.minus(TTL));

    assertThat(
            store.keepAlive(
                StoreOp.HEARTBEAT,
                (StoreTx tx) -> tx.nodeHeartbeat(node(NODE, now.plusSeconds(1)))))
        .isFalse();
    assertThat(store.read(StoreOp.NODE, (StoreTx tx) -> tx.query(new NodeList())))
        .extracting(Node::state)
        .containsExactly(NodeState.ALIVE);
    assertThat(
            store.keepAlive(
                StoreOp.HEARTBEAT,
                (StoreTx tx) -> tx.nodeHeartbeat(node(NODE, now.plusSeconds(2)))))
        .isTrue();
  }

  @Test
  void aNodeThatLeftIsNotDeclaredDeadAndIsPrunedLater() {
    store.keepAlive(StoreOp.HEARTBEAT, tx -> tx.nodeHeartbeat(node(NODE, T0)));
    store.inTransaction(
        StoreOp.NODE,
        tx -> {
          tx.change(new NodeLeave(NODE, T0.plusSeconds(1)));
          return null;
        });
    Instant now = T0.plusSeconds(60);
    LeaderTerm leader = lead(OTHER_NODE, now);

    assertThat(NodeDeaths.declare(store, leader, now, now.minus(TTL))).isEmpty();
    assertThat(store.read(StoreOp.NODE, (StoreTx tx) -> tx.query(new NodeList())))
        .extracting(Node::state)
        .containsExactly(NodeState.LEFT);
    assertThat(Retention.rows(store, leader, now, Retained.NODES, T0, Integer.MAX_VALUE)).isZero();
    assertThat(Retention.rows(store, leader, now, Retained.NODES, now, Integer.MAX_VALUE))
        .isEqualTo(1);
    assertThat(store.read(StoreOp.NODE, (StoreTx tx) -> tx.query(new NodeList()))).isEmpty();
  }

  @Test
  void theFirstNodeToTryLeadsUnderTermOneAndRenewsItsTerm() {
    assertThat(store.read(StoreOp.LEADER, (StoreTx tx) -> tx.first(new LeaderGet()))).isEmpty();

    Leadership first = store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(NODE, T0, TTL));
    Leadership renewed =
        store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(NODE, T0.plusSeconds(5), TTL));
    Leadership other =
        store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(OTHER_NODE, T0.plusSeconds(6), TTL));

    assertThat(first).isEqualTo(new Leadership(NODE, 1, T0.plus(TTL)));
    assertThat(renewed).isEqualTo(new Leadership(NODE, 1, T0.plusSeconds(5).plus(TTL)));
    assertThat(other).isEqualTo(renewed);
    assertThat(store.read(StoreOp.LEADER, (StoreTx tx) -> tx.first(new LeaderGet())))
        .contains(renewed);
  }

  @Test
  void aLapsedLeadershipGoesToTheNextNodeUnderTheNextTerm() {
    store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(NODE, T0, TTL));
    Instant lapsed = T0.plus(TTL).plusMillis(1);

    Leadership taken = store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(OTHER_NODE, lapsed, TTL));
    Leadership formerTries =
        store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(NODE, lapsed.plusSeconds(1), TTL));

    assertThat(taken).isEqualTo(new Leadership(OTHER_NODE, 2, lapsed.plus(TTL)));
    assertThat(formerTries).isEqualTo(taken);
  }

  @Test
  void aLeaderWhoseOwnTermLapsedGetsANewTermWhenItLeadsAgain() {
    store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(NODE, T0, TTL));

    Leadership again =
        store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(NODE, T0.plus(TTL).plusSeconds(1), TTL));

    assertThat(again.term()).isEqualTo(2);
  }

  @Test
  void resigningHandsLeadershipOnAtOnce() {
    Leadership l = store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(NODE, T0, TTL));

    store.inTransaction(
        StoreOp.LEADER,
        tx -> {
          tx.change(new LeaderResign(new LeaderTerm(NODE, l.term())));
          return null;
        });
    Leadership next =
        store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(OTHER_NODE, T0.plusSeconds(2), TTL));

    assertThat(next).isEqualTo(new Leadership(OTHER_NODE, 2, T0.plusSeconds(2).plus(TTL)));
  }

  @Test
  void aFormerLeaderCannotResignForItsSuccessor() {
    store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(NODE, T0, TTL));
    Instant lapsed = T0.plus(TTL).plusSeconds(1);
    Leadership successor =
        store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(OTHER_NODE, lapsed, TTL));

    store.inTransaction(
        StoreOp.LEADER,
        tx -> {
          tx.change(new LeaderResign(new LeaderTerm(NODE, 1)));
          return null;
        });

    assertThat(store.read(StoreOp.LEADER, (StoreTx tx) -> tx.first(new LeaderGet())))
        .contains(successor);
  }

  @Test
  void concurrentNodesTryingToLeadElectExactlyOne() throws Exception {
    int nodes = 12;
    var pool = Executors.newFixedThreadPool(nodes);
    var start = new CountDownLatch(1);
    try {
      var results = new ArrayList<Future<Leadership>>();
      for (int i = 0; i < nodes; i++) {
        String id = "node-" + i;
        Callable<Leadership> task =
            () -> {
              start.await();
              return store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(id, T0, TTL));
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      var seen = new ArrayList<Leadership>();
      for (var f : results) {
        seen.add(f.get());
      }
      assertThat(seen).allSatisfy(l -> assertThat(l).isEqualTo(seen.getFirst()));
      assertThat(seen.getFirst().term()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStaleTermChangesNothing() {
    store.keepAlive(StoreOp.HEARTBEAT, tx -> tx.nodeHeartbeat(node(NODE, T0)));
    Job running = running();
    Instant later = T0.plus(LEASE).plusSeconds(1);
    store.keepAlive(StoreOp.LEADER, tx -> tx.leaderTry(OTHER_NODE, T0, TTL));
    LeaderTerm current = lead("node-c", later);
    LeaderTerm stale = new LeaderTerm(OTHER_NODE, current.term() - 1);
    Job done = finishedJob(T0);

    assertThat(Rescue.expired(store, stale, later, 10)).isEmpty();
    assertThat(NodeDeaths.declare(store, stale, later, later)).isEmpty();
    assertThat(Retention.jobs(store, stale, later, SUCCEEDED, later, 10)).isZero();
    assertThat(Retention.rows(store, stale, later, Retained.NODES, later, Integer.MAX_VALUE))
        .isZero();

    assertThat(get(running.id()).state()).isEqualTo(RUNNING);
    assertThat(
            store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(done.id())))))
        .isPresent();
    assertThat(store.read(StoreOp.NODE, (StoreTx tx) -> tx.query(new NodeList())))
        .extracting(Node::state)
        .containsExactly(NodeState.ALIVE);
  }

  @Test
  void aLapsedTermChangesNothingEvenIfNobodyTookOver() {
    Job running = running();
    LeaderTerm leader = lead(OTHER_NODE, T0);
    Instant afterLapse = T0.plus(TTL).plus(LEASE);

    assertThat(Rescue.expired(store, leader, afterLapse, 10)).isEmpty();
    assertThat(get(running.id()).state()).isEqualTo(RUNNING);
  }

  @Test
  void pruningDeletesFinishedJobsOlderThanTheCutoffInBoundedBatches() {
    Job old1 = finishedJob(T0);
    Job old2 = finishedJob(T0.plusSeconds(1));
    Job old3 = finishedJob(T0.plusSeconds(2));
    Job recent = finishedJob(T0.plusSeconds(100));
    var waiting = insert(TestJobs.aJob().type(TYPE).queue(QUEUE).runAt(T0).createdAt(T0).build());
    Instant now = T0.plusSeconds(200);
    LeaderTerm leader = lead(NODE, now);
    Instant cutoff = T0.plusSeconds(50);

    assertThat(Retention.jobs(store, leader, now, SUCCEEDED, cutoff, 2)).isEqualTo(2);
    assertThat(Retention.jobs(store, leader, now, SUCCEEDED, cutoff, 2)).isEqualTo(1);
    assertThat(Retention.jobs(store, leader, now, SUCCEEDED, cutoff, 2)).isZero();

    for (Job j : List.of(old1, old2, old3)) {
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(j.id())))))
          .isEmpty();
      assertThat(store.read(StoreOp.READ, (StoreTx tx) -> tx.query(new JobEvents(j.id()))))
          .isEmpty();
    }
    assertThat(
            store.read(StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(recent.id())))))
        .isPresent();
    assertThat(get(waiting.id()).state()).isEqualTo(ENQUEUED);
  }

  @Test
  void pruningJudgesByWhenAJobFinishedNotWhenItWasDue() {
    Job dueLongAgo = finishedJob(T0, T0.plusSeconds(100));
    Instant now = T0.plusSeconds(200);
    LeaderTerm leader = lead(NODE, now);

    assertThat(Retention.jobs(store, leader, now, SUCCEEDED, T0.plusSeconds(50), 10)).isZero();
    assertThat(
            store.read(
                StoreOp.READ, (StoreTx tx) -> tx.first(new JobGetAll(List.of(dueLongAgo.id())))))
        .isPresent();
    assertThat(Retention.jobs(store, leader, now, SUCCEEDED, T0.plusSeconds(101), 10)).isEqualTo(1);
  }

  @Test
  void pruningRefusesStatesThatAreNotFinished() {
    LeaderTerm leader = lead(NODE, T0);

    assertThatThrownBy(() -> Retention.jobs(store, leader, T0, RUNNING, T0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RUNNING");
  }

  /** A job of {@link #TYPE} that succeeded at {@code at}. */
  private Job finishedJob(Instant at) {
    return finishedJob(at, at);
  }

  /** A job of {@link #TYPE} due at {@code runAt} that succeeded at {@code finishedAt}. */
  private Job finishedJob(Instant runAt, Instant finishedAt) {
    insert(TestJobs.aJob().type(TYPE).queue(QUEUE).runAt(runAt).createdAt(runAt).build());
    Job running = claimOne(NODE, runAt);
    assertThat(complete(running, new Outcome.Succeeded(null), finishedAt)).isTrue();
    return get(running.id());
  }
}
