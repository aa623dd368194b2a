package dev.mrkenvelope.conventions;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The conventions a published module's main code keeps: each public type is documented (what it is,
 * its thread safety), and the module declares what it exports in a module-info. Each module runs
 * them with an empty {@code class ConventionsTest extends ModuleConventionsTest {}}; the rules live
 * in {@link ProjectConventions}. Stateless.
 */
public abstract class ModuleConventionsTest {
  /** The module's main sources, relative to the module directory Surefire runs in. */
  private static final Path MAIN = Path.of("src/main/java");

  /** For subclasses only. */
  protected ModuleConventionsTest() {}

  @Test
  public void everyPublicTopLevelType_hasJavadoc() {
    ProjectConventions.assertPublicTypesDocumented(MAIN);
  }

  @Test
  public void module_hasModuleInfo() {
    ProjectConventions.assertHasModuleInfo(MAIN);
  }
}
