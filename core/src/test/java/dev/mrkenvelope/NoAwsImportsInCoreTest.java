package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core never depends on the AWS SDK or the AWS Encryption SDK (DESIGN.md: the ESDK is a test-scope
 * oracle only). Scans every source file under {@code core/src/main/java}, comments stripped, for
 * any reference to {@code software.amazon.awssdk}, {@code com.amazonaws} or {@code
 * software.amazon.cryptography}: imports, static imports, fully qualified names, {@code requires}
 * in module-info and class names in string literals alike.
 */
class NoAwsImportsInCoreTest {
  static final Pattern FORBIDDEN =
      Pattern.compile(
          "\\b(software\\.amazon\\.awssdk|com\\.amazonaws|software\\.amazon\\.cryptography)\\b");

  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  static Path coreMainSources() {
    Path moduleDir = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();
    for (Path candidate :
        new Path[] {moduleDir.resolve("src/main/java"), moduleDir.resolve("core/src/main/java")}) {
      if (Files.isDirectory(candidate.resolve("dev/mrkenvelope"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("core/src/main/java not found from " + moduleDir);
  }

  /** The forbidden references in one source text, as {@code line: text}. */
  static List<String> violations(String source) {
    // Blank out comments but keep their newlines, so reported line numbers stay right.
    Matcher c = COMMENTS.matcher(source);
    StringBuilder code = new StringBuilder();
    while (c.find()) {
      c.appendReplacement(code, Matcher.quoteReplacement(c.group().replaceAll("[^\\n]", " ")));
    }
    c.appendTail(code);
    List<String> found = new ArrayList<>();
    String[] lines = code.toString().split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (FORBIDDEN.matcher(lines[i]).find()) {
        found.add((i + 1) + ": " + lines[i].trim());
      }
    }
    return found;
  }

  @Test
  void coreMainSources_referenceNoAwsSdkOrEsdkPackage() throws IOException {
    Path root = coreMainSources();
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(root)) {
      sources =
          walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
    assertThat(sources).as("Java sources under " + root).hasSizeGreaterThan(20);
    assertThat(sources).anyMatch(p -> p.endsWith("module-info.java"));

    List<String> offending = new ArrayList<>();
    for (Path p : sources) {
      for (String v : violations(Files.readString(p, StandardCharsets.UTF_8))) {
        offending.add(root.relativize(p) + ":" + v);
      }
    }
    assertThat(offending)
        .as("core main code must not reference the AWS SDK or the ESDK (test scope only)")
        .isEmpty();
  }

  @Test
  void scanner_flagsEveryFormOfReferenceButNotComments() {
    assertThat(violations("package x;\nimport software.amazon.awssdk.services.kms.KmsClient;\n"))
        .containsExactly("2: import software.amazon.awssdk.services.kms.KmsClient;");
    assertThat(violations("import static com.amazonaws.encryptionsdk.AwsCrypto.builder;"))
        .hasSize(1);
    assertThat(violations("class A { software.amazon.cryptography.materialproviders.IKeyring k; }"))
        .hasSize(1);
    assertThat(violations("module m {\n  requires software.amazon.awssdk.kms;\n}")).hasSize(1);
    assertThat(violations("Class.forName(\"com.amazonaws.encryptionsdk.AwsCrypto\");")).hasSize(1);

    assertThat(violations("/** Unlike com.amazonaws.encryptionsdk.AwsCrypto, ... */\nclass A {}"))
        .isEmpty();
    assertThat(violations("int x; // see software.amazon.awssdk docs\n")).isEmpty();
    assertThat(violations("import com.amazonawsfake.Thing;\nimport dev.mrkenvelope.X;")).isEmpty();
  }
}
