package io.taskmill.spi;

/**
 * How much of a type with a cluster-wide limit is in use, as a claim reads it under the type's
 * lock.
 *
 * @param running its {@code RUNNING} jobs on every node (0 when its limit has no maxRunning)
 * @param started its starts recorded in the current rate window (0 when it has no rate)
 */
public record LimitUsage(String type, int running, int started) {}
