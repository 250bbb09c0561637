package io.taskmill.internal;

import io.taskmill.internal.leader.NodeDeaths;
import io.taskmill.internal.leader.Retention;
import io.taskmill.job.JobState;
import io.taskmill.node.Leadership;
import io.taskmill.node.Node;
import io.taskmill.node.NodeState;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.Ops.LeaderResign;
import io.taskmill.spi.Ops.NodeLeave;
import io.taskmill.spi.Retained;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in the cluster: its heartbeat (node row, clock anchoring, lease renewal),
 * leadership under a fenced term, and the leader-only duties (declaring silent nodes dead, rescuing
 * expired leases, pruning old jobs).
 *
 * <p>All of it runs on the engine's one maintenance thread, so none of it needs locks. A node
 * trusts its leadership only until its last successful renewal's lease would lapse, measured on its
 * own monotonic clock from when the renewal was sent; the store's fence makes a stale term harmless
 * even when that estimate is wrong.
 */
final class Membership {
  private static final Logger log = LoggerFactory.getLogger(Membership.class);
  private static final int PRUNE_BATCH = 1_000;
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

  /**
   * How long one pass may delete before the maintenance thread gets back to heartbeats and rescues.
   * A pass cut short goes on at the next duty round instead of a minute later: a cap of 100 batches
   * a minute let a store finishing more than 1,700 jobs a second outgrow its pruner.
   */
  private static final Duration PRUNE_BUDGET = Duration.ofSeconds(1);

  private static final Duration SKEW_WARNING = Duration.ofSeconds(2);

  private final EngineConfig cfg;
  private final Store store;
  private final Leases leases;
  private final Dispatcher dispatcher;
  private final StoreClock storeClock;
  private final Node self;
  private final IntSupplier running;
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

  private volatile LeaderTerm term;
  private long termTrustedUntilNanos;
  private long lastBeatNanos = System.nanoTime();
  private boolean beatFailing;

  /** When the last heartbeat that succeeded was sent, by the engine's clock. */
  private Instant lastBeatAt;

  /**
   * Until when this node, back in touch with the store after its heartbeats failed, declares no
   * node dead and rescues no lease: the others lost touch too and need a moment to beat and renew.
   */
  private volatile Instant judgeOthersFrom = Instant.MIN;

  private long lastFailureLogNanos;
  private Instant lastPrune;

  /** The last prune pass ran out of time with rows left to delete. */
  private boolean pruneBehind;

  private Duration reportedSkew = Duration.ZERO;

  /**
   * @param storeClock the engine's clock when it follows the store, else null
   * @param running how many jobs run on this node now
   */
  Membership(
      EngineConfig cfg,
      Leases leases,
      Dispatcher dispatcher,
      StoreClock storeClock,
      IntSupplier running) {
    this.cfg = cfg;
    this.store = cfg.store();
    this.leases = leases;
    this.dispatcher = dispatcher;
    this.storeClock = storeClock;
    this.running = running;
    var types = new HashSet<String>();
    cfg.handlers().forEach(h -> types.add(h.type()));
    int concurrency = cfg.queues().values().stream().mapToInt(Integer::intValue).sum();
    this.self =
        new Node(
            cfg.nodeId(),
            hostName(),
            ProcessHandle.current().pid(),
            Version.current(),
            cfg.queues(),
            types,
            concurrency,
            cfg.clock().instant(),
            cfg.clock().instant(),
            0,
            -1,
            0,
            -1,
            NodeState.ALIVE);
  }

  /** How often the heartbeat runs: three beats fit in a lease, so two can fail before it lapses. */
  static Duration heartbeatInterval(EngineConfig cfg) {
    return Duration.ofMillis(Math.max(100, cfg.leaseDuration().toMillis() / 3));
  }

  /**
   * How soon a failed heartbeat is tried again: a node holds its claims until a beat succeeds, so
   * after an outage it resumes within this of the store's return (R4/R5 of docs/testing.md: 5 s).
   */
  static Duration heartbeatRetry(EngineConfig cfg) {
    return Duration.ofMillis(Math.min(500, heartbeatInterval(cfg).toMillis()));
  }

  /**
   * One heartbeat: anchor the clock, write the node row, renew job leases, try to lead. A node
   * whose beat fails stops claiming until one succeeds, because its leases may lapse meanwhile.
   *
   * @return whether the node row was written; after a failure the next beat should come soon
   */
  boolean beat() {
    long sent = System.nanoTime();
    Instant sentAt = cfg.clock().instant();
    try {
      if (storeClock != null) {
        checkSkew(storeClock.anchor());
      }
      Instant now = cfg.clock().instant();
      var heap = Runtime.getRuntime();
      boolean alive =
          store.keepAlive(
              StoreOp.HEARTBEAT,
              tx ->
                  tx.nodeHeartbeat(
                      self.beat(
                          now,
                          running.getAsInt(),
                          cpuLoad(),
                          heap.totalMemory() - heap.freeMemory(),
                          heap.maxMemory())));
      if (!alive) {
        log.error(
            "node {} was declared dead by the cluster (it missed its heartbeats); its running"
                + " jobs were taken back and their outcomes will be refused",
            cfg.nodeId());
        leases.allLost();
      }
      if (beatFailing) {
        beatFailing = false;
        // As long as the store was out of reach for us, and at most a lease: long enough for
        // every live node to beat and renew, short enough that a truly dead one is found soon.
        Duration silent =
            lastBeatAt == null ? cfg.leaseDuration() : Duration.between(lastBeatAt, sentAt);
        judgeOthersFrom =
            sentAt.plus(silent.compareTo(cfg.leaseDuration()) < 0 ? silent : cfg.leaseDuration());
        log.info("heartbeat restored after {} ms; claiming again", silent.toMillis());
        dispatcher.holdClaims(false);
      }
      lastBeatNanos = sent;
      lastBeatAt = sentAt;
    } catch (RuntimeException e) {
      beatFailed(e);
      return false;
    }
    // Leadership first: renewing many leases may wait on busy job rows, a term must not.
    tryLead();
    leases.renew();
    return true;
  }

  private void beatFailed(RuntimeException e) {
    if (!beatFailing) {
      beatFailing = true;
      dispatcher.holdClaims(true);
    }
    long now = System.nanoTime();
    // One line per node per few seconds, however long the outage: logs must not flood.
    if (now - lastFailureLogNanos > Duration.ofSeconds(5).toNanos()) {
      lastFailureLogNanos = now;
      log.warn(
          "heartbeat failed, not claiming until it succeeds (last success {} ms ago): {}",
          Duration.ofNanos(now - lastBeatNanos).toMillis(),
          e.getMessage());
    }
    if (now - lastBeatNanos > cfg.leaseDuration().toNanos()) {
      leases.allLost();
    }
    if (term != null && now - termTrustedUntilNanos > 0) {
      log.warn("leadership of term {} lapsed while the store was unreachable", term.term());
      term = null;
    }
  }

  private void checkSkew(Duration offset) {
    Duration abs = offset.abs();
    if (abs.compareTo(SKEW_WARNING) > 0 && abs.minus(reportedSkew.abs()).abs().getSeconds() >= 1) {
      log.warn(
          "this machine's clock is {} ms {} the store's; Taskmill follows the store's clock,"
              + " but check the machine's time synchronisation",
          abs.toMillis(),
          offset.isNegative() ? "ahead of" : "behind");
      reportedSkew = offset;
    }
  }

  /** Renews or takes leadership; the term is trusted for one lease from when the call was sent. */
  void tryLead() {
    long sent = System.nanoTime();
    Leadership l;
    try {
      l =
          store.keepAlive(
              StoreOp.LEADER,
              tx -> tx.leaderTry(cfg.nodeId(), cfg.clock().instant(), cfg.leaseDuration()));
    } catch (RuntimeException e) {
      if (term != null && System.nanoTime() - termTrustedUntilNanos > 0) {
        log.warn(
            "leadership of term {} lapsed: renewing it failed: {}", term.term(), e.getMessage());
        term = null;
      }
      return;
    }
    if (l.node().equals(cfg.nodeId())) {
      if (term == null || term.term() != l.term()) {
        log.info("node {} leads the cluster under term {}", cfg.nodeId(), l.term());
      }
      term = new LeaderTerm(l.node(), l.term());
      termTrustedUntilNanos = sent + cfg.leaseDuration().toNanos();
    } else {
      if (term != null) {
        log.info(
            "node {} no longer leads; {} leads under term {}", cfg.nodeId(), l.node(), l.term());
      }
      term = null;
    }
  }

  /** The term under which this node leads now, if it does. */
  Optional<LeaderTerm> term() {
    LeaderTerm t = term;
    if (t != null && System.nanoTime() - termTrustedUntilNanos > 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(t);
  }

  /**
   * The leader's duties, run every rescue interval on the leader only: declare silent nodes dead,
   * take back expired leases, and now and then prune old jobs and node rows. Returns how many jobs
   * were rescued.
   */
  int duties() {
    Optional<LeaderTerm> t = term();
    if (t.isEmpty()) {
      return 0;
    }
    LeaderTerm leader = t.get();
    Instant now = cfg.clock().instant();
    int rescued = 0;
    if (judgingOthers()) {
      List<String> dead = NodeDeaths.declare(store, leader, now, now.minus(cfg.leaseDuration()));
      for (String node : dead) {
        log.warn(
            "node {} missed its heartbeats for {} and was declared dead; its jobs are rescued",
            node,
            cfg.leaseDuration());
      }
      rescued = leases.rescueExpired(leader);
    }
    if (pruneBehind || lastPrune == null || !now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
      lastPrune = now;
      prune(leader, now);
    }
    return rescued;
  }

  /**
   * False for a while after this node's own heartbeats failed (see {@link #judgeOthersFrom}): after
   * a database outage every node's heartbeat and leases look stale at once, and judging them before
   * they could renew would re-run the jobs of live nodes.
   */
  private boolean judgingOthers() {
    return !cfg.clock().instant().isBefore(judgeOthersFrom);
  }

  private void prune(LeaderTerm leader, Instant now) {
    long deadline = System.nanoTime() + PRUNE_BUDGET.toNanos();
    pruneBehind = false;
    int deleted =
        inBatches(
                () ->
                    Retention.jobs(
                        store,
                        leader,
                        now,
                        JobState.SUCCEEDED,
                        now.minus(cfg.retainSucceeded()),
                        PRUNE_BATCH),
                deadline)
            + inBatches(
                () ->
                    Retention.jobs(
                        store,
                        leader,
                        now,
                        JobState.DEAD,
                        now.minus(cfg.retainFinished()),
                        PRUNE_BATCH),
                deadline)
            + inBatches(
                () ->
                    Retention.jobs(
                        store,
                        leader,
                        now,
                        JobState.CANCELLED,
                        now.minus(cfg.retainFinished()),
                        PRUNE_BATCH),
                deadline);
    int nodes =
        Retention.rows(
            store, leader, now, Retained.NODES, now.minus(cfg.retainFinished()), Integer.MAX_VALUE);
    int runs =
        inBatches(
            () ->
                Retention.rows(
                    store,
                    leader,
                    now,
                    Retained.SCHEDULE_RUNS,
                    now.minus(cfg.retainFinished()),
                    PRUNE_BATCH),
            deadline);
    // Feed rows of job creations, kept as long as the longest-kept jobs they name.
    int outbox =
        inBatches(
            () ->
                Retention.rows(
                    store,
                    leader,
                    now,
                    Retained.OUTBOX,
                    now.minus(cfg.retainFinished()),
                    PRUNE_BATCH),
            deadline);
    // Audit entries: the trail of who changed what, kept far longer than the jobs it names.
    int audit =
        inBatches(
            () ->
                Retention.rows(
                    store, leader, now, Retained.AUDIT, now.minus(cfg.retainAudit()), PRUNE_BATCH),
            deadline);
    if (deleted > 0 || nodes > 0 || runs > 0 || outbox > 0 || audit > 0) {
      log.info(
          "pruned {} finished jobs, {} departed nodes, {} skipped or missed schedule ticks,"
              + " {} event feed rows and {} audit entries{}",
          deleted,
          nodes,
          runs,
          outbox,
          audit,
          pruneBehind ? "; more next round" : "");
    }
  }

  /**
   * Deletes in bounded batches, so no transaction holds many locks, until a batch comes back short
   * or the pass's time is spent (then {@link #pruneBehind}); each kind gets at least one batch.
   */
  private int inBatches(IntSupplier batch, long deadlineNanos) {
    int total = 0;
    while (true) {
      int n = batch.getAsInt();
      total += n;
      if (n < PRUNE_BATCH) {
        return total;
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        pruneBehind = true;
        return total;
      }
    }
  }

  /** At graceful close: hand leadership on at once and mark this node as gone. */
  void leave() {
    LeaderTerm t = term;
    term = null;
    try {
      if (t != null) {
        store.inTransaction(
            StoreOp.LEADER,
            tx -> {
              tx.change(new LeaderResign(t));
              return null;
            });
      }
      store.inTransaction(
          StoreOp.NODE,
          tx -> {
            tx.change(new NodeLeave(cfg.nodeId(), cfg.clock().instant()));
            return null;
          });
    } catch (RuntimeException e) {
      log.warn("could not record that node {} left: {}", cfg.nodeId(), e.getMessage());
    }
  }

  private double cpuLoad() {
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      double load = sun.getProcessCpuLoad();
      return load < 0 ? -1 : load;
    }
    return -1;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
