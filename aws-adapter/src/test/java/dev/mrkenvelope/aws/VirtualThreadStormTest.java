package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.conventions.Jdks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * 10,000 decrypts on virtual threads, 2,000 in flight, with the preferred Region blackholed and the
 * default router settings all succeed, and JFR sees no virtual thread pinned by this library's code
 * for 20 ms or more (JFR's default threshold for the event; every pin is printed): a pinned event
 * counts against the library when the first frame outside the JDK is one of ours (a pin inside the
 * AWS SDK, below our frames, is the SDK's; pinning while the JDK loads or initialises a class is
 * the JDK's). The build runs on Java 17, so the storm runs in a child JVM of Java 21 or later
 * ({@link VirtualThreadStorm}): {@code -Dmrkenvelope.jdk21.java=/path/to/bin/java}, else the first
 * JDK 21+ under {@code /usr/lib/jvm}; skipped, saying why, without one.
 *
 * <p>Sizes: {@code -Dmrkenvelope.storm.calls=N -Dmrkenvelope.storm.inFlight=M}. 2,000 calls in
 * flight pass because the router admits at most {@code maxConcurrentAttemptsPerRegion} requests per
 * Region and queues the rest on the call timeout. Each call still waits about (in flight) /
 * (decrypts per second) for its turn: the child measures that capacity first (warm JVM, both
 * Regions healthy; about 1,500/s on 2 idle CPUs, about 1,000/s with half of them taken by other
 * work) and skips, saying why, when the queue alone would take more than half the call timeout.
 */
class VirtualThreadStormTest {
  static final int CALLS = Integer.getInteger("mrkenvelope.storm.calls", 10_000);
  static final int IN_FLIGHT = Integer.getInteger("mrkenvelope.storm.inFlight", 2_000);

  /** Pins at least this long, with our code first outside the JDK, fail the test. */
  static final double PIN_THRESHOLD_MILLIS = 20;

  @Test
  void tenThousandVirtualThreads_preferredBlackholed_allSucceed_noPinningInLibrary()
      throws Exception {
    Optional<Path> java = Jdks.java21();
    Assumptions.assumeTrue(
        java.isPresent(),
        "skipped: no JDK 21+ found for the virtual-thread storm; " + Jdks.HOW_TO_SET);
    List<String> command = new ArrayList<>();
    command.add(java.get().toString());
    command.add("-Xmx768m");
    Path recording = Files.createTempFile("storm", ".jfr");
    command.add(
        "-XX:StartFlightRecording=filename="
            + recording
            + ",jdk.VirtualThreadPinned#threshold=0ms");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(VirtualThreadStorm.class.getName());
    command.add(Integer.toString(CALLS));
    command.add(Integer.toString(IN_FLIGHT));
    Path log = Files.createTempFile("storm", ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(6, TimeUnit.MINUTES); // a hang guard only
    if (!ended) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    System.out.println(
        out.lines().filter(l -> !l.startsWith("\t")).limit(40).reduce("", (a, b) -> a + b + "\n"));
    assertThat(ended).as("the storm ended").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Optional<String> skip = out.lines().filter(l -> l.startsWith("SKIP ")).findFirst();
    if (skip.isPresent()) {
      Files.deleteIfExists(recording);
      Assumptions.abort("skipped: " + skip.get());
    }
    String result = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("");
    assertThat(result).as(out).contains("calls=" + CALLS).contains(" failed=0 ");

    // Every pinned virtual thread, with its stack; none may show a frame of this library.
    Path jfr = java.get().resolveSibling("jfr");
    Process print =
        new ProcessBuilder(
                jfr.toString(),
                "print",
                "--events",
                "jdk.VirtualThreadPinned",
                "--stack-depth",
                "64",
                recording.toString())
            .redirectErrorStream(true)
            .start();
    String events = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(print.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(print.exitValue()).as(events).isZero();
    Files.deleteIfExists(recording);
    long pinned = events.lines().filter(l -> l.startsWith("jdk.VirtualThreadPinned")).count();
    System.out.println("jdk.VirtualThreadPinned events: " + pinned);
    System.out.println(events);
    for (String event : events.split("(?m)^jdk\\.VirtualThreadPinned")) {
      boolean classLoading =
          event.contains("initialization of") || event.contains("ClassLoader.loadClass");
      // JFR's own default configuration reports pins from 20 ms; shorter contended-monitor
      // hand-offs (seen here: two of 0.1-0.3 ms in 10,000 calls) are printed above, not failed.
      if (!classLoading && durationMillis(event) >= PIN_THRESHOLD_MILLIS) {
        assertThat(firstFrameOutsideTheJdk(event))
            .as("a virtual thread pinned in this library:%n%s", event)
            .doesNotStartWith("dev.mrkenvelope.");
      }
    }
  }

  /** The duration of a printed JFR event in milliseconds, or 0 when it has none. */
  static double durationMillis(String event) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("duration = ([0-9.,]+) (ns|us|ms|s)\\b").matcher(event);
    if (!m.find()) {
      return 0;
    }
    double v = Double.parseDouble(m.group(1).replace(",", ""));
    switch (m.group(2)) {
      case "ns":
        return v / 1e6;
      case "us":
        return v / 1e3;
      case "s":
        return v * 1e3;
      default:
        return v;
    }
  }

  /** The first stack frame of a printed JFR event that is not the JDK's own, or "". */
  static String firstFrameOutsideTheJdk(String event) {
    boolean inStack = false;
    for (String line : event.split("\n")) {
      String t = line.trim();
      if (t.startsWith("stackTrace = [")) {
        inStack = true;
      } else if (inStack && !t.isEmpty() && !t.startsWith("]")) {
        if (!(t.startsWith("java.") || t.startsWith("jdk.") || t.startsWith("sun."))) {
          return t;
        }
      }
    }
    return "";
  }
}
