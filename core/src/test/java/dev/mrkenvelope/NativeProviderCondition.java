package dev.mrkenvelope;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Installs the Amazon Corretto Crypto Provider as the most preferred JCA provider before any test
 * of the run that asks for it ({@code -Dmrkenvelope.test.provider=ACCP}, set by core's {@code
 * native-provider} Surefire execution), so the conformance and interop suites run once more on
 * native crypto. Where ACCP cannot load (it ships native code for a few platforms only), every test
 * of that run is skipped with the loading error as the reason; the default run is unaffected.
 *
 * <p>Registered through {@code META-INF/services} and JUnit's extension auto-detection, which only
 * the {@code native-provider} execution turns on.
 */
public final class NativeProviderCondition implements ExecutionCondition {
  static final String PROPERTY = "mrkenvelope.test.provider";

  /** For JUnit's service loader. */
  public NativeProviderCondition() {}

  /** Why ACCP is not in use, or null once it is installed and healthy; computed once per JVM. */
  private static final String UNAVAILABLE = install();

  private static String install() {
    if (!requested()) {
      return "not requested";
    }
    try {
      Throwable loadingError = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
      if (loadingError != null) {
        return describe(loadingError);
      }
      AmazonCorrettoCryptoProvider.install();
      AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
      System.out.println(
          "native-provider run: "
              + AmazonCorrettoCryptoProvider.INSTANCE.getName()
              + " "
              + AmazonCorrettoCryptoProvider.INSTANCE.getVersionStr()
              + " installed at JCA position 1");
      return null;
    } catch (LinkageError | RuntimeException e) {
      return describe(e);
    }
  }

  private static String describe(Throwable t) {
    String why =
        "ACCP cannot load on "
            + System.getProperty("os.name")
            + "/"
            + System.getProperty("os.arch")
            + " ("
            + t
            + "); the native-provider run is skipped, the JCA run above still covers every test";
    System.out.println("native-provider run skipped: " + why);
    return why;
  }

  public static boolean requested() {
    return "ACCP".equals(System.getProperty(PROPERTY));
  }

  /** True once ACCP is installed first in this JVM. */
  public static boolean active() {
    return UNAVAILABLE == null;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (!requested()) {
      return ConditionEvaluationResult.enabled("JCA run");
    }
    return active()
        ? ConditionEvaluationResult.enabled("ACCP installed")
        : ConditionEvaluationResult.disabled(UNAVAILABLE);
  }
}
