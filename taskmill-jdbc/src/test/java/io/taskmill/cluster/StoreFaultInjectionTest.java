package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskmill.Taskmill;
import io.taskmill.TaskmillBuilder;
import io.taskmill.jdbc.JdbcStoreProvider;
import io.taskmill.jdbc.PgSessionTimeZone;
import io.taskmill.job.JobId;
import io.taskmill.job.JobRequest;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreSettings;
import io.taskmill.testkit.fault.FaultInjectingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R25 of docs/testing.md, scaled: two engines on PostgreSQL, each on its own store wrapped in a
 * {@link FaultInjectingStore} that fails 5% of claims, lease renewals and completions (half before
 * the call, half after it committed), under ~20 s of load. Nothing is lost, a job runs twice at
 * most once per injected completion fault, and the store stays consistent.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class StoreFaultInjectionTest {
  private static final double RATE = 0.05;
  private static final Duration LOAD_FOR = Duration.ofSeconds(20);
  private static final Duration LEASE = Duration.ofSeconds(5);

  private final long seed = Long.getLong("taskmill.test.seed", System.nanoTime());

  private record Node(Taskmill engine, FaultInjectingStore store, HikariDataSource ledger) {}

  @Test
  void fivePercentFaultsOnClaimRenewAndCompleteLoseNothing() throws Exception {
    var random = new Random(seed);
    try (var cluster = Cluster.create(PgTarget.shared())) {
      var nodes = new ArrayList<Node>();
      try {
        for (int i = 1; i <= 2; i++) {
          nodes.add(node(cluster, "f" + i, seed + i));
        }
        var acknowledged = new ArrayList<JobId>();
        long end = System.nanoTime() + LOAD_FOR.toNanos();
        int n = 0;
        while (System.nanoTime() < end) {
          long next = System.nanoTime() + 100_000_000L;
          var batch = new ArrayList<JobRequest>();
          for (int i = 0; i < 30; i++, n++) {
            batch.add(JobRequest.of(Work.TYPE, new Work(n, random.nextInt(6))));
          }
          acknowledged.addAll(
              cluster.client().enqueueAll(batch)); // the client's store is not faulty
          LockSupport.parkNanos(Math.max(0, next - System.nanoTime())); // pacing, not waiting
        }
        // Lost claim replies leave jobs leased to a live node that never heard of them: they wait
        // out the lease, then the rescuer frees them.
        cluster.awaitAllTerminal(Duration.ofSeconds(120));

        EffectLedger.Report report = cluster.report(acknowledged);
        long completeFaults =
            nodes.stream().mapToLong(x -> x.store().injected(StoreOp.COMPLETE)).sum();
        // A completion retried after its reply was lost meets its own applied outcome: the store
        // says it is applied, and records no "late completion" against the node that applied it.
        long lateOwn =
            cluster.count(
                "SELECT count(*) FROM tm_job_event e JOIN tm_job j ON j.id = "
                    + "e.job_id WHERE e.message LIKE 'late completion%' AND j.state = 'SUCCEEDED' AND "
                    + "e.node = (SELECT node FROM tm_job_event s WHERE s.job_id = j.id "
                    + "AND s.to_state = 'SUCCEEDED' AND s.from_state = 'RUNNING' LIMIT 1)");
        System.out.printf(
            "R25 seed=%d rate=%.0f%% for %d s: %s; complete faults=%d; late-completion "
                + "events naming the node whose outcome applied=%d%n",
            seed, RATE * 100, LOAD_FOR.toSeconds(), report, completeFaults, lateOwn);
        nodes.forEach(
            x -> System.out.println("R25 " + x.engine().nodeId() + " " + x.store().summary()));
        assertThat(nodes)
            .allSatisfy(
                x ->
                    assertThat(
                            x.store().injected(StoreOp.CLAIM)
                                + x.store().injected(StoreOp.COMPLETE))
                        .as("faults were injected")
                        .isPositive());
        assertThat(report.lost()).as("lost").isZero();
        assertThat(report.succeeded()).isEqualTo(acknowledged.size());
        assertThat(report.succeededWithoutEffect()).isZero();
        assertThat(report.staleCommits()).as("stale commits").isEmpty();
        assertThat(report.duplicates()).isLessThanOrEqualTo(completeFaults);
        assertThat(lateOwn)
            .as("late-completion events against the node whose outcome applied")
            .isZero();
        assertThat(cluster.invariantViolations(LEASE)).isEmpty();
      } finally {
        for (Node x : nodes) {
          x.engine().close();
          x.store().close(); // the builder's caller owns a store it passed in
          x.ledger().close();
        }
      }
    }
  }

  private static Node node(Cluster cluster, String id, long seed) {
    String url = cluster.db().url(cluster.schema());
    var real =
        new JdbcStoreProvider()
            .open(
                new StoreSettings(
                    null, null, url, cluster.db().user(), cluster.db().password(), 4));
    FaultInjectingStore store =
        FaultInjectingStore.around(real)
            .seed(seed)
            .failBefore(StoreOp.CLAIM, RATE / 2)
            .failAfter(StoreOp.CLAIM, RATE / 2)
            .failBefore(StoreOp.RENEW, RATE / 2)
            .failAfter(StoreOp.RENEW, RATE / 2)
            .failBefore(StoreOp.COMPLETE, RATE / 2)
            .failAfter(StoreOp.COMPLETE, RATE / 2)
            .build();
    HikariDataSource ledger =
        EffectLedger.pool(url, cluster.db().user(), cluster.db().password(), 4, false);
    Taskmill engine =
        Taskmill.builder()
            .store(store)
            .nodeId(id)
            .leaseDuration(LEASE)
            .rescueInterval(Duration.ofSeconds(1))
            .pollInterval(Duration.ofSeconds(1))
            .queue(TaskmillBuilder.DEFAULT_QUEUE, q -> q.concurrency(32))
            .handler(Work.TYPE, Work.class, Work.handler(new EffectLedger(ledger), id))
            .start();
    return new Node(engine, store, ledger);
  }
}
