package dev.mrkenvelope.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The {@code mrk-envelope} command line: {@code java -jar mrk-envelope.jar <command> …}. Exit
 * codes: 0 success, 1 failures or findings, 2 usage errors.
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line without exiting; returns the exit code. */
  static int execute(String... args) {
    CommandLine cl = commandLine();
    return cl.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new MrkEnvelopeCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          Object command = commandLine.getCommand();
          boolean debug = command instanceof HasGlobals g && g.globals().debug;
          PrintWriter err = commandLine.getErr();
          if (e instanceof UsageException) {
            err.println("mrk-envelope: usage: " + e.getMessage());
            err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCodes.USAGE;
          }
          err.println(Errors.describe(e));
          if (debug) {
            e.printStackTrace(err);
          }
          err.flush();
          return ExitCodes.FAILURE;
        });
    return cl;
  }
}
