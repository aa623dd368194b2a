package dev.mrkenvelope.cli;

import java.io.PrintStream;

/**
 * Progress of a command over files and bytes, shown as a bar on a terminal ({@link BarProgress}),
 * as periodic log lines otherwise ({@link LogProgress}), or not at all. Thread-safe: workers report
 * from any thread.
 */
interface Progress extends AutoCloseable {
  /** Bytes of input processed. */
  void addBytes(long n);

  /** One file finished (successfully or not). */
  void fileDone();

  /** Prints a line without garbling the bar. */
  void println(String line);

  @Override
  void close();

  /**
   * Chooses the rendering: nothing when quiet or asked, a bar when asked or (auto) when the process
   * has a terminal, log lines otherwise.
   */
  static Progress create(
      GlobalOptions g, String task, long totalBytes, long totalFiles, PrintStream err) {
    ProgressMode mode = g.quiet ? ProgressMode.NONE : g.progress;
    if (mode == ProgressMode.AUTO) {
      mode = onTerminal() ? ProgressMode.BAR : ProgressMode.LOG;
    }
    return switch (mode) {
      case BAR -> BarProgress.start(task, totalBytes, totalFiles, err, -1);
      case LOG ->
          new LogProgress(
                  task,
                  totalBytes,
                  totalFiles,
                  err,
                  (long) (g.progressIntervalSeconds * 1e9),
                  System::nanoTime)
              .start();
      default -> new NoProgress(err);
    };
  }

  /**
   * True when standard input and output are a terminal. On JDK 22 and later {@code
   * System.console()} exists even when redirected, so ask {@code Console.isTerminal()} there.
   */
  private static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 17-21: a console exists only on a terminal
    }
  }

  /** Shows nothing but the lines a command prints. */
  final class NoProgress implements Progress {
    private final PrintStream err;

    NoProgress(PrintStream err) {
      this.err = err;
    }

    @Override
    public void addBytes(long n) {}

    @Override
    public void fileDone() {}

    @Override
    public synchronized void println(String line) {
      err.println(line);
    }

    @Override
    public void close() {}
  }
}
