package io.taskmill.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A request to claim ready jobs from one queue.
 *
 * @param limit most jobs to claim
 * @param types job types this node can run; jobs of other types are never claimed
 * @param typeRoom for types with a concurrency limit, how many more may start (absent = unlimited,
 *     0 = none); the claim never exceeds it
 * @param leaseTtl how long the lease lasts unless renewed
 * @param clusterLimits cluster-wide limits of some of {@code types} (absent = none), enforced by
 *     the store across every node; a claim without any takes no extra queries
 */
public record JobClaim(
    String queue,
    int limit,
    String node,
    Instant now,
    Duration leaseTtl,
    Set<String> types,
    Map<String, Integer> typeRoom,
    Map<String, ClusterLimit> clusterLimits) {

  public JobClaim {
    types = Set.copyOf(types);
    typeRoom = Map.copyOf(typeRoom);
    clusterLimits = Map.copyOf(clusterLimits);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
  }

  /** A claim without cluster-wide limits. */
  public JobClaim(
      String queue,
      int limit,
      String node,
      Instant now,
      Duration leaseTtl,
      Set<String> types,
      Map<String, Integer> typeRoom) {
    this(queue, limit, node, now, leaseTtl, types, typeRoom, Map.of());
  }
}
