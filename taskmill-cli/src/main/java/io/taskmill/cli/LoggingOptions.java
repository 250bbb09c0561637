package io.taskmill.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --verbose}, mixed into the top-level command and {@code demo}: Taskmill logs at WARN by
 * default (see {@code logback.xml}) and at INFO with this flag. Applied as soon as it is parsed,
 * before the command starts an engine.
 */
public final class LoggingOptions {
  private static volatile boolean verbose;
  private static Level configured;
  private static boolean remembered;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log what Taskmill does (INFO) to stderr.")
  void setVerbose(boolean on) {
    apply(on);
  }

  private static synchronized void apply(boolean on) {
    Logger taskmill = (Logger) LoggerFactory.getLogger("io.taskmill");
    if (on) {
      if (!remembered) {
        configured = taskmill.getLevel();
        remembered = true;
      }
      verbose = true;
      Level now = taskmill.getEffectiveLevel();
      if (!now.isGreaterOrEqual(Level.INFO) || now == Level.INFO) {
        return; // already INFO or more detailed (TASKMILL_LOG_LEVEL=DEBUG)
      }
      taskmill.setLevel(Level.INFO);
    } else if (verbose) {
      // A new command line in the same JVM (tests) starts quiet again.
      verbose = false;
      taskmill.setLevel(configured);
    }
  }

  /**
   * Unless {@code --verbose}, silences the job loggers ({@code io.taskmill.job.*}: lines handlers
   * write through {@code ctx.log()} and the engine's notes on failed attempts) below ERROR until
   * the returned handle is closed. For commands that show those lines themselves, like the demo.
   */
  public static AutoCloseable quietJobLogs() {
    if (verbose) {
      return () -> {};
    }
    Logger jobs = (Logger) LoggerFactory.getLogger("io.taskmill.job");
    Level before = jobs.getLevel();
    jobs.setLevel(Level.ERROR);
    return () -> jobs.setLevel(before);
  }

  /** True once {@code --verbose} was given on the current command line. */
  public static boolean isVerbose() {
    return verbose;
  }
}
