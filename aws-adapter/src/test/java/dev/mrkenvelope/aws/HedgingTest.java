package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.EnvelopeClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With the preferred Region blackholed and hedgeAfter=50ms, decrypts succeed and hedges count. */
class HedgingTest {
  static final String A = "us-east-1";
  static final String B = "eu-west-1";
  static final byte[] PLAINTEXT = "hedge".getBytes(StandardCharsets.UTF_8);

  static LocalKmsFixture fx;

  @BeforeAll
  static void start() {
    fx = new LocalKmsFixture(A, B);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void preferredBlackholed_hedgedDecryptsSucceed_andHedgeCounterMoves() {
    String keyId = fx.mrk(A, B);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KmsRouter router =
        fx.router(
            List.of(A, B),
            b ->
                b.attemptTimeout(Duration.ofMillis(400))
                    .hedgeAfter(Duration.ofMillis(50))
                    .breakerThreshold(1000)
                    .meterRegistry(registry));
    EnvelopeClient client =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(fx.arn(A, keyId)).router(router).build())
            .build();
    byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of("k", "v")).ciphertext();
    try {
      fx.kms.faults(A).blackhole();
      fx.kms.resetRequestCounts();
      for (int i = 0; i < 5; i++) {
        assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
      }
      assertThat(fx.kms.requestCount(A, "Decrypt")).isEqualTo(5);
      assertThat(fx.kms.requestCount(B, "Decrypt")).isEqualTo(5);
      assertThat(
              registry.get("mrkenvelope.kms.hedges").tag("operation", "Decrypt").counter().count())
          .isEqualTo(5.0);
      // Hedges are not failovers: nothing failed when the hedge started.
      assertThat(registry.find("mrkenvelope.kms.failovers").counters()).isEmpty();
    } finally {
      fx.healAll();
    }
  }

  @Test
  void healthyPreferred_noHedge() {
    String keyId = fx.mrk(A, B);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KmsRouter router =
        fx.router(
            List.of(A, B),
            b ->
                b.attemptTimeout(Duration.ofMillis(2000))
                    .hedgeAfter(Duration.ofMillis(1000))
                    .meterRegistry(registry));
    EnvelopeClient client =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(fx.arn(A, keyId)).router(router).build())
            .build();
    fx.kms.resetRequestCounts();
    for (int i = 0; i < 3; i++) {
      client.decrypt(client.encrypt(PLAINTEXT, Map.of()).ciphertext());
    }
    assertThat(fx.kms.requestCount(B)).isZero();
    assertThat(registry.find("mrkenvelope.kms.hedges").counters()).isEmpty();
  }

  @Test
  void hedgeRegionDisabled_slowPreferredStillWins() {
    // Preferred is slow (the hedge starts), the hedge Region's replica is disabled: A still wins.
    String keyId = fx.mrk(A, B);
    KmsRouter router =
        fx.router(
            List.of(A, B),
            b -> b.attemptTimeout(Duration.ofMillis(1500)).hedgeAfter(Duration.ofMillis(50)));
    EnvelopeClient client =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(fx.arn(A, keyId)).router(router).build())
            .build();
    byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of()).ciphertext();
    fx.admin(B).disableKey(b -> b.keyId(keyId));
    try {
      fx.kms.faults(A).latency(Duration.ofMillis(200));
      assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
    } finally {
      fx.healAll();
    }
  }
}
