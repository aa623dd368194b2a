package dev.mrkenvelope.examples;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The demo's progress, rendered as the {@code mrk-envelope} command line renders it: on a terminal
 * a progress bar (me.tongfei:progressbar) with the failures and KMS requests per region beside it;
 * piped to a file or {@code tee}, a plain line every second, with no carriage returns or escape
 * codes. Events always get a line of their own.
 */
final class Progress {
  private final PrintStream out;
  private final DrFailover.Workload w;
  private final Lab lab;
  private final boolean terminal;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
          });
  private ProgressBar bar;

  Progress(PrintStream out, DrFailover.Workload w, Lab lab) {
    this(out, w, lab, out == System.out && System.console() != null);
  }

  Progress(PrintStream out, DrFailover.Workload w, Lab lab, boolean terminal) {
    this.out = out;
    this.w = w;
    this.lab = lab;
    this.terminal = terminal;
  }

  void start() {
    if (terminal) {
      bar =
          new ProgressBarBuilder()
              .setTaskName("messages")
              .setInitialMax(w.messages)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(200)
              .setConsumer(new ConsoleProgressBarConsumer(out))
              .build();
      timer.scheduleAtFixedRate(this::update, 0, 200, TimeUnit.MILLISECONDS);
    } else {
      timer.scheduleAtFixedRate(this::line, 1, 1, TimeUnit.SECONDS);
    }
  }

  synchronized void event(String text) {
    if (terminal) {
      // Overwrite the bar's row with the event; the bar redraws below on its next tick.
      out.print("\r");
      out.println(String.format("  >> %-100s", text));
    } else {
      out.println("  >> " + text);
    }
  }

  private synchronized void update() {
    bar.stepTo(w.done.get());
    bar.setExtraMessage(status());
  }

  private synchronized void line() {
    out.println("  " + w.done.get() + "/" + w.messages + " messages, " + status());
  }

  private String status() {
    StringBuilder sb =
        new StringBuilder().append(w.failures.get()).append(" failures | KMS requests");
    for (String r : lab.kms.regions()) {
      sb.append(' ').append(r).append('=').append(lab.kms.requestCount(r));
    }
    return sb.toString();
  }

  void stop() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (terminal) {
      update();
      bar.close();
    } else {
      line();
    }
  }
}
