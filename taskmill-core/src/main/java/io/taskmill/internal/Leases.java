package io.taskmill.internal;

import io.taskmill.internal.lease.LeaseRenewal;
import io.taskmill.internal.lease.Renewals;
import io.taskmill.internal.lease.Rescue;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.spi.LeaderTerm;
import io.taskmill.spi.LeaseRef;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's leases alive and rescues jobs whose leases expired elsewhere.
 *
 * <p>Renewal runs every third of the lease duration, so two renewals can fail before a lease
 * lapses. A lease the store no longer grants is lost: the handler is told ({@link
 * Execution#leaseLost()}) and its eventual outcome will be rejected by the store's epoch guard.
 *
 * <p>The named locks attempts hold ({@link NodeLocks}) are renewed in the same round, all in one
 * store call; a lock the store no longer grants is marked lost. Locks follow the attempt's thread,
 * not its lease: a handler still running after its outcome was written keeps its locks renewed.
 */
final class Leases {
  private static final Logger log = LoggerFactory.getLogger(Leases.class);
  private static final int RESCUE_BATCH = 500;

  private final EngineConfig cfg;
  private final Store store;
  private final Map<JobId, Execution> active;
  private final NodeLocks locks;
  private final Consumer<String> onRescued;
  private Instant lastRenewal;

  /**
   * @param active executions holding a lease on this node, until their outcome is written
   * @param locks the named locks attempts on this node hold, renewed in the same round
   * @param onRescued told the queue of each rescued job, which is ready again
   */
  Leases(
      EngineConfig cfg, Map<JobId, Execution> active, NodeLocks locks, Consumer<String> onRescued) {
    this.cfg = cfg;
    this.store = cfg.store();
    this.active = active;
    this.locks = locks;
    this.onRescued = onRescued;
    this.lastRenewal = cfg.clock().instant();
  }

  /** Renews every lease and lock this node holds; signals lost leases and pending cancels. */
  void renew() {
    renewJobLeases();
    renewLocks();
  }

  private void renewJobLeases() {
    var executions = new ArrayList<>(active.values());
    if (executions.isEmpty()) {
      lastRenewal = cfg.clock().instant();
      return;
    }
    List<LeaseRef> refs = executions.stream().map(Execution::lease).toList();
    Instant now = cfg.clock().instant();
    Instant expiresAt = now.plus(cfg.leaseDuration());
    LeaseRenewal renewal;
    try {
      renewal =
          store.keepAlive(StoreOp.RENEW, tx -> Renewals.leases(tx, cfg.nodeId(), refs, expiresAt));
    } catch (RuntimeException e) {
      if (now.isAfter(lastRenewal.plus(cfg.leaseDuration()))) {
        // Our leases have lapsed by now; another node may be running these jobs.
        executions.forEach(Execution::leaseLost);
        log.error(
            "lease renewal failing since {}; {} running jobs no longer trust their lease: {}",
            lastRenewal,
            executions.size(),
            e.getMessage());
      } else {
        log.warn("lease renewal failed, retrying: {}", e.getMessage());
      }
      return;
    }
    lastRenewal = now;
    for (Execution e : executions) {
      JobId id = e.job().id();
      if (!renewal.held().contains(id)) {
        // An attempt whose outcome is already on its way was not lost: the outcome committed
        // (clearing the lease) between our snapshot and the renewal.
        if (active.get(id) == e && !e.hasReported()) {
          log.warn("lost the lease of job {} ({}); another node may run it", id, e.job().type());
          e.leaseLost();
        }
      } else {
        e.leaseRenewed(expiresAt);
        if (renewal.cancelRequested().contains(id)) {
          e.cancel();
        }
      }
    }
  }

  /**
   * Every lease this node holds may have lapsed (it could not renew them in time, or the cluster
   * declared it dead): tell every running handler, whose outcomes the store will refuse anyway.
   */
  void allLost() {
    for (Execution e : active.values()) {
      if (!e.hasReported()) {
        e.leaseLost();
      }
    }
  }

  private void renewLocks() {
    List<HeldLock> held = locks.held();
    if (held.isEmpty()) {
      return;
    }
    Instant now = cfg.clock().instant();
    List<Boolean> renewed;
    try {
      renewed =
          store.keepAlive(
              StoreOp.LOCK,
              tx -> Renewals.locks(tx, held.stream().map(HeldLock::ref).toList(), now));
    } catch (RuntimeException e) {
      // Each lock stops reporting itself held once its expiry passes (HeldLock.isHeld).
      log.warn("lock renewal failed, retrying: {}", e.getMessage());
      return;
    }
    for (int i = 0; i < held.size(); i++) {
      HeldLock lock = held.get(i);
      if (renewed.get(i)) {
        lock.renewed(now);
      } else {
        // A lock released since the snapshot is not lost: lost() only acts on a held lock.
        lock.lost();
      }
    }
  }

  /**
   * Rescues expired leases of any node, as the leader under {@code leader}; returns how many jobs
   * were rescued.
   */
  int rescueExpired(LeaderTerm leader) {
    int total = 0;
    List<Job> rescued;
    do {
      rescued = Rescue.expired(store, leader, cfg.clock().instant(), RESCUE_BATCH);
      report(rescued, "its lease expired");
      total += rescued.size();
    } while (rescued.size() == RESCUE_BATCH);
    return total;
  }

  /** At start on an exclusive store: every running job belongs to a dead process. */
  int rescueForeign() {
    List<Job> rescued = Rescue.foreign(store, cfg.clock().instant(), cfg.nodeId());
    report(rescued, "the process that ran it is gone");
    return rescued.size();
  }

  private void report(List<Job> rescued, String why) {
    for (Job j : rescued) {
      log.warn(
          "rescued job {} ({}, attempt {} of {}) from node {}: {}",
          j.id(),
          j.type(),
          j.attempt(),
          j.maxAttempts(),
          j.leaseOwner(),
          why);
      onRescued.accept(j.queue());
    }
  }
}
