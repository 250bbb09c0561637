package io.taskmill.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskmill.jdbc.PgSessionTimeZone;
import io.taskmill.node.Leadership;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R3 of docs/testing.md, scaled to this machine: SIGTERM of one of three nodes (the leader, so that
 * its resignation is exercised too) under load, with a 3 s grace period (30 s in the catalogue) and
 * a tenth of the jobs running 8 s (60 s), the rest 200 ms. The node stops claiming at once,
 * finishes what fits in the grace, gives the rest back with a reason so another node claims it
 * without waiting for a lease to lapse, hands leadership on, and exits.
 */
@Tag("cluster")
@ExtendWith(PgSessionTimeZone.class)
class GracefulShutdownTest {
  private static final Duration GRACE = Duration.ofSeconds(3);
  private static final int LONG_MS = 8_000;
  private static final int SHORT_MS = 200;

  /** 40 jobs/s: about 40 of the 96 slots busy, so the two survivors can take the load. */
  private static final int BATCH = 4;

  private static final Duration BATCH_EVERY = Duration.ofMillis(100);

  /** A released job is announced (NOTIFY), so another node claims it without a lease wait. */
  private static final Duration RECLAIM_BOUND = Duration.ofSeconds(2);

  /** The JVM may take this long after the grace to write outcomes, release, resign and leave. */
  private static final Duration EXIT_SLACK = Duration.ofSeconds(5);

  /** Slack on top of a heartbeat, for JVMs and PostgreSQL sharing two busy cores. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  private final long seed = Long.getLong("taskmill.test.seed", System.nanoTime());

  @Test
  void sigtermUnderLoadFinishesWhatFitsTheGraceAndReleasesTheRest() throws Exception {
    var random = new Random(seed);
    try (var cluster = Cluster.create(PgTarget.shared())) {
      NodeSettings s = cluster.settings("w1").withGrace(GRACE);
      cluster.start(s, s.withNodeId("w2"), s.withNodeId("w3"));
      var producer =
          new Producer(
              cluster,
              "r3",
              BATCH,
              BATCH_EVERY,
              null,
              n -> new Work(n, random.nextInt(10) == 0 ? LONG_MS : SHORT_MS));
      Thread load = producer.start();
      try {
        await("a leader")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> cluster.client().cluster().leader().isPresent());
        // The leader, so that its resignation on close is exercised too.
        String victim = cluster.client().cluster().leader().orElseThrow().node();
        // Under load, and holding long jobs that cannot finish within the grace: started less
        // than (long - grace - 1 s) ago, so more than a second of work is left when it ends.
        Duration recent = Duration.ofMillis(LONG_MS).minus(GRACE).minusSeconds(1);
        await("steady load, and long jobs on " + victim + " that outlast the grace")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    cluster.succeeded() >= 200
                        && longJobsStartedOn(cluster, producer, victim, recent) >= 2);

        Set<UUID> runningAtSignal = cluster.runningOn(victim);
        // Leadership may have moved while the load built up (a late renewal on a busy machine).
        Leadership atSignal = cluster.client().cluster().leader().orElseThrow();
        boolean victimLed = atSignal.node().equals(victim);
        Instant signalAt = cluster.dbNow();
        long t0 = System.nanoTime();
        boolean exited = cluster.node(victim).terminate(GRACE.plus(EXIT_SLACK).plusSeconds(30));
        Duration exitAfter = Duration.ofNanos(System.nanoTime() - t0);
        Instant exitedAt = cluster.dbNow();
        await("another node leads")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    cluster
                        .client()
                        .cluster()
                        .leader()
                        .filter(l -> !l.node().equals(victim) && l.expiresAt().isAfter(signalAt))
                        .isPresent());
        Instant ledAt = cluster.dbNow();
        Leadership after = cluster.client().cluster().leader().orElseThrow();
        Map<UUID, Instant> released = released(cluster, victim);
        await("every released job claimed again")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> reclaimedAfterRelease(cluster, victim, released).size() == released.size());
        producer.stop();
        load.join();
        cluster.awaitAllTerminal(Duration.ofSeconds(120));

        Map<UUID, Duration> reclaims = reclaimedAfterRelease(cluster, victim, released);
        Duration worstReclaim =
            reclaims.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
        Instant lastClaim = lastClaimBy(cluster, victim);
        long claimsAfterPoll =
            cluster.count(
                "SELECT count(*) FROM tm_job_event WHERE node = '"
                    + victim
                    + "' AND from_state = 'ENQUEUED' AND to_state = 'RUNNING' AND at > '"
                    + signalAt.plus(s.poll())
                    + "'");
        Set<UUID> shortJobs = new HashSet<>();
        Set<UUID> longJobs = new HashSet<>();
        producer.payloads.forEach(
            (id, w) -> (w.sleepMs() > GRACE.toMillis() ? longJobs : shortJobs).add(id));
        Set<UUID> shortOnVictim = ranOn(cluster, victim, shortJobs);
        Set<UUID> shortFinishedByVictim = succeededBy(cluster, victim, shortOnVictim);
        long victimSucceededAfterSignal =
            cluster.count(
                "SELECT count(*) FROM tm_job_event WHERE "
                    + "node = '"
                    + victim
                    + "' AND to_state = 'SUCCEEDED' AND at > '"
                    + signalAt
                    + "'");
        EffectLedger.Report report = cluster.report(producer.acknowledged);
        var shortDuplicated = new HashSet<>(report.duplicatedJobs());
        shortDuplicated.retainAll(shortJobs);

        System.out.printf(
            "R3 seed=%d grace=%d ms, jobs %d ms (10%%) / %d ms, %d jobs/s: SIGTERM of "
                + "%s (%s term %d); its last claim %d ms after the signal (poll %d ms), claims "
                + "after signal+poll=%d; %d jobs running on it at the signal (%d short), it finished %d "
                + "after it, %d of %d short jobs it ran; released %d long jobs (%s), re-claimed elsewhere within %d ms (bound %d ms); "
                + "exit %d ms after SIGTERM (bound %d ms); %s leads term %d %d ms after the exit; "
                + "node row %s; %s; exit code %d, its log after the signal:%n  %s%n",
            seed,
            GRACE.toMillis(),
            LONG_MS,
            SHORT_MS,
            BATCH * 1000 / BATCH_EVERY.toMillis(),
            victim,
            victimLed ? "leader under" : "not leading; " + atSignal.node() + " led",
            atSignal.term(),
            lastClaim == null ? -1 : Duration.between(signalAt, lastClaim).toMillis(),
            s.poll().toMillis(),
            claimsAfterPoll,
            runningAtSignal.size(),
            runningAtSignal.stream().filter(shortJobs::contains).count(),
            victimSucceededAfterSignal,
            shortFinishedByVictim.size(),
            shortOnVictim.size(),
            released.size(),
            cluster.rows(
                "SELECT DISTINCT message FROM tm_job_event WHERE node = '"
                    + victim
                    + "' AND from_state = 'RUNNING' AND to_state = 'ENQUEUED'"),
            worstReclaim.toMillis(),
            RECLAIM_BOUND.toMillis(),
            exitAfter.toMillis(),
            GRACE.plus(EXIT_SLACK).toMillis(),
            after.node(),
            after.term(),
            Duration.between(exitedAt, ledAt).toMillis(),
            cluster.rows("SELECT state FROM tm_node WHERE id = '" + victim + "'"),
            report,
            cluster.node(victim).exitCode(),
            String.join("\n  ", shutdownLog(cluster.node(victim))));

        assertThat(exited).as(victim + " exited").isTrue();
        assertThat(exitAfter).as("exit after SIGTERM").isLessThanOrEqualTo(GRACE.plus(EXIT_SLACK));
        assertThat(claimsAfterPoll)
            .as("claims by " + victim + " later than one poll after SIGTERM")
            .isZero();
        assertThat(shortFinishedByVictim)
            .as("short jobs " + victim + " ran, all finished by it")
            .containsExactlyInAnyOrderElementsOf(shortOnVictim);
        assertThat(shortDuplicated).as("short jobs run twice").isEmpty();
        assertThat(released).as("long jobs released at shutdown").isNotEmpty();
        assertThat(longJobs).as("only long jobs are released").containsAll(released.keySet());
        assertThat(
                cluster.count(
                    "SELECT count(*) FROM tm_job_event WHERE node = '"
                        + victim
                        + "' AND from_state = 'RUNNING' AND to_state = 'ENQUEUED' AND (message IS NULL OR "
                        + "message NOT LIKE 'released at shutdown of node "
                        + victim
                        + "%')"))
            .as("releases without the shutdown reason")
            .isZero();
        assertThat(reclaims.keySet()).containsExactlyInAnyOrderElementsOf(released.keySet());
        assertThat(worstReclaim)
            .as("worst re-claim after its release")
            .isLessThanOrEqualTo(RECLAIM_BOUND);
        assertThat(cluster.runningOn(victim)).as("rows left RUNNING by " + victim).isEmpty();
        assertThat(cluster.rows("SELECT state FROM tm_node WHERE id = '" + victim + "'"))
            .containsExactly("LEFT");
        if (victimLed) {
          assertThat(after.term()).isEqualTo(atSignal.term() + 1);
          // It resigned on close, so the next heartbeat elsewhere took over: no lease wait.
          assertThat(Duration.between(exitedAt, ledAt))
              .as("new leader after the exit")
              .isLessThanOrEqualTo(s.heartbeat().plus(SLACK));
        }
        assertThat(report.lost()).as("lost").isZero();
        assertThat(report.succeeded()).isEqualTo(report.acknowledged());
        assertThat(report.staleCommits()).as("stale commits").isEmpty();
        assertThat(report.duplicatedJobs())
            .as("jobs run twice were released")
            .isSubsetOf(released.keySet());
        assertThat(report.duplicates()).isLessThanOrEqualTo(released.size());
        assertThat(cluster.invariantViolations(s.lease())).isEmpty();
      } finally {
        producer.stop();
        load.join();
      }
    }
  }

  /** The node's log from its last "ready" line on, without the startup lines. */
  private static List<String> shutdownLog(NodeProcess node) throws IOException {
    List<String> lines = Files.readAllLines(node.log(), StandardCharsets.UTF_8);
    int ready = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("ready ")) {
        ready = i + 1;
      }
    }
    return lines.subList(ready, lines.size());
  }

  /** Long jobs running on {@code node} whose effect it recorded less than {@code within} ago. */
  private static long longJobsStartedOn(
      Cluster cluster, Producer producer, String node, Duration within) {
    return cluster
        .rows(
            "SELECT e.job_id FROM effects e JOIN tm_job j ON j.id = e.job_id "
                + "WHERE j.state = 'RUNNING' AND j.lease_owner = '"
                + node
                + "' AND e.node = '"
                + node
                + "' AND e.t > clock_timestamp() - interval '"
                + within.toMillis()
                + " milliseconds'")
        .stream()
        .map(UUID::fromString)
        .filter(
            id ->
                producer.payloads.get(id) != null && producer.payloads.get(id).sleepMs() == LONG_MS)
        .count();
  }

  /** Jobs {@code node} gave back (RUNNING to ENQUEUED by it), with when. */
  private static Map<UUID, Instant> released(Cluster cluster, String node) throws SQLException {
    var found = new LinkedHashMap<UUID, Instant>();
    try (var c = cluster.connect();
        var ps =
            c.prepareStatement(
                "SELECT job_id, at FROM "
                    + "tm_job_event WHERE node = ? AND from_state = 'RUNNING' AND to_state = 'ENQUEUED'")) {
      ps.setString(1, node);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class).toInstant());
        }
      }
    }
    return found;
  }

  /** For each released job claimed again by another node: how long after its release. */
  private static Map<UUID, Duration> reclaimedAfterRelease(
      Cluster cluster, String node, Map<UUID, Instant> released) throws SQLException {
    var found = new LinkedHashMap<UUID, Duration>();
    try (var c = cluster.connect();
        var ps =
            c.prepareStatement(
                "SELECT min(at) FROM "
                    + "tm_job_event WHERE job_id = ? AND node <> ? AND from_state = 'ENQUEUED' "
                    + "AND to_state = 'RUNNING' AND at >= ?")) {
      for (var e : released.entrySet()) {
        ps.setObject(1, e.getKey());
        ps.setString(2, node);
        ps.setObject(3, OffsetDateTime.ofInstant(e.getValue(), ZoneOffset.UTC));
        try (var rs = ps.executeQuery()) {
          rs.next();
          OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
          if (at != null) {
            found.put(e.getKey(), Duration.between(e.getValue(), at.toInstant()));
          }
        }
      }
    }
    return found;
  }

  private static Instant lastClaimBy(Cluster cluster, String node) throws SQLException {
    try (var c = cluster.connect();
        var ps =
            c.prepareStatement(
                "SELECT max(at) FROM tm_job_event "
                    + "WHERE node = ? AND from_state = 'ENQUEUED' AND to_state = 'RUNNING'")) {
      ps.setString(1, node);
      try (var rs = ps.executeQuery()) {
        rs.next();
        OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
      }
    }
  }

  /** Those of {@code jobs} that {@code node} claimed at least once. */
  private static Set<UUID> ranOn(Cluster cluster, String node, Set<UUID> jobs) {
    return among(
        cluster,
        jobs,
        "SELECT DISTINCT job_id FROM tm_job_event WHERE node = '"
            + node
            + "' AND from_state = 'ENQUEUED' AND to_state = 'RUNNING'");
  }

  /** Those of {@code jobs} whose success {@code node} wrote. */
  private static Set<UUID> succeededBy(Cluster cluster, String node, Set<UUID> jobs) {
    return among(
        cluster,
        jobs,
        "SELECT DISTINCT job_id FROM tm_job_event WHERE node = '"
            + node
            + "' AND from_state = 'RUNNING' AND to_state = 'SUCCEEDED'");
  }

  private static Set<UUID> among(Cluster cluster, Set<UUID> jobs, String sql) {
    var found = new HashSet<UUID>();
    for (String id : cluster.rows(sql)) {
      UUID u = UUID.fromString(id);
      if (jobs.contains(u)) {
        found.add(u);
      }
    }
    return found;
  }
}
