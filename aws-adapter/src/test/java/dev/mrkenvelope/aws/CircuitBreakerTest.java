package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After the preferred Region fails N times in a row, calls go straight to the next Region without
 * touching it until the cool-down probe finds it healthy again; kms-local's counters prove it.
 */
class CircuitBreakerTest {
  static final String A = "us-east-1";
  static final String B = "eu-west-1";
  static final byte[] PLAINTEXT = "breaker".getBytes(StandardCharsets.UTF_8);
  // Long enough that the few calls made while a breaker is open finish inside it on a loaded box.
  static final Duration COOL_DOWN = Duration.ofMillis(2000);

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder().regions(A, B).replicaCreation(Duration.ZERO).build();

  SimpleMeterRegistry registry = new SimpleMeterRegistry();

  EnvelopeClient client(KmsRouter router, String keyId) {
    return EnvelopeClient.builder()
        .keyring(
            AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(router).build())
        .build();
  }

  KmsRouter router() {
    return Routers.router(
        kms,
        List.of(A, B),
        b -> b.breakerThreshold(3).breakerCoolDown(COOL_DOWN).meterRegistry(registry));
  }

  double gauge(String region) {
    return registry.get("mrkenvelope.region.breaker").tag("region", region).gauge().value();
  }

  @Test
  void preferredFailsThreeTimes_breakerOpensAndCallsSkipItUntilProbeSucceeds() throws Exception {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = router();
    EnvelopeClient client = client(router, keyId);
    byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of()).ciphertext();

    kms.kms().faults(A).error("KMSInternalException", 1.0);
    kms.kms().resetRequestCounts();
    for (int i = 0; i < 3; i++) {
      assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
    }
    assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(3);
    assertThat(router.breakerState(A)).isEqualTo(BreakerState.OPEN);
    assertThat(gauge(A)).isEqualTo(2.0);
    assertThat(gauge(B)).isEqualTo(0.0);

    // Open: A is not touched, even once it is healthy again, until the cool-down ends.
    kms.kms().resetRequestCounts();
    for (int i = 0; i < 5; i++) {
      assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
    }
    kms.kms().faults(A).heal();
    client.encrypt(PLAINTEXT, Map.of());
    assertThat(kms.kms().requestCount(A)).isZero();
    assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(5);
    assertThat(kms.kms().requestCount(B, "GenerateDataKey")).isEqualTo(1);
    assertThat(
            registry
                .get("mrkenvelope.kms.failovers")
                .tags("operation", "Decrypt", "from", A, "to", B, "reason", "breaker_open")
                .counter()
                .count())
        .isEqualTo(5.0);

    // After the cool-down, one probe finds A healthy and closes the breaker.
    Thread.sleep(COOL_DOWN.toMillis() + 100);
    kms.kms().resetRequestCounts();
    assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
    assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(1);
    assertThat(kms.kms().requestCount(B, "Decrypt")).isZero();
    assertThat(router.breakerState(A)).isEqualTo(BreakerState.CLOSED);
    assertThat(gauge(A)).isEqualTo(0.0);
    for (int i = 0; i < 3; i++) {
      client.decrypt(ciphertext);
    }
    assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(4);
    assertThat(kms.kms().requestCount(B, "Decrypt")).isZero();
  }

  @Test
  void twoRoutersOnOneRegistry_gaugeShowsTheMostOpenBreakerAndForgetsClosedRouters() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter sick = router();
    KmsRouter healthy = router(); // same registry: the gauge must not be registered twice
    EnvelopeClient client = client(sick, keyId);
    byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of()).ciphertext();

    kms.kms().faults(A).error("KMSInternalException", 1.0);
    for (int i = 0; i < 3; i++) {
      client.decrypt(ciphertext);
    }
    assertThat(sick.breakerState(A)).isEqualTo(BreakerState.OPEN);
    assertThat(healthy.breakerState(A)).isEqualTo(BreakerState.CLOSED);
    assertThat(registry.get("mrkenvelope.region.breaker").gauges()).hasSize(2);
    assertThat(gauge(A)).isEqualTo(2.0);

    sick.close();
    assertThat(gauge(A)).isEqualTo(0.0);
    healthy.close();
  }

  @Test
  void fallbackCutShortByCallTimeout_isNotBlamedOnItsBreaker() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router =
        Routers.router(
            kms,
            List.of(A, B),
            b ->
                b.breakerThreshold(2)
                    .attemptTimeout(Duration.ofMillis(800))
                    .callTimeout(Duration.ofMillis(1000)));
    EnvelopeClient client = client(router, keyId);
    byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of()).ciphertext();

    // A never answers; B is healthy but slower than what is left of the call after A's attempt.
    kms.kms().faults(A).blackhole();
    kms.kms().faults(B).latency(Duration.ofMillis(500));
    for (int i = 0; i < 2; i++) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> client.decrypt(ciphertext)))
          .isInstanceOf(dev.mrkenvelope.NoDecryptableKeyException.class);
    }
    assertThat(router.breakerState(A)).isEqualTo(BreakerState.OPEN);
    assertThat(router.breakerState(B)).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void probeFails_breakerReopensForAnotherCoolDown() throws Exception {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = router();
    EnvelopeClient client = client(router, keyId);
    byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of()).ciphertext();

    kms.kms().faults(A).throttle(1.0);
    for (int i = 0; i < 3; i++) {
      client.decrypt(ciphertext);
    }
    assertThat(router.breakerState(A)).isEqualTo(BreakerState.OPEN);

    Thread.sleep(COOL_DOWN.toMillis() + 100);
    kms.kms().resetRequestCounts();
    assertThat(client.decrypt(ciphertext).plaintext())
        .isEqualTo(PLAINTEXT); // probe fails, B answers
    assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(1);
    assertThat(router.breakerState(A)).isEqualTo(BreakerState.OPEN);
    for (int i = 0; i < 3; i++) {
      client.decrypt(ciphertext);
    }
    assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(1);
    assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(4);
  }

  @Test
  void everyBreakerOpen_failsAtOnceRetryable_withoutAnyRequest() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router =
        Routers.router(
            kms, List.of(A, B), b -> b.breakerThreshold(1).breakerCoolDown(Duration.ofSeconds(30)));
    EnvelopeClient client = client(router, keyId);
    kms.kms().faults(A).error("DependencyTimeoutException", 1.0);
    kms.kms().faults(B).error("KeyUnavailableException", 1.0);
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> client.encrypt(PLAINTEXT, Map.of())))
        .isInstanceOf(KmsUnavailableException.class);
    kms.kms().resetRequestCounts();
    KmsUnavailableException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> client.encrypt(PLAINTEXT, Map.of()), KmsUnavailableException.class);
    assertThat(kms.kms().requestCount(A) + kms.kms().requestCount(B)).isZero();
    assertThat(e.retryable()).isTrue();
    assertThat(e.attempts())
        .extracting(RegionAttempt::outcome)
        .containsExactly(AttemptOutcome.BREAKER_OPEN, AttemptOutcome.BREAKER_OPEN);
    assertThat(e.getMessage()).contains("circuit breaker of every allowed Region is open");
  }

  @Test
  void clientErrors_doNotCountTowardBreaker() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, List.of(A, B), b -> b.breakerThreshold(2));
    EnvelopeClient client = client(router, keyId);
    kms.client(A).disableKey(b -> b.keyId(keyId));
    for (int i = 0; i < 4; i++) {
      client.encrypt(PLAINTEXT, Map.of());
    }
    assertThat(router.breakerState(A)).isEqualTo(BreakerState.CLOSED);
  }
}
