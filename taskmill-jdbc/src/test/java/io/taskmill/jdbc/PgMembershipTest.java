package io.taskmill.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.Taskmill;
import io.taskmill.internal.dispatch.Claim;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.node.NodeState;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.store.TestJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nodes on one PostgreSQL schema register and heart-beat, elect exactly one leader, hand leadership
 * on when the leader leaves, and take back the jobs of a node that falls silent.
 */
@ExtendWith(PgSessionTimeZone.class)
class PgMembershipTest {
  record Work(int n) {}

  private String schema;
  private final List<Taskmill> engines = new ArrayList<>();

  @BeforeEach
  void createSchema() {
    schema = PgStores.newSchema();
  }

  @AfterEach
  void dropSchema() {
    engines.forEach(Taskmill::close);
    PgStores.dropSchema(schema);
  }

  private Taskmill node(String name, Duration lease) {
    Taskmill tm =
        Taskmill.builder()
            .jdbcUrl(PgStores.url(schema), PgStores.USER, PgStores.PASSWORD)
            .nodeId(name)
            .leaseDuration(lease)
            .rescueInterval(Duration.ofMillis(200))
            .queue("default", q -> q.concurrency(4))
            .handler("test.work", Work.class, (p, ctx) -> {})
            .start();
    engines.add(tm);
    return tm;
  }

  private Store openStore() {
    return new JdbcStoreProvider()
        .open(
            new StoreSettings(
                null, null, PgStores.url(schema), PgStores.USER, PgStores.PASSWORD, 2));
  }

  @Test
  void everyNodeRegistersWithItsFiguresAndExactlyOneLeads() {
    Taskmill a = node("node-a", Duration.ofSeconds(15));
    Taskmill b = node("node-b", Duration.ofSeconds(15));
    Taskmill c = node("node-c", Duration.ofSeconds(15));

    await().atMost(Duration.ofSeconds(10)).until(() -> a.cluster().nodes().size() == 3);
    List<Node> nodes = a.cluster().nodes();
    assertThat(nodes).extracting(Node::id).containsExactly("node-a", "node-b", "node-c");
    assertThat(nodes)
        .allSatisfy(
            n -> {
              assertThat(n.state()).isEqualTo(NodeState.ALIVE);
              assertThat(n.queues()).isEqualTo(Map.of("default", 4));
              assertThat(n.types()).isEqualTo(Set.of("test.work"));
              assertThat(n.concurrency()).isEqualTo(4);
              assertThat(n.pid()).isEqualTo(ProcessHandle.current().pid());
              assertThat(n.version()).isNotBlank();
              assertThat(n.heapMax()).isNotZero();
              assertThat(n.heartbeatAt()).isAfterOrEqualTo(n.startedAt());
            });
    // Every node tried to lead at start, so leadership is settled by now.
    long leaders = List.of(a, b, c).stream().filter(t -> t.cluster().isLeader()).count();
    assertThat(leaders).isEqualTo(1);
    Leadership l = a.cluster().leader().orElseThrow();
    assertThat(
            List.of(a, b, c).stream()
                .filter(t -> t.cluster().isLeader())
                .findFirst()
                .orElseThrow()
                .nodeId())
        .isEqualTo(l.node());
  }

  @Test
  void aLeaderThatClosesHandsLeadershipOnWithoutWaitingForItsTermToLapse() {
    // Terms last 30 s and followers try to lead every 10 s: a successor well inside 30 s can only
    // come from the leader resigning.
    Taskmill a = node("node-a", Duration.ofSeconds(30));
    Taskmill b = node("node-b", Duration.ofSeconds(30));
    Taskmill leader = a.cluster().isLeader() ? a : b;
    Taskmill follower = leader == a ? b : a;
    long term = leader.cluster().leader().orElseThrow().term();

    leader.close();
    engines.remove(leader);

    await().atMost(Duration.ofSeconds(20)).until(() -> follower.cluster().isLeader());
    Leadership next = follower.cluster().leader().orElseThrow();
    assertThat(next.node()).isEqualTo(follower.nodeId());
    assertThat(next.term()).isEqualTo(term + 1);
    assertThat(follower.cluster().nodes())
        .filteredOn(n -> n.id().equals(leader.nodeId()))
        .extracting(Node::state)
        .containsExactly(NodeState.LEFT);
  }

  @Test
  void theLeaderTakesBackTheJobsOfANodeThatFellSilent() {
    Duration lease = Duration.ofSeconds(2);
    Taskmill live = node("node-live", lease);
    JobId id;
    Instant lastBeat;
    try (Store ghost = openStore()) {
      // The ghost registers, claims a job with an hour-long lease, and is never heard of again.
      lastBeat = ghost.storeTime();
      ghost.keepAlive(
          StoreOp.HEARTBEAT,
          tx ->
              tx.nodeHeartbeat(
                  new Node(
                      "node-ghost",
                      "h",
                      1,
                      "v",
                      Map.of("default", 1),
                      Set.of("test.work"),
                      1,
                      lastBeat,
                      lastBeat,
                      0,
                      -1,
                      0,
                      -1,
                      NodeState.ALIVE)));
      id =
          TestJobs.aJob()
              .type("test.work")
              .queue("ghost-only")
              .payload("{\"n\":1}")
              .runAt(lastBeat)
              .createdAt(lastBeat)
              .insert(ghost)
              .id();
      List<Job> claimed =
          Claim.run(
                  ghost,
                  new JobClaim(
                      "ghost-only",
                      1,
                      "node-ghost",
                      lastBeat,
                      Duration.ofHours(1),
                      Set.of("test.work"),
                      Map.of()))
              .jobs();
      assertThat(claimed).hasSize(1);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> live.jobs().get(id).orElseThrow().state() == JobState.ENQUEUED);

    assertThat(live.cluster().nodes())
        .filteredOn(n -> n.id().equals("node-ghost"))
        .extracting(Node::state)
        .containsExactly(NodeState.DEAD);
    JobEvent rescue = live.jobs().events(id).getLast();
    assertThat(rescue.message())
        .isEqualTo(
            "rescued from node node-ghost: the node was declared dead (missed its heartbeats)");
    assertThat(rescue.node()).isEqualTo("node-live");
    // Judged by the database's clock: declared dead one lease after its last heartbeat, and
    // rescued within twice that, though its job's own lease had an hour to run.
    assertThat(Duration.between(lastBeat, rescue.at())).isBetween(lease, lease.multipliedBy(2));
  }
}
