package io.taskmill.workflow;

import java.util.List;

/**
 * A workflow definition that cannot be registered, with every problem found, each naming its step.
 */
public final class InvalidWorkflowException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidWorkflowException(List<String> problems) {
    super(
        problems.size() == 1
            ? problems.getFirst()
            : problems.size() + " problems: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, naming the step (or the field) it is about. */
  public List<String> problems() {
    return problems;
  }
}
