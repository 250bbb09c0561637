package io.taskmill.spi;

import io.taskmill.job.RateLimit;

/**
 * The cluster-wide limits of one job type, which a store enforces at claim time across every node
 * claiming from it, under races (PostgreSQL serializes the claims of a limited type with an
 * advisory lock). The store applies whatever limits the claiming node passes, so nodes should be
 * configured alike.
 *
 * @param maxRunning most jobs of the type {@code RUNNING} at once across all nodes, or null for no
 *     limit
 * @param rate most starts of the type per aligned window, or null for no limit; starts are counted
 *     by the claim's {@code now}
 */
public record ClusterLimit(Integer maxRunning, RateLimit rate) {
  public ClusterLimit {
    if (maxRunning == null && rate == null) {
      throw new IllegalArgumentException("a cluster limit needs maxRunning, rate or both");
    }
    if (maxRunning != null && maxRunning < 1) {
      throw new IllegalArgumentException("maxRunning must be >= 1, was " + maxRunning);
    }
  }
}
