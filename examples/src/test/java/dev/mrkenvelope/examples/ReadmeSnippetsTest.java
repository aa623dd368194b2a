package dev.mrkenvelope.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in the README is the text of compiled, tested code: a block is announced by
 * {@code <!-- snippet: <file> <name> -->} and must equal the lines between {@code // snippet-start
 * <name>} and {@code // snippet-end <name>} in that file (indentation removed).
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern SNIPPET =
      Pattern.compile("<!-- snippet: (\\S+) (\\S+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaBlockInTheReadme_isASnippetOfCompiledCode() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int blocks = count(JAVA_BLOCK.matcher(readme));
    Matcher m = SNIPPET.matcher(readme);
    List<String> checked = new ArrayList<>();
    while (m.find()) {
      String source = Files.readString(ROOT.resolve(m.group(1)));
      assertThat(m.group(3))
          .as("README block %s from %s", m.group(2), m.group(1))
          .isEqualTo(region(source, m.group(2)));
      checked.add(m.group(2));
    }
    assertThat(checked)
        .as("snippets checked")
        .contains("quickstart", "kms-quickstart", "testing-your-code");
    assertThat(checked).as("Java blocks without a snippet marker").hasSize(blocks);
  }

  @Test
  void region_isTheDedentedTextBetweenTheMarkers() {
    String source =
        "class A {\n  // snippet-start x\n  int a;\n    int b;\n  // snippet-end x\n}\n";

    assertThat(region(source, "x")).isEqualTo("int a;\n  int b;\n");
  }

  /** The lines between the markers of {@code name}, with their common indentation removed. */
  static String region(String source, String name) {
    String start = "// snippet-start " + name + "\n";
    int from = source.indexOf(start);
    int to = source.indexOf("// snippet-end " + name);
    assertThat(from).as("snippet-start %s", name).isNotNegative();
    assertThat(to).as("snippet-end %s", name).isGreaterThan(from);
    String body = source.substring(from + start.length(), source.lastIndexOf('\n', to) + 1);
    String[] lines = body.split("\n", -1);
    int indent =
        Arrays.stream(lines)
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return Arrays.stream(lines)
        .map(l -> l.isBlank() ? "" : l.substring(indent))
        .collect(Collectors.joining("\n"));
  }

  private static int count(Matcher m) {
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
