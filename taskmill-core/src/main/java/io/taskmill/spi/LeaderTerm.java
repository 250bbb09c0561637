package io.taskmill.spi;

/**
 * A fencing token for leader-only writes: the store applies them only while {@code node} still
 * holds leadership under exactly this {@code term}, in the same transaction as the write.
 */
public record LeaderTerm(String node, long term) {}
