package io.taskmill.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code taskmill} command. Each subcommand is its own class, registered in {@link
 * #SUBCOMMANDS} ({@code server} and {@code demo} today); a new one is added the same way.
 */
@Command(
    name = "taskmill",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Taskmill: durable background jobs for the JVM.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {ServerCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Run 'taskmill help COMMAND' for a command's options."})
public final class TaskmillCli implements Runnable {
  /** Exit code when a command ran but its outcome was not what was expected. */
  public static final int EXIT_FAILED = 1;

  /** Exit code for bad usage (picocli's default). */
  public static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  @Mixin LoggingOptions logging;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A fresh command line with Taskmill's error handling; tests set its out and err writers. */
  public static CommandLine newCommandLine() {
    var cli = new CommandLine(new TaskmillCli());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
          err.println(commandLine.getColorScheme().errorText("taskmill: " + message));
          if (LoggingOptions.isVerbose()) {
            ex.printStackTrace(err);
          } else {
            err.println("(run with --verbose for the stack trace)");
          }
          err.flush();
          return EXIT_FAILED;
        });
    return cli;
  }

  @Override
  public void run() {
    // No command given: show what there is.
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
