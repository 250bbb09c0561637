package io.taskmill;

/** Settings of one queue on this node: {@code .queue("media", q -> q.concurrency(8))}. */
public final class QueueSettings {
  /** Concurrency of a queue when not set. */
  public static final int DEFAULT_CONCURRENCY = 16;

  int concurrency = DEFAULT_CONCURRENCY;

  QueueSettings() {}

  /** Most jobs of this queue running at once on this node (each on a virtual thread). */
  public QueueSettings concurrency(int n) {
    this.concurrency = n;
    return this;
  }
}
