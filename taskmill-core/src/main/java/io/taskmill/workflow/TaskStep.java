package io.taskmill.workflow;

import io.taskmill.job.Retry;
import java.time.Duration;
import java.util.List;

/**
 * Runs a handler as one job, with the step's own retry policy, timeout and queue.
 *
 * @param type the handler's job type
 * @param input where in the context the job's payload is; null: the whole context
 * @param queue null: the handler's queue
 * @param retry null: the handler's policy
 * @param timeout null: the handler's timeout
 * @param compensation the job type that undoes this step when a compensating run unwinds; null:
 *     nothing to undo
 */
public record TaskStep(
    String id,
    String type,
    List<String> dependsOn,
    Condition when,
    ContextPath input,
    String queue,
    Retry retry,
    Duration timeout,
    String compensation)
    implements Step {
  public TaskStep {
    dependsOn = List.copyOf(dependsOn);
  }

  @Override
  public String kind() {
    return "task";
  }
}
