package dev.mrkenvelope.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.conventions.Jdks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Reusable} on real virtual threads, in a child JVM of Java 21 or later ({@link
 * ReusableOnVirtualThreads}; skipped, saying why, without one): it sees that it runs on a virtual
 * thread, 20,000 virtual threads share a handful of objects instead of making one each (a
 * per-thread cache would make 20,000) and never hold the same one at once, and 2,000 round trips of
 * the library on virtual threads all decrypt to what was encrypted.
 */
class ReusableOnVirtualThreadsTest {

  @Test
  void onVirtualThreads_objectsAreShared_neverHeldTwice_andTheLibraryRoundTrips() throws Exception {
    Optional<Path> java = Jdks.java21();
    Assumptions.assumeTrue(
        java.isPresent(),
        "skipped: no JDK 21+ found for the virtual-thread run; " + Jdks.HOW_TO_SET);
    Path log = Files.createTempFile("reusable-virtual", ".log");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.get().toString(),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ReusableOnVirtualThreads.class.getName()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean ended = p.waitFor(3, TimeUnit.MINUTES); // a hang guard only
    if (!ended) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertThat(ended).as("the child JVM ended").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String result = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("");
    System.out.println(result);
    assertThat(result)
        .as(out)
        .contains("virtualDetected=true")
        .contains("platformDetected=false")
        .contains(" shared=0 ")
        .contains(" wrong=0 ")
        .contains(" failed=0");
    int made = field(result, "made");
    int tasks = field(result, "tasks");
    // A slot per few CPUs plus what concurrent holders make when their slot is empty: far below
    // one per task.
    assertThat(made).as(result).isPositive().isLessThan(tasks / 20);
  }

  private static int field(String line, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(line);
    assertThat(m.find()).as("%s in %s", name, line).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
