package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * 10,000 decrypts on virtual threads (at most 2,000 in flight) through {@code AwsKmsMrkKeyring}
 * and a {@link KmsRouter} with default settings, against kms-local with the preferred Region
 * blackholed, in a JDK 21+ child JVM recording JFR {@code jdk.VirtualThreadPinned}: every decrypt
 * must succeed through the healthy Region and no pinned event may have a library frame. The child
 * ({@link VirtualThreadStorm}) also measures healthy throughput on virtual threads against a
 * 64-thread pool and prints it (not asserted: shared machines are noisy).
 *
 * <p>The main build runs on JDK 17, which has no virtual threads, so the test looks for a JDK 21+:
 * the system property or environment variable {@code MRKENVELOPE_JDK21_HOME}, else the newest
 * JDK 21+ under {@code /usr/lib/jvm}. Where none exists the test is skipped, saying so.
 */
class VirtualThreadStormTest {

  @Test
  void tenThousandVirtualThreadDecrypts_preferredRegionBlackholed_allSucceedWithoutLibraryPinning()
      throws Exception {
    Optional<Path> java = jdk21Java();
    assumeTrue(
        java.isPresent(),
        "no JDK 21+ found (set MRKENVELOPE_JDK21_HOME or install one under /usr/lib/jvm);"
            + " the virtual-thread storm needs one and is skipped");
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path jfr = Files.createTempFile("storm", ".jfr");
    List<String> command =
        List.of(
            java.get().toString(),
            "-Xmx512m",
            "-XX:StartFlightRecording:jdk.VirtualThreadPinned#enabled=true,"
                + "jdk.VirtualThreadPinned#threshold=0ms,jdk.VirtualThreadPinned#stackTrace=true,"
                + "filename="
                + jfr,
            "-cp",
            classPath,
            VirtualThreadStorm.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, String> result = new HashMap<>();
    List<String> output = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        System.out.println("[storm child] " + line);
        output.add(line);
        if (line.startsWith("RESULT ")) {
          for (String kv : line.substring(7).split(" ")) {
            String[] parts = kv.split("=", 2);
            result.put(parts[0], parts[1]);
          }
        }
      }
    }
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the storm child JVM did not finish in 5 minutes");
    }
    assertThat(p.exitValue()).as("child exit code; output: %s", output).isZero();
    List<String> pinned = pinnedEvents(java.get(), jfr);
    Files.deleteIfExists(jfr);
    assertThat(result).as("child output: %s", output).containsKey("decrypts");
    assertThat(Integer.parseInt(result.get("decrypts"))).isEqualTo(VirtualThreadStorm.DECRYPTS);
    assertThat(Integer.parseInt(result.get("failed")))
        .as("failed decrypts; first failure: %s", result.get("firstFailure"))
        .isZero();
    assertThat(Integer.parseInt(result.get("succeeded"))).isEqualTo(VirtualThreadStorm.DECRYPTS);
    assertThat(Integer.parseInt(result.get("healthyFailures")))
        .as("failed decrypts while both Regions were healthy")
        .isZero();
    assertThat(Integer.parseInt(result.get("maxInFlight")))
        .isLessThanOrEqualTo(VirtualThreadStorm.MAX_IN_FLIGHT);
    assertThat(Long.parseLong(result.get("blackholedRequests")))
        .as("the preferred Region really was tried while blackholed")
        .isPositive();
    System.out.println("[storm] jdk.VirtualThreadPinned events: " + pinned.size());
    assertThat(pinned)
        .as("jdk.VirtualThreadPinned events with a dev.mrkenvelope frame")
        .noneMatch(event -> event.contains("dev.mrkenvelope."));
  }

  /** Every jdk.VirtualThreadPinned event of the recording, as the JDK's jfr tool prints it. */
  private static List<String> pinnedEvents(Path java, Path jfr) throws Exception {
    Path tool = java.resolveSibling("jfr");
    Process p =
        new ProcessBuilder(
                tool.toString(), "print", "--events", "jdk.VirtualThreadPinned",
                "--stack-depth", "64", jfr.toString())
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError("jfr print failed: " + text);
    }
    List<String> events = new ArrayList<>();
    for (String chunk : text.split("(?m)^jdk\\.VirtualThreadPinned \\{")) {
      if (!chunk.isBlank()) {
        events.add(chunk);
      }
    }
    // The first chunk is whatever precedes the first event (nothing, normally).
    if (!text.startsWith("jdk.VirtualThreadPinned") && !events.isEmpty()) {
      events.remove(0);
    }
    return events;
  }

  /** A JDK 21+ {@code bin/java}: the configured home, else the newest under /usr/lib/jvm. */
  static Optional<Path> jdk21Java() throws IOException {
    String configured = System.getProperty("MRKENVELOPE_JDK21_HOME", System.getenv("MRKENVELOPE_JDK21_HOME"));
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Paths.get(configured, "bin", "java")).filter(Files::isExecutable);
    }
    Path jvms = Paths.get("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    Path best = null;
    int bestVersion = 0;
    try (Stream<Path> homes = Files.list(jvms)) {
      for (Path home : (Iterable<Path>) homes::iterator) {
        int v = featureVersion(home);
        if (v >= 21 && v > bestVersion && Files.isExecutable(home.resolve("bin/java"))) {
          best = home.resolve("bin/java");
          bestVersion = v;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The feature version from a JDK's {@code release} file, or 0. */
  private static int featureVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(release)) {
      p.load(in);
    } catch (IOException e) {
      return 0;
    }
    String v = p.getProperty("JAVA_VERSION", "").replace("\"", "");
    try {
      return Integer.parseInt(v.split("[.+-]")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
