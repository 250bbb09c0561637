package io.taskmill;

import java.time.Duration;

/**
 * Defaults for one handler's jobs, set when it is registered:
 * {@code .handler("render.thumbnails", Thumbs.class, h, o -> o.queue("media").maxConcurrency(2))}.
 *
 * <p>Checked at {@code start()}.
 */
public final class HandlerSettings {
  String queue = TaskmillBuilder.DEFAULT_QUEUE;
  int priority;
  Retry retry;
  Duration timeout;
  Integer maxConcurrency;
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

  /** Accept payload JSON with properties the payload type does not have (default: reject them). */
  public HandlerSettings ignoreUnknownProperties() {
    this.ignoreUnknownProperties = true;
    return this;
  }
}
