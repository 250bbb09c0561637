package io.taskmill.internal.dispatch;

import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobState;
import io.taskmill.job.RateLimit;
import io.taskmill.spi.ClaimedJobs;
import io.taskmill.spi.ClusterLimit;
import io.taskmill.spi.JobClaim;
import io.taskmill.spi.LimitUsage;
import io.taskmill.spi.Ops.LimitAddStarts;
import io.taskmill.spi.Ops.LimitPruneWindow;
import io.taskmill.spi.Store;
import io.taskmill.spi.StoreOp;
import io.taskmill.spi.StoreTx;
import io.taskmill.spi.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Claims ready jobs of one queue: highest priority first, then oldest {@code runAt}, then id,
 * within the room each type has: the node's own per-type concurrency ({@link JobClaim#typeRoom()})
 * and, for types with {@linkplain JobClaim#clusterLimits() cluster limits}, what is left across
 * every node (maxRunning minus the type's running jobs, and the rate's starts minus those already
 * recorded in the current aligned window, which the claim records in the same transaction).
 *
 * <p>Candidates are read a page at a time; a type whose room ran out is left out of the next page's
 * query, so a full type never hides the jobs of others behind it.
 */
public final class Claim {
  private Claim() {}

  /** Claims in one transaction; returns the claimed jobs as they are after the claim. */
  public static ClaimedJobs run(Store store, JobClaim claim) {
    if (claim.types().isEmpty()) {
      return ClaimedJobs.none();
    }
    return store.inTransaction(StoreOp.CLAIM, tx -> claimIn(tx, claim));
  }

  private static ClaimedJobs claimIn(StoreTx tx, JobClaim claim) {
    var room = new HashMap<String, Integer>(); // types with a limit: how many more may start
    var eligible = new TreeSet<String>();
    for (String type : claim.types()) {
      Integer typeRoom = claim.typeRoom().get(type);
      if (typeRoom == null) {
        eligible.add(type);
      } else if (typeRoom > 0) {
        eligible.add(type);
        room.put(type, typeRoom);
      }
    }
    var clusterLimited = new TreeMap<String, ClusterLimit>();
    for (String type : eligible) {
      ClusterLimit limit = claim.clusterLimits().get(type);
      if (limit != null) {
        clusterLimited.put(type, limit);
      }
    }
    Map<String, Usage> usage = Map.of(); // read once a page shows a cluster-limited type
    var picked = new LinkedHashMap<JobId, Job>();
    while (picked.size() < claim.limit() && !eligible.isEmpty()) {
      // Every row seen so far of a still-eligible type was picked, so they are the first rows
      // of the next page; types whose room ran out are left out of the query from now on.
      int offset = (int) picked.values().stream().filter(p -> eligible.contains(p.type())).count();
      List<Job> page =
          tx.jobClaimCandidates(claim.queue(), claim.now(), eligible, claim.limit(), offset);
      if (usage.isEmpty() && page.stream().anyMatch(p -> clusterLimited.containsKey(p.type()))) {
        // All limited types at once, in one sorted round, so concurrent claims cannot deadlock;
        // claims that meet no limited type never wait here.
        usage = usage(tx, clusterLimited, claim.now());
        usage.values().forEach(u -> room.merge(u.type(), u.room(), Math::min));
      }
      for (Job candidate : page) {
        Integer left = room.get(candidate.type());
        if (picked.containsKey(candidate.id()) || (left != null && left == 0)) {
          continue;
        }
        if (left != null) {
          room.put(candidate.type(), left - 1);
        }
        picked.put(candidate.id(), candidate);
        if (picked.size() == claim.limit()) {
          break;
        }
      }
      boolean shrank = eligible.removeIf(type -> Integer.valueOf(0).equals(room.get(type)));
      if (page.size() < claim.limit() || !shrank) {
        break;
      }
    }
    if (picked.isEmpty()) {
      return new ClaimedJobs(List.of(), nextWindow(usage, Map.of(), claim.now()));
    }
    Instant expiresAt = claim.now().plus(claim.leaseTtl());
    List<Job> claimed =
        tx.jobClaim(new ArrayList<>(picked.values()), claim.node(), claim.now(), expiresAt);
    var transitions = new ArrayList<Transition>(claimed.size());
    for (Job j : claimed) {
      transitions.add(
          new Transition(
              j.id(),
              claim.now(),
              JobState.ENQUEUED,
              j.state(),
              claim.node(),
              j.attempt(),
              null,
              null));
    }
    tx.eventInsert(transitions);
    Instant retryAt = null;
    if (!usage.isEmpty()) {
      var started = new HashMap<String, Integer>();
      claimed.forEach(j -> started.merge(j.type(), 1, Integer::sum));
      recordStarts(tx, usage, started);
      retryAt = nextWindow(usage, started, claim.now());
    }
    return new ClaimedJobs(claimed, retryAt);
  }

  /** How much of a limited type is in use when a claim looks, under the type's lock. */
  private record Usage(
      String type, ClusterLimit limit, Instant windowStart, int running, int started) {
    /** How many more jobs of the type may start now, whichever limit is tighter. */
    int room() {
      int room = Integer.MAX_VALUE;
      if (limit.maxRunning() != null) {
        room = Math.min(room, limit.maxRunning() - running);
      }
      if (limit.rate() != null) {
        room = Math.min(room, limit.rate().starts() - started);
      }
      return Math.max(0, room);
    }
  }

  private static Map<String, Usage> usage(
      StoreTx tx, Map<String, ClusterLimit> limits, Instant now) {
    var windowStarts = new HashMap<String, Instant>();
    limits.forEach(
        (type, limit) -> {
          if (limit.rate() != null) {
            windowStarts.put(type, limit.rate().windowStart(now));
          }
        });
    var usage = new HashMap<String, Usage>();
    for (LimitUsage u : tx.limitLockAndCount(limits, windowStarts)) {
      usage.put(
          u.type(),
          new Usage(
              u.type(),
              limits.get(u.type()),
              windowStarts.get(u.type()),
              u.running(),
              u.started()));
    }
    return usage;
  }

  /**
   * Records the starts of rate-limited types in their current windows; a window that had none yet
   * drops its type's windows before the previous one, which stays for a node whose clock lags a
   * little behind.
   */
  private static void recordStarts(
      StoreTx tx, Map<String, Usage> usage, Map<String, Integer> started) {
    var windows = new TreeMap<String, Instant>();
    var counts = new TreeMap<String, Integer>();
    var pruneBefore = new TreeMap<String, Instant>();
    started.forEach(
        (type, n) -> {
          Usage u = usage.get(type);
          if (u == null || u.limit().rate() == null || n == 0) {
            return;
          }
          windows.put(type, u.windowStart());
          counts.put(type, n);
          if (u.started() == 0) {
            pruneBefore.put(type, u.windowStart().minus(u.limit().rate().per()));
          }
        });
    if (!pruneBefore.isEmpty()) {
      tx.changeEach(
          pruneBefore.entrySet().stream()
              .map(e -> new LimitPruneWindow(e.getKey(), e.getValue()))
              .toList());
    }
    if (!counts.isEmpty()) {
      tx.changeEach(
          counts.entrySet().stream()
              .map(e -> new LimitAddStarts(e.getKey(), windows.get(e.getKey()), e.getValue()))
              .toList());
    }
  }

  /** The earliest time a rate limit that ran out with this claim opens its next window, or null. */
  private static Instant nextWindow(
      Map<String, Usage> usage, Map<String, Integer> started, Instant now) {
    Instant next = null;
    for (Usage u : usage.values()) {
      RateLimit rate = u.limit().rate();
      if (rate != null && u.started() + started.getOrDefault(u.type(), 0) >= rate.starts()) {
        Instant end = rate.windowEnd(now);
        next = next == null || end.isBefore(next) ? end : next;
      }
    }
    return next;
  }
}
