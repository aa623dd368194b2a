package dev.mrkenvelope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The two renderings, deterministically: the bar (me.tongfei:progressbar, through a fixed-width
 * console consumer as on a dumb terminal) redraws one line with carriage returns; the log rendering
 * writes whole lines with no control characters at all.
 */
class ProgressRenderingTest {
  @Test
  void bar_redrawsOneLineWithPercentBytesRateEtaAndFiles() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(sink, true, StandardCharsets.UTF_8);
    BarProgress bar = BarProgress.start("encrypt", 10L << 20, 4, err, 100);
    bar.addBytes(5L << 20);
    bar.fileDone();
    bar.fileDone();
    bar.close();
    String out = sink.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("\r")
        .contains("encrypt")
        .contains("%")
        .contains("MiB")
        .contains("2/4 files");
    assertThat(out).containsPattern("5/10 ?MiB");
    assertThat(out)
        .containsPattern(
            "\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\)|\\(\\d+:\\d\\d:\\d\\d / \\?\\)");
  }

  @Test
  void log_linesCarryFilesBytesRateAndEta_withoutControlCharacters() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(sink, true, StandardCharsets.UTF_8);
    AtomicLong now = new AtomicLong();
    LogProgress log = new LogProgress("migrate", 40L << 20, 10, err, 1_000_000_000L, now::get);
    now.set(3_000_000_000L);
    log.addBytes(12L << 20);
    log.fileDone();
    log.fileDone();
    log.fileDone();
    log.report();
    now.set(10_000_000_000L);
    log.addBytes(28L << 20);
    log.close();
    String out = sink.toString(StandardCharsets.UTF_8);
    assertThat(out.lines())
        .containsExactly(
            "migrate: 3/10 files, 12.0/40.0 MiB (30%), 4.0 MiB/s, ETA 7s",
            "migrate done: 3/10 files, 40.0/40.0 MiB (100%), 4.0 MiB/s, 10.0s");
    assertThat(out.chars()).noneMatch(c -> c == '\r' || c == 0x1B);
  }
}
