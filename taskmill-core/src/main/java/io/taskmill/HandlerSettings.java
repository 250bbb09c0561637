package io.taskmill;

import io.taskmill.job.RateLimit;
import io.taskmill.job.Retry;
import java.time.Duration;

/**
 * Defaults for one handler's jobs, set when it is registered: {@code .handler("render.thumbnails",
 * Thumbs.class, h, o -> o.queue("media").maxConcurrency(2))}.
 *
 * <p>Checked at {@code start()}.
 */
public final class HandlerSettings {
  String queue = TaskmillBuilder.DEFAULT_QUEUE;
  int priority;
  Retry retry;
  Duration timeout;
  Integer maxConcurrency;
  Integer clusterMaxConcurrency;
  Integer rateStarts;
  Duration ratePer;
  boolean ignoreUnknownProperties;

  HandlerSettings() {}

  /** The queue its jobs go to unless the enqueue says otherwise; default {@code default}. */
  public HandlerSettings queue(String queue) {
    this.queue = queue;
    return this;
  }

  /** Default priority of its jobs. */
  public HandlerSettings priority(int priority) {
    this.priority = priority;
    return this;
  }

  /** Default retry policy; may hold predicates and an onRetry callback. */
  public HandlerSettings retry(Retry retry) {
    this.retry = retry;
    return this;
  }

  /** Default per-attempt timeout. */
  public HandlerSettings timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** Most of its jobs running at once on this node, whatever their queue. */
  public HandlerSettings maxConcurrency(int n) {
    this.maxConcurrency = n;
    return this;
  }

  /**
   * Most of its jobs running at once across every node sharing the database, whatever their queue
   * (1 to 100,000). The database enforces it at claim time, under races between nodes.
   *
   * <p>Configure the same value on every node: each claim is held to the limit its own node passes,
   * so a node without it, or with a higher one, can start more. A slot freed by a job on this node
   * is used at once; one freed on another node at this node's next poll.
   */
  public HandlerSettings clusterMaxConcurrency(int n) {
    this.clusterMaxConcurrency = n;
    return this;
  }

  /**
   * At most {@code starts} of its jobs start in each window of length {@code per}, across every
   * node sharing the database, e.g. {@code rateLimit(100, Duration.ofSeconds(1))}: a backlog drains
   * at that rate. Windows are aligned to the epoch ({@link RateLimit}); {@code starts} is 1 to
   * 1,000,000 and {@code per} a whole number of milliseconds from 10 ms to 1 day.
   *
   * <p>The database counts starts by the claiming node's clock and enforces the limit each claim
   * passes, so configure the same values on every node and keep the nodes' clocks in sync. Retries
   * count as starts.
   */
  public HandlerSettings rateLimit(int starts, Duration per) {
    this.rateStarts = starts;
    this.ratePer = per;
    return this;
  }

  /** Accept payload JSON with properties the payload type does not have (default: reject them). */
  public HandlerSettings ignoreUnknownProperties() {
    this.ignoreUnknownProperties = true;
    return this;
  }
}
