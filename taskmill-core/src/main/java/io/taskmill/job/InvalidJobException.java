package io.taskmill.job;

import java.util.List;

/** An enqueue was refused: every problem is listed, each naming the field and what is allowed. */
public class InvalidJobException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidJobException(String type, List<String> problems) {
    super("cannot enqueue job of type '" + type + "': " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem on its own. */
  public List<String> problems() {
    return problems;
  }
}
