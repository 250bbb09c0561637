package io.taskmill.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmill.Taskmill;
import io.taskmill.engine.Payloads.Step;
import io.taskmill.internal.dispatch.Claim;
import io.taskmill.internal.lease.Renewals;
import io.taskmill.jdbc.JdbcStoreProvider;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobOptions;
import io.taskmill.job.JobState;
import io.taskmill.node.Node;
import io.taskmill.node.NodeState;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.LeaseRef;
import io.taskmill.spi.Ops.JobGetAll;
import io.taskmill.spi.Ops.NodeList;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.ManualEngine;
import io.taskmill.testkit.fault.FaultInjectingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * After a database outage every node's heartbeat and leases look stale at once: the leader must
 * give live nodes time to beat and renew before it declares any dead or takes back their jobs, or
 * every job running through the outage would run twice (R4/R5, docs/testing.md).
 */
class OutageGraceTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String TYPE = "test.step";

  private final FaultInjectingStore store =
      FaultInjectingStore.around(
              new JdbcStoreProvider()
                  .open(new StoreSettings(null, "grace-" + UUID.randomUUID(), null, null, null, 4)))
          .build();

  private ManualEngine start() {
    return ManualEngine.start(
        Taskmill.builder()
            .store(store)
            .nodeId("leader")
            .leaseDuration(LEASE)
            .queue("q1", q -> {})
            .queue("q2", q -> {})
            .handler(TYPE, Step.class, (p, ctx) -> {}));
  }

  @Test
  void afterAnOutageTheLeaderJudgesOtherNodesOnlyOnceTheyHadTimeToBeat() {
    try (var engine = start();
        store) {
      Instant t0 = engine.clock().instant();
      assertThat(engine.heartbeat()).isTrue();
      JobId livesId = engine.enqueue(TYPE, new Step("lives"), JobOptions.defaults().queue("q1"));
      JobId diedId = engine.enqueue(TYPE, new Step("died"), JobOptions.defaults().queue("q2"));
      Job lives = claim("alive-peer", "q1", t0);
      claim("dead-peer", "q2", t0);
      beat("alive-peer", t0);
      beat("dead-peer", t0);

      store.outage(true);
      engine.tick(LEASE.plusSeconds(10));
      assertThat(engine.heartbeat()).isFalse();
      store.outage(false);
      assertThat(engine.heartbeat()).isTrue();

      // Both peers look silent for longer than a lease, and both leases expired.
      assertThat(engine.runRescuer()).isZero();
      assertThat(states())
          .containsEntry("alive-peer", NodeState.ALIVE)
          .containsEntry("dead-peer", NodeState.ALIVE);

      // The live peer beats and renews within the grace; the dead one does not.
      Instant back = engine.clock().instant();
      beat("alive-peer", back);
      var renewal =
          store.keepAlive(
              StoreOp.RENEW,
              tx ->
                  Renewals.leases(
                      tx,
                      "alive-peer",
                      List.of(new LeaseRef(lives.id(), lives.leaseEpoch())),
                      back.plus(LEASE)));
      assertThat(renewal.held()).containsExactly(livesId);

      engine.tick(LEASE.minusSeconds(1));
      assertThat(engine.runRescuer()).isZero();
      engine.tick(Duration.ofSeconds(1));
      assertThat(engine.heartbeat()).isTrue();
      beat("alive-peer", engine.clock().instant());

      assertThat(engine.runRescuer()).isEqualTo(1);
      assertThat(states())
          .containsEntry("alive-peer", NodeState.ALIVE)
          .containsEntry("dead-peer", NodeState.DEAD);
      assertThat(
              store
                  .read(StoreOp.READ, tx -> tx.first(new JobGetAll(List.of(diedId))))
                  .orElseThrow()
                  .state())
          .isEqualTo(JobState.ENQUEUED);
      assertThat(
              store
                  .read(StoreOp.READ, tx -> tx.first(new JobGetAll(List.of(livesId))))
                  .orElseThrow()
                  .state())
          .isEqualTo(JobState.RUNNING);
    }
  }

  @Test
  void withoutAnOutageASilentNodeIsDeclaredDeadAtOnce() {
    try (var engine = start();
        store) {
      Instant t0 = engine.clock().instant();
      assertThat(engine.heartbeat()).isTrue();
      engine.enqueue(TYPE, new Step("died"), JobOptions.defaults().queue("q2"));
      claim("dead-peer", "q2", t0);
      beat("dead-peer", t0);

      engine.tick(LEASE.plusSeconds(1));
      assertThat(engine.heartbeat()).isTrue();

      assertThat(engine.runRescuer()).isEqualTo(1);
      assertThat(states()).containsEntry("dead-peer", NodeState.DEAD);
    }
  }

  private Job claim(String node, String queue, Instant now) {
    List<Job> jobs =
        Claim.run(store, new JobClaim(queue, 1, node, now, LEASE, Set.of(TYPE), Map.of())).jobs();
    assertThat(jobs).hasSize(1);
    return jobs.get(0);
  }

  private void beat(String node, Instant at) {
    store.keepAlive(
        StoreOp.HEARTBEAT,
        tx ->
            tx.nodeHeartbeat(
                new Node(
                    node,
                    "host",
                    1,
                    "test",
                    Map.of("q1", 1),
                    Set.of(TYPE),
                    1,
                    at,
                    at,
                    1,
                    0,
                    0,
                    0,
                    NodeState.ALIVE)));
  }

  private Map<String, NodeState> states() {
    return store.read(StoreOp.NODE, tx -> tx.query(new NodeList())).stream()
        .collect(Collectors.toMap(Node::id, Node::state));
  }
}
