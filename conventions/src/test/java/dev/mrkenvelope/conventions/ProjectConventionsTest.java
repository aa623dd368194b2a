package dev.mrkenvelope.conventions;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks fail on the sources they exist to catch, and pass on conforming ones. */
class ProjectConventionsTest {
  @TempDir Path root;

  private void write(String path, String source) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
  }

  @Test
  void documentedTypes_pass() throws IOException {
    write("a/Doc.java", "package a;\n\n/** Documented. */\npublic final class Doc {}\n");
    write(
        "a/Annotated.java",
        "package a;\n\n/** Documented. */\n@Deprecated(since = \"1\")\npublic record Annotated() {}\n");
    write("a/Hidden.java", "package a;\n\nfinal class Hidden {}\n");
    write("a/package-info.java", "package a;\n");

    assertThatCode(() -> ProjectConventions.assertPublicTypesDocumented(root))
        .doesNotThrowAnyException();
  }

  @Test
  void undocumentedPublicClass_failsNamingIt() throws IOException {
    write("a/Doc.java", "package a;\n\n/** Documented. */\npublic final class Doc {}\n");
    write("a/Bare.java", "package a;\n\n// not Javadoc\npublic class Bare {}\n");

    assertThatThrownBy(() -> ProjectConventions.assertPublicTypesDocumented(root))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Bare.java (Bare)")
        .hasMessageNotContaining("Doc.java");
  }

  @Test
  void undocumentedAnnotationType_fails() throws IOException {
    write("a/Marker.java", "package a;\n\npublic @interface Marker {}\n");

    assertThatThrownBy(() -> ProjectConventions.assertPublicTypesDocumented(root))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("(Marker)");
  }

  @Test
  void emptySourceRoot_failsInsteadOfPassing() throws IOException {
    write("module-info.java", "module a {}\n");

    assertThatThrownBy(() -> ProjectConventions.assertPublicTypesDocumented(root))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no Java sources");
    assertThatThrownBy(
            () -> ProjectConventions.assertPublicTypesDocumented(root.resolve("missing")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no source directory");
  }

  @Test
  void missingModuleInfo_fails() throws IOException {
    write("a/Doc.java", "package a;\n\n/** Documented. */\npublic final class Doc {}\n");

    assertThatThrownBy(() -> ProjectConventions.assertHasModuleInfo(root))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no module-info.java");

    write("module-info.java", "module a {}\n");
    assertThatCode(() -> ProjectConventions.assertHasModuleInfo(root)).doesNotThrowAnyException();
  }
}
