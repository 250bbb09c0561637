package io.taskmill.node;

import java.time.Instant;

/**
 * Who leads the cluster: the node that runs leader-only duties (rescue, pruning, schedules) under a
 * term number that grows with every change of leader and fences out a former leader's writes.
 *
 * @param expiresAt when the lease on leadership lapses unless renewed, by the store's clock
 */
public record Leadership(String node, long term, Instant expiresAt) {}
