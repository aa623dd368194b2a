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

/** With the preferred Region blackholed and hedgeAfter=50ms, decrypts succeed and hedges count. */
class HedgingTest {
  static final String A = "us-east-1";
  static final String B = "eu-west-1";
  static final byte[] PLAINTEXT = "hedge".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder().regions(A, B).replicaCreation(Duration.ZERO).build();

  @Test
  void preferredBlackholed_hedgedDecryptsSucceed_andHedgeCounterMoves() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KmsRouter router =
        Routers.router(
            kms,
            List.of(A, B),
            b ->
                b.attemptTimeout(Duration.ofMillis(400))
                    .hedgeAfter(Duration.ofMillis(50))
                    .breakerThreshold(1000)
                    .meterRegistry(registry));
    EnvelopeClient client =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(A, keyId))
                    .router(router)
                    .build())
            .build();
    byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of("k", "v")).ciphertext();
    try {
      kms.kms().faults(A).blackhole();
      kms.kms().resetRequestCounts();
      for (int i = 0; i < 5; i++) {
        assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
      }
      assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(5);
      assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(5);
      assertThat(
              registry.get("mrkenvelope.kms.hedges").tag("operation", "Decrypt").counter().count())
          .isEqualTo(5.0);
      // Hedges are not failovers: nothing failed when the hedge started.
      assertThat(registry.find("mrkenvelope.kms.failovers").counters()).isEmpty();
    } finally {
      kms.healAll();
    }
  }

  @Test
  void healthyPreferred_noHedge() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KmsRouter router =
        Routers.router(
            kms,
            List.of(A, B),
            b ->
                b.attemptTimeout(Duration.ofMillis(2000))
                    .hedgeAfter(Duration.ofMillis(1000))
                    .meterRegistry(registry));
    EnvelopeClient client =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(A, keyId))
                    .router(router)
                    .build())
            .build();
    kms.kms().resetRequestCounts();
    for (int i = 0; i < 3; i++) {
      client.decrypt(client.encrypt(PLAINTEXT, Map.of()).ciphertext());
    }
    assertThat(kms.kms().requestCount(B)).isZero();
    assertThat(registry.find("mrkenvelope.kms.hedges").counters()).isEmpty();
  }

  @Test
  void hedgeRegionDisabled_slowPreferredStillWins() {
    // Preferred is slow (the hedge starts), the hedge Region's replica is disabled: A still wins.
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router =
        Routers.router(
            kms,
            List.of(A, B),
            b -> b.attemptTimeout(Duration.ofMillis(1500)).hedgeAfter(Duration.ofMillis(50)));
    EnvelopeClient client =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(A, keyId))
                    .router(router)
                    .build())
            .build();
    byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of()).ciphertext();
    kms.client(B).disableKey(b -> b.keyId(keyId));
    try {
      kms.kms().faults(A).latency(Duration.ofMillis(200));
      assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
    } finally {
      kms.healAll();
    }
  }
}
