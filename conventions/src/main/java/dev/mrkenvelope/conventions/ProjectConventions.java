package dev.mrkenvelope.conventions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The conventions every module's main sources keep, checked on a source root such as {@code
 * src/main/java} (a module's tests run in the module's directory): each public top-level type
 * (class, interface, enum, record, annotation) has Javadoc, and a library module declares what it
 * exports in a {@code module-info.java}. One implementation for every module, so the rules cannot
 * drift apart between copies.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProjectConventions {
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*"
              + "(?:class|interface|enum|record|@interface)\\s+(\\w+)",
          Pattern.MULTILINE);
  // Annotations may stand between the Javadoc and the declaration.
  private static final Pattern TRAILING_ANNOTATIONS =
      Pattern.compile("(\\s*@\\w+(\\([^)]*\\))?)+$");

  private ProjectConventions() {}

  /**
   * Checks that every public top-level type under {@code sourceRoot} has Javadoc.
   *
   * @throws AssertionError naming every undocumented type, or if {@code sourceRoot} holds no Java
   *     source (a wrong working directory must not pass as "nothing undocumented")
   */
  public static void assertPublicTypesDocumented(Path sourceRoot) {
    List<String> undocumented = new ArrayList<>();
    for (Path file : javaFiles(sourceRoot)) {
      String src = read(file);
      Matcher m = PUBLIC_TYPE.matcher(src);
      if (m.find()) {
        String before = src.substring(0, m.start()).stripTrailing();
        before = TRAILING_ANNOTATIONS.matcher(before).replaceAll("").stripTrailing();
        if (!before.endsWith("*/")) {
          undocumented.add(sourceRoot.relativize(file) + " (" + m.group(1) + ")");
        }
      }
    }
    if (!undocumented.isEmpty()) {
      throw new AssertionError(
          "public types without Javadoc under "
              + sourceRoot.toAbsolutePath()
              + ": "
              + undocumented
              + "; add a Javadoc comment saying what the type is and whether it is thread-safe");
    }
  }

  /**
   * Checks that {@code sourceRoot} has a {@code module-info.java}.
   *
   * @throws AssertionError if it has none
   */
  public static void assertHasModuleInfo(Path sourceRoot) {
    Path moduleInfo = sourceRoot.resolve("module-info.java");
    if (!Files.isRegularFile(moduleInfo)) {
      throw new AssertionError(
          "no module-info.java in "
              + sourceRoot.toAbsolutePath()
              + "; declare the module and export only its API packages");
    }
  }

  private static List<Path> javaFiles(Path root) {
    if (!Files.isDirectory(root)) {
      throw new AssertionError("no source directory " + root.toAbsolutePath());
    }
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> files =
          s.filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.getFileName().toString().equals("module-info.java"))
              .filter(p -> !p.getFileName().toString().equals("package-info.java"))
              .sorted()
              .toList();
      if (files.isEmpty()) {
        throw new AssertionError("no Java sources under " + root.toAbsolutePath());
      }
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
