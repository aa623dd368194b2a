package dev.mrkenvelope.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * aws-adapter's conventions (each public type documented, a module-info), checked from here until
 * aws-adapter's own test suite takes this test over, as core, kms-local and testkit did with their
 * {@code ConventionsTest}.
 */
class ProjectConventionsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final List<String> MODULES = List.of("aws-adapter", "jose");
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|interface|enum|record)\\s+(\\w+)",
          Pattern.MULTILINE);

  @Test
  void everyPublicTopLevelType_hasJavadoc() {
    List<String> undocumented = new ArrayList<>();
    for (String module : MODULES) {
      for (Path file : javaFiles(ROOT.resolve(module).resolve("src/main/java"))) {
        String src = read(file);
        Matcher m = PUBLIC_TYPE.matcher(src);
        if (m.find()) {
          String before = src.substring(0, m.start()).stripTrailing();
          // Annotations may stand between the Javadoc and the declaration.
          before = before.replaceAll("(\\s*@\\w+(\\([^)]*\\))?)+$", "").stripTrailing();
          if (!before.endsWith("*/")) {
            undocumented.add(ROOT.relativize(file) + " (" + m.group(1) + ")");
          }
        }
      }
    }
    assertThat(undocumented).as("public types without Javadoc").isEmpty();
  }

  @Test
  void everyLibraryModule_hasModuleInfo() {
    for (String module : MODULES) {
      assertThat(ROOT.resolve(module).resolve("src/main/java/module-info.java"))
          .as("module-info.java of %s", module)
          .exists();
    }
  }

  private static List<Path> javaFiles(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.getFileName().toString().equals("module-info.java"))
          .filter(p -> !p.getFileName().toString().equals("package-info.java"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
