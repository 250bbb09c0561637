package io.taskmill.workflow;

import java.time.Duration;
import java.util.List;

/**
 * Parks the run on a bookmark until what it waits for arrives: a signal, a timer or an approval.
 *
 * @param timeout how long it waits at most; null: for ever
 * @param onTimeout what a timeout does: fail the step, or go on as if it had arrived empty
 */
public record WaitStep(
    String id,
    List<String> dependsOn,
    Condition when,
    WaitFor waitFor,
    Duration timeout,
    TimeoutOutcome onTimeout)
    implements Step {
  public WaitStep {
    dependsOn = List.copyOf(dependsOn);
    onTimeout = onTimeout == null ? TimeoutOutcome.FAIL : onTimeout;
  }

  @Override
  public String kind() {
    return "wait";
  }

  /** What a wait's timeout does. */
  public enum TimeoutOutcome {
    /** The step fails, and the run handles it as any failed step. */
    FAIL,
    /** The step is done with an empty result, and the run goes on. */
    CONTINUE
  }

  /** What a wait step waits for. */
  public sealed interface WaitFor {
    /**
     * A signal of this name; with a correlation, only one that carries the key found at that path
     * of the context when the wait begins. Its payload is merged into the context.
     */
    record Signal(String name, ContextPath correlation) implements WaitFor {}

    /** A timer that fires {@code delay} after the wait begins. */
    record Timer(Duration delay) implements WaitFor {}

    /** An operator's approve or reject, with who and a comment. */
    record Approval() implements WaitFor {}
  }
}
