package io.taskmill.internal.lease;

import io.taskmill.job.JobId;
import io.taskmill.spi.LeaseRef;
import io.taskmill.spi.LockRef;
import io.taskmill.spi.Ops.JobCancelRequestedAmong;
import io.taskmill.spi.Ops.JobRenewLease;
import io.taskmill.spi.Ops.LockRenew;
import io.taskmill.spi.StoreTx;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The renewals that prove a node alive: its jobs' leases and its handlers' locks. */
public final class Renewals {
  private Renewals() {}

  /**
   * Extends the leases {@code node} still holds to {@code expiresAt}; reports which it still holds
   * and which of those have a pending cancel request.
   */
  public static LeaseRenewal leases(
      StoreTx tx, String node, List<LeaseRef> leases, Instant expiresAt) {
    if (leases.isEmpty()) {
      return new LeaseRenewal(Set.of(), Set.of());
    }
    // In id order, so concurrent writers of several rows lock them in one order.
    List<LeaseRef> sorted = leases.stream().sorted(Comparator.comparing(LeaseRef::id)).toList();
    List<Boolean> renewed =
        tx.changeEach(sorted.stream().map(l -> new JobRenewLease(l, node, expiresAt)).toList());
    var held = new HashSet<JobId>();
    for (int i = 0; i < sorted.size(); i++) {
      if (renewed.get(i)) {
        held.add(sorted.get(i).id());
      }
    }
    Set<JobId> cancelRequested =
        held.isEmpty() ? Set.of() : Set.copyOf(tx.query(new JobCancelRequestedAmong(held)));
    return new LeaseRenewal(held, cancelRequested);
  }

  /**
   * Extends each lock to {@code now} plus its ttl if it is still held by its holder under its token
   * and has not expired before {@code now}; a lock that lapsed stays lost even if nobody took it.
   * Returns, for each lock in the order given, whether it is still held (and was extended).
   */
  public static List<Boolean> locks(StoreTx tx, List<LockRef> locks, Instant now) {
    if (locks.isEmpty()) {
      return List.of();
    }
    // In name order, so concurrent writers of several rows lock them in one order.
    List<LockRef> sorted =
        locks.stream()
            .sorted(Comparator.comparing(LockRef::name).thenComparingLong(LockRef::token))
            .toList();
    List<Boolean> renewed =
        tx.changeEach(sorted.stream().map(l -> new LockRenew(l, now, now.plus(l.ttl()))).toList());
    var held = new HashSet<LockRef>();
    for (int i = 0; i < sorted.size(); i++) {
      if (renewed.get(i)) {
        held.add(sorted.get(i));
      }
    }
    return locks.stream().map(held::contains).toList();
  }
}
