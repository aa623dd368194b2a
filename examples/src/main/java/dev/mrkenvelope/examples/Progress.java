package dev.mrkenvelope.examples;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A live progress line, redrawn in place, with events printed above it. */
final class Progress {
  private final PrintStream out;
  private final DrFailover.Workload w;
  private final Lab lab;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
      });

  Progress(PrintStream out, DrFailover.Workload w, Lab lab) {
    this.out = out;
    this.w = w;
    this.lab = lab;
  }

  void start() {
    timer.scheduleAtFixedRate(this::draw, 0, 200, TimeUnit.MILLISECONDS);
  }

  synchronized void event(String text) {
    out.print("\r\033[K");
    out.println("  >> " + text);
    draw();
  }

  synchronized void draw() {
    int done = w.done.get();
    int width = 30;
    int filled = w.messages == 0 ? width : done * width / w.messages;
    out.print("\r\033[K  [" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
        + done + "/" + w.messages + " messages, " + w.failures.get() + " failures | KMS requests "
        + regionCounts());
    out.flush();
  }

  private String regionCounts() {
    StringBuilder sb = new StringBuilder();
    for (String r : lab.kms.regions()) {
      sb.append(r).append('=').append(lab.kms.requestCount(r)).append(' ');
    }
    return sb.toString().trim();
  }

  void stop() {
    timer.shutdownNow();
    draw();
    out.println();
  }
}
