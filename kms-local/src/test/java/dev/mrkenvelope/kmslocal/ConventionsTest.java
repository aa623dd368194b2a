package dev.mrkenvelope.kmslocal;

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
 * Conventions this module's main code keeps: each public type is documented (what it is, its thread
 * safety), and the module declares what it exports in a module-info.
 */
class ConventionsTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
          Pattern.MULTILINE);

  @Test
  void everyPublicTopLevelType_hasJavadoc() {
    List<String> undocumented = new ArrayList<>();
    for (Path file : javaFiles()) {
      String src = read(file);
      Matcher m = PUBLIC_TYPE.matcher(src);
      if (m.find()) {
        String before = src.substring(0, m.start()).stripTrailing();
        // Annotations may stand between the Javadoc and the declaration.
        before = before.replaceAll("(\\s*@\\w+(\\([^)]*\\))?)+$", "").stripTrailing();
        if (!before.endsWith("*/")) {
          undocumented.add(MAIN.relativize(file) + " (" + m.group(1) + ")");
        }
      }
    }
    assertThat(undocumented).as("public types without Javadoc").isEmpty();
  }

  @Test
  void module_hasModuleInfo() {
    assertThat(MAIN.resolve("module-info.java")).exists();
  }

  private static List<Path> javaFiles() {
    try (Stream<Path> s = Files.walk(MAIN)) {
      List<Path> files =
          s.filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.getFileName().toString().equals("module-info.java"))
              .filter(p -> !p.getFileName().toString().equals("package-info.java"))
              .toList();
      assertThat(files).as("sources under %s", MAIN.toAbsolutePath()).isNotEmpty();
      return files;
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
