package io.taskmill.workflow;

import io.taskmill.job.Retry;
import java.time.Duration;
import java.util.List;

/**
 * Runs a handler once per element of a list in the context, at most {@code maxParallel} at a time,
 * and joins them: the step is done when all have succeeded, or {@code quorum} of them; its result
 * is the list of their results in the order of the items.
 *
 * @param items where the list is in the context
 * @param maxParallel how many of its jobs may run at once
 * @param quorum how many must succeed for the step to be done; null: all of them
 * @param compensation the job type that undoes one item's work when a compensating run unwinds;
 *     null: nothing to undo
 */
public record FanOutStep(
    String id,
    String type,
    List<String> dependsOn,
    Condition when,
    ContextPath items,
    int maxParallel,
    Integer quorum,
    String queue,
    Retry retry,
    Duration timeout,
    String compensation)
    implements Step {
  /** How many of a fan-out's jobs run at once unless the definition says. */
  public static final int DEFAULT_MAX_PARALLEL = 10;

  public FanOutStep {
    dependsOn = List.copyOf(dependsOn);
  }

  @Override
  public String kind() {
    return "fanOut";
  }
}
