package dev.mrkenvelope.aws;

import dev.mrkenvelope.conventions.ProjectConventions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Conventions this module's main code keeps: each public type is documented (what it is, its thread
 * safety), and the module declares what it exports in a module-info. The rules live in {@link
 * ProjectConventions}, shared by every module.
 */
class ConventionsTest {
  private static final Path MAIN = Path.of("src/main/java");

  @Test
  void everyPublicTopLevelType_hasJavadoc() {
    ProjectConventions.assertPublicTypesDocumented(MAIN);
  }

  @Test
  void module_hasModuleInfo() {
    ProjectConventions.assertHasModuleInfo(MAIN);
  }
}
