package dev.mrkenvelope.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar (me.tongfei:progressbar, which sizes itself through JLine): percentage,
 * bytes in MiB, rate, ETA, and files done as the extra message.
 */
final class BarProgress implements Progress {
  private final ProgressBar bar;
  private final ConsoleProgressBarConsumer consumer;
  private final PrintStream err;
  private final long totalFiles;
  private final AtomicLong files = new AtomicLong();

  private BarProgress(
      ProgressBar bar, ConsoleProgressBarConsumer consumer, PrintStream err, long totalFiles) {
    this.bar = bar;
    this.consumer = consumer;
    this.err = err;
    this.totalFiles = totalFiles;
  }

  /**
   * @param width the rendered width, or -1 to ask the terminal
   */
  static BarProgress start(
      String task, long totalBytes, long totalFiles, PrintStream err, int width) {
    ConsoleProgressBarConsumer consumer =
        width > 0
            ? new ConsoleProgressBarConsumer(err, width)
            : new ConsoleProgressBarConsumer(err);
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(totalBytes)
            .setUnit("MiB", 1L << 20)
            .showSpeed()
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .setConsumer(consumer)
            .build();
    BarProgress p = new BarProgress(bar, consumer, err, totalFiles);
    p.bar.setExtraMessage(p.filesMessage());
    return p;
  }

  private String filesMessage() {
    return files.get() + "/" + (totalFiles < 0 ? "?" : totalFiles) + " files";
  }

  @Override
  public void addBytes(long n) {
    bar.stepBy(n);
  }

  @Override
  public void fileDone() {
    files.incrementAndGet();
    bar.setExtraMessage(filesMessage());
  }

  @Override
  public synchronized void println(String line) {
    // Overwrite the bar's row with the line (padded over the bar); the bar redraws below it on
    // its next tick.
    err.print('\r');
    err.println(line + " ".repeat(Math.max(0, consumer.getMaxRenderedLength() - line.length())));
  }

  @Override
  public void close() {
    bar.close();
  }
}
