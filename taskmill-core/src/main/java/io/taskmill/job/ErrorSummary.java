package io.taskmill.job;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * What went wrong in an attempt, as text: never the exception object, so nothing is deserialized.
 *
 * @param type the exception's class name
 * @param message its message, possibly empty
 * @param stackTrace the stack trace, truncated to {@link #MAX_STACK_CHARS}
 */
public record ErrorSummary(String type, String message, String stackTrace) {
  /** Longest stack trace kept per error. */
  public static final int MAX_STACK_CHARS = 8_000;

  /** Summarizes {@code t}, truncating what would bloat the job row. */
  public static ErrorSummary of(Throwable t) {
    var out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    String stack = out.toString();
    if (stack.length() > MAX_STACK_CHARS) {
      stack = stack.substring(0, MAX_STACK_CHARS) + "\n\t... (truncated)";
    }
    return new ErrorSummary(
        t.getClass().getName(), t.getMessage() == null ? "" : t.getMessage(), stack);
  }

  /** A summary for failures the engine itself detects (timeouts, lost leases). */
  public static ErrorSummary of(String type, String message) {
    return new ErrorSummary(type, message, "");
  }

  /** One line: {@code type: message}. */
  public String headline() {
    String line = message.isEmpty() ? type : type + ": " + message;
    return line.length() > 500 ? line.substring(0, 500) + "…" : line;
  }
}
