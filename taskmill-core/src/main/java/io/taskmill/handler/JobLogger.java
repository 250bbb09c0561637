package io.taskmill.handler;

/**
 * Logs for one running job, with SLF4J's {@code {}} placeholders; a trailing {@link Throwable}
 * argument is logged as the error.
 */
public interface JobLogger {
  /** Logs at DEBUG. */
  void debug(String format, Object... args);

  /** Logs at INFO. */
  void info(String format, Object... args);

  /** Logs at WARN. */
  void warn(String format, Object... args);

  /** Logs at ERROR. */
  void error(String format, Object... args);
}
