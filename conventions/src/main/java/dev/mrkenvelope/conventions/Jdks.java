package dev.mrkenvelope.conventions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a newer JDK for tests that need one. The build and the library stay on Java 17; a test of
 * behaviour on virtual threads runs them in a child JVM of Java 21 or later, and skips, saying why,
 * where none is found.
 *
 * <p>Stateless and thread-safe.
 */
public final class Jdks {
  /** The first Java release with virtual threads. */
  public static final int FIRST_VIRTUAL_THREAD_RELEASE = 21;

  /** What a skipped test tells the reader to do. */
  public static final String HOW_TO_SET =
      "set -Dmrkenvelope.jdk21.java=/path/to/jdk-21+/bin/java to run it";

  private Jdks() {}

  /**
   * A {@code java} launcher of release 21 or later: the {@code mrkenvelope.jdk21.java} system
   * property, else this JVM if it is one, else the first JDK 21+ under {@code /usr/lib/jvm}.
   */
  public static Optional<Path> java21() throws IOException {
    String configured = System.getProperty("mrkenvelope.jdk21.java");
    if (configured != null && !configured.isEmpty()) {
      return Optional.of(Path.of(configured));
    }
    if (Runtime.version().feature() >= FIRST_VIRTUAL_THREAD_RELEASE) {
      return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes
          .sorted()
          .filter(h -> release(h) >= FIRST_VIRTUAL_THREAD_RELEASE)
          .map(h -> h.resolve("bin").resolve("java"))
          .filter(Files::isExecutable)
          .findFirst();
    }
  }

  /** The feature release in a JDK's {@code release} file, or 0. */
  static int release(Path home) {
    Path release = home.resolve("release");
    try {
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(v.split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
