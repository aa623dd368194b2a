package dev.mrkenvelope.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the BENCHMARKS.md format: a small synthetic JMH JSON (every section, a missing ACCP case,
 * NaN errors, a histogram, a streaming parameter) must render to the committed expected report.
 * Only the two lines that describe the machine running the test (date, CPUs and RAM) are dropped
 * before comparing.
 */
class ReportTest {

  @TempDir Path dir;

  @Test
  void syntheticJmhResults_renderTheCommittedReport() throws IOException, URISyntaxException {
    Path out = dir.resolve("BENCHMARKS.md");
    Report.main(
        new String[] {
          resource("jmh-result.json").toString(),
          out.toString(),
          "--load-before",
          "0.10 0.20 0.30",
          "--load-after",
          "1.50 1.00 0.50",
          "--wall-seconds",
          "733",
          "--revision",
          "abc1234",
          "--notes",
          resource("notes.md").toString()
        });

    assertThat(withoutHostLines(Files.readString(out, StandardCharsets.UTF_8)))
        .isEqualTo(Files.readString(resource("expected.md"), StandardCharsets.UTF_8));
  }

  private static String withoutHostLines(String md) {
    List<String> kept =
        md.lines()
            .filter(l -> !l.startsWith("| Date (UTC) |") && !l.startsWith("| Machine |"))
            .collect(Collectors.toList());
    return String.join("\n", kept) + "\n";
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ReportTest.class.getResource("/report/" + name).toURI());
  }
}
