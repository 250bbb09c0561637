package io.taskmill.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-job options for an enqueue; anything left unset falls back to the handler's defaults, then
 * the engine's.
 *
 * <pre>{@code
 * JobOptions.queue("media").priority(5).delay(Duration.ofSeconds(10))
 *     .retry(Retry.exponential(Duration.ofSeconds(1)).maxAttempts(5))
 *     .timeout(Duration.ofMinutes(2)).idempotencyKey("a.png@640")
 * }</pre>
 *
 * <p>Immutable; every method returns a copy. Values are checked when the job is enqueued, and all
 * problems are reported together.
 */
public record JobOptions(
    String queue,
    Integer priority,
    Instant runAt,
    Duration delay,
    Retry retry,
    Duration timeout,
    String idempotencyKey,
    List<String> tags,
    String correlationId) {

  /** Lowest allowed priority. */
  public static final int MIN_PRIORITY = -1000;

  /** Highest allowed priority. */
  public static final int MAX_PRIORITY = 1000;

  /** Most tags per job. */
  public static final int MAX_TAGS = 20;

  private static final JobOptions DEFAULTS =
      new JobOptions(null, null, null, null, null, null, null, List.of(), null);

  public JobOptions {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** No options: every value comes from the handler's or the engine's defaults. */
  public static JobOptions defaults() {
    return DEFAULTS;
  }

  /** Options starting with a queue. */
  public static JobOptions queue(String queue) {
    return DEFAULTS.inQueue(queue);
  }

  /** Runs the job in {@code queue} instead of the handler's default queue. */
  public JobOptions inQueue(String queue) {
    return new JobOptions(
        queue, priority, runAt, delay, retry, timeout, idempotencyKey, tags, correlationId);
  }

  /** Higher runs first; jobs of equal priority run in {@code runAt} order. Default 0. */
  public JobOptions priority(int priority) {
    return new JobOptions(
        queue, priority, runAt, delay, retry, timeout, idempotencyKey, tags, correlationId);
  }

  /** Runs no earlier than {@code runAt}. Not combinable with {@link #delay}. */
  public JobOptions runAt(Instant runAt) {
    return new JobOptions(
        queue, priority, runAt, delay, retry, timeout, idempotencyKey, tags, correlationId);
  }

  /** Runs no earlier than {@code delay} after enqueue. Not combinable with {@link #runAt}. */
  public JobOptions delay(Duration delay) {
    return new JobOptions(
        queue, priority, runAt, delay, retry, timeout, idempotencyKey, tags, correlationId);
  }

  /** The retry policy for this job (its data part is stored with the job). */
  public JobOptions retry(Retry retry) {
    return new JobOptions(
        queue, priority, runAt, delay, retry, timeout, idempotencyKey, tags, correlationId);
  }

  /** Each attempt is interrupted and counted as failed after {@code timeout}. */
  public JobOptions timeout(Duration timeout) {
    return new JobOptions(
        queue, priority, runAt, delay, retry, timeout, idempotencyKey, tags, correlationId);
  }

  /** A second enqueue with the same key returns the first job instead of creating another. */
  public JobOptions idempotencyKey(String key) {
    return new JobOptions(queue, priority, runAt, delay, retry, timeout, key, tags, correlationId);
  }

  /** Replaces the job's tags (free-form labels for finding jobs). */
  public JobOptions tags(String... tags) {
    return new JobOptions(
        queue,
        priority,
        runAt,
        delay,
        retry,
        timeout,
        idempotencyKey,
        List.of(tags),
        correlationId);
  }

  /**
   * An id tying this job to the request or process that created it; put in the MDC while it runs.
   */
  public JobOptions correlationId(String id) {
    return new JobOptions(queue, priority, runAt, delay, retry, timeout, idempotencyKey, tags, id);
  }

  /** Every problem with these options, each naming the field and what is allowed. */
  public List<String> problems() {
    var out = new ArrayList<String>();
    if (queue != null && !Names.isQueueName(queue)) {
      out.add("queue '" + queue + "' is invalid: " + Names.QUEUE_RULE);
    }
    if (priority != null && (priority < MIN_PRIORITY || priority > MAX_PRIORITY)) {
      out.add(
          "priority must be between "
              + MIN_PRIORITY
              + " and "
              + MAX_PRIORITY
              + ", was "
              + priority);
    }
    if (runAt != null && delay != null) {
      out.add("runAt and delay are both set; give one of them");
    }
    if (delay != null && delay.isNegative()) {
      out.add("delay must be zero or positive, was " + delay);
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      out.add("timeout must be positive, was " + timeout);
    }
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
      out.add(
          "idempotencyKey must be 1 to 255 characters and not blank, was '" + idempotencyKey + "'");
    }
    if (tags.size() > MAX_TAGS) {
      out.add("tags: at most " + MAX_TAGS + " allowed, got " + tags.size());
    }
    for (String tag : tags) {
      if (tag == null || tag.isBlank() || tag.length() > 100) {
        out.add("tags: each tag must be 1 to 100 characters and not blank, got '" + tag + "'");
      }
    }
    if (correlationId != null && (correlationId.isBlank() || correlationId.length() > 200)) {
      out.add(
          "correlationId must be 1 to 200 characters and not blank, was '" + correlationId + "'");
    }
    if (retry != null) {
      out.addAll(retry.problems("retry"));
      if (retry.hasCode()) {
        out.add(
            "retry: predicates (retryIf/abortIf) and onRetry callbacks cannot be stored with a"
                + " job; declare them in the handler's retry policy or the engine's default retry");
      }
    }
    return out;
  }

  /** Same options with the queue replaced only when unset. */
  JobOptions orQueue(String fallback) {
    return queue != null ? this : inQueue(Objects.requireNonNull(fallback));
  }
}
