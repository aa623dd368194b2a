package dev.mrkenvelope.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.mrkenvelope.kmslocal.LocalKms;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The extension's lifecycle, observed by running small test classes on the JUnit engine: faults
 * healed between tests, one kms-local per class shared with nested classes, everything closed after
 * the class, and clear errors for misuse.
 */
class LifecycleTest {
  static final AtomicReference<LocalKms> SEEN = new AtomicReference<>();
  static final AtomicInteger CLOSED = new AtomicInteger();

  private static final String FIXTURE_RUN = "dev.mrkenvelope.testkit.lifecycle-fixture";

  /**
   * The fixture classes below run only on the engine this test starts; a test filter that selects
   * them directly (mvn -Dtest=...) skips them.
   */
  static final class OnlyWhenRunByLifecycleTest implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(FIXTURE_RUN).isPresent()
          ? ConditionEvaluationResult.enabled("run by LifecycleTest")
          : ConditionEvaluationResult.disabled("a fixture of LifecycleTest");
    }
  }

  /** Test 1 takes us-east-1 down; test 2 needs it up. */
  @ExtendWith(OnlyWhenRunByLifecycleTest.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class OutageThenCall {
    @RegisterExtension
    static final LocalKmsExtension KIT =
        LocalKmsExtension.builder()
            .regions("us-east-1")
            .provide(AutoCloseable.class, k -> CLOSED::incrementAndGet)
            .build();

    @Test
    @Order(1)
    void takesUsEast1Down(LocalKms kms, AutoCloseable provided) {
      SEEN.set(kms);
      kms.faults("us-east-1").outage();
    }

    @Test
    @Order(2)
    void callsUsEast1(KmsClient client) {
      client.generateDataKey(b -> b.keyId(KIT.createMultiRegionKey()).numberOfBytes(32));
    }

    @Nested
    class Inner {
      @Test
      void sharesTheEnclosingKmsLocal(LocalKms kms) {
        assertThat(kms).isSameAs(SEEN.get());
      }
    }
  }

  @Test
  void faultsAreHealedAfterEachTest_andEverythingClosesAfterTheClass() {
    Events tests = run(OutageThenCall.class);

    tests.assertStatistics(s -> s.started(3).succeeded(3).failed(0));
    assertThat(CLOSED).as("provided AutoCloseable closed").hasValue(1);
    // kms-local stopped: its endpoint refuses connections.
    try (KmsClient fresh = SdkClients.sdkClient(SEEN.get(), "us-east-1")) {
      assertThatThrownBy(fresh::listKeys).isInstanceOf(SdkClientException.class);
    }
  }

  @ExtendWith(OnlyWhenRunByLifecycleTest.class)
  static class PerTestField {
    @RegisterExtension final LocalKmsExtension kit = LocalKmsExtension.builder().build();

    @Test
    void runs() {}
  }

  @Test
  void registeredPerTest_failsNamingTheFix() {
    Events tests = run(PerTestField.class);

    tests.assertStatistics(s -> s.failed(1));
    assertThat(firstFailure(tests))
        .hasMessageContaining("declare the @RegisterExtension field static");
  }

  @ExtendWith(OnlyWhenRunByLifecycleTest.class)
  @ExtendWith(LocalKmsExtension.class)
  static class DefaultsWithUnnamedClient {
    @Test
    void wantsSomeClient(KmsClient client) {}
  }

  @Test
  void clientWithoutRegion_whenSeveralAreServed_failsNamingTheRegions() {
    Events tests = run(DefaultsWithUnnamedClient.class);

    tests.assertStatistics(s -> s.failed(1));
    assertThat(firstFailure(tests))
        .hasMessageContaining("[us-east-1, eu-west-1]")
        .hasMessageContaining("@InRegion(\"us-east-1\") KmsClient");
  }

  private static Events run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(testClass))
        .configurationParameter(FIXTURE_RUN, "true")
        .execute()
        .testEvents();
  }

  private static Throwable firstFailure(Events tests) {
    return tests.failed().stream()
        .findFirst()
        .orElseThrow()
        .getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow()
        .getThrowable()
        .orElseThrow();
  }
}
