package dev.mrkenvelope.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Progress for logs and pipes: one plain line every interval (files, bytes, percentage, rate, ETA)
 * and one when done; never a carriage return or an escape code, so a log file or {@code tee} shows
 * one event per line.
 */
final class LogProgress implements Progress {
  private final String task;
  private final long totalBytes;
  private final long totalFiles;
  private final PrintStream err;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final long startNanos;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong files = new AtomicLong();
  private ScheduledExecutorService timer;

  LogProgress(
      String task,
      long totalBytes,
      long totalFiles,
      PrintStream err,
      long intervalNanos,
      LongSupplier clock) {
    this.task = task;
    this.totalBytes = totalBytes;
    this.totalFiles = totalFiles;
    this.err = err;
    this.intervalNanos = Math.max(intervalNanos, 1_000_000);
    this.clock = clock;
    this.startNanos = clock.getAsLong();
  }

  LogProgress start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mrk-envelope-progress");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::report, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    return this;
  }

  @Override
  public void addBytes(long n) {
    bytes.addAndGet(n);
  }

  @Override
  public void fileDone() {
    files.incrementAndGet();
  }

  @Override
  public synchronized void println(String line) {
    err.println(line);
  }

  /** Prints one progress line now. */
  synchronized void report() {
    err.println(line(false));
  }

  /**
   * The line for the current state, e.g. {@code encrypt: 3/10 files, 12.0/40.0 MiB (30%), 4.0
   * MiB/s, ETA 7s}.
   */
  String line(boolean done) {
    long b = bytes.get();
    double seconds = Math.max(1e-9, (clock.getAsLong() - startNanos) / 1e9);
    double rate = b / seconds;
    StringBuilder sb = new StringBuilder(task).append(done ? " done: " : ": ");
    sb.append(files.get());
    if (totalFiles >= 0) {
      sb.append('/').append(totalFiles);
    }
    sb.append(" files, ").append(mib(b));
    if (totalBytes > 0) {
      sb.append('/')
          .append(mib(totalBytes))
          .append(" MiB")
          .append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, b * 100 / totalBytes)));
    } else {
      sb.append(" MiB");
    }
    sb.append(", ").append(mib((long) rate)).append(" MiB/s");
    if (!done && totalBytes > 0 && rate > 0 && b < totalBytes) {
      sb.append(", ETA ").append(Math.round((totalBytes - b) / rate)).append('s');
    } else if (done) {
      sb.append(String.format(Locale.ROOT, ", %.1fs", seconds));
    }
    return sb.toString();
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 20));
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    err.println(line(true));
  }
}
