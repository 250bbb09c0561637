package io.taskmill.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** What the CLI can tell about where its output goes. */
final class Terminal {
  private Terminal() {}

  /**
   * True when standard output is an interactive terminal, so a progress line may be rewritten in
   * place. {@code System.console()} alone is not enough on JDK 22+, where it exists even when
   * output is piped; there {@code Console.isTerminal()} (looked up reflectively, as we compile for
   * 21) answers.
   */
  static boolean isInteractive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    String term = System.getenv("TERM");
    if ("dumb".equals(term)) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only for a terminal
    }
  }
}
