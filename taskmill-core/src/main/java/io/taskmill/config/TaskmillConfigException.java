package io.taskmill.config;

import java.util.List;

/** {@code start()} refused the configuration; lists every problem, not just the first. */
public class TaskmillConfigException extends IllegalStateException {
  private final List<String> problems;

  public TaskmillConfigException(List<String> problems) {
    super(
        "Taskmill cannot start, "
            + problems.size()
            + " configuration problem"
            + (problems.size() == 1 ? "" : "s")
            + ":\n  - "
            + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem on its own. */
  public List<String> problems() {
    return problems;
  }
}
