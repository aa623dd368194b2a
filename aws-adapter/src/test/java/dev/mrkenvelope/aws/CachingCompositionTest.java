package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.materials.CachingMaterialsManager;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CachingMaterialsManager over AwsKmsMrkKeyring: 10,000 messages cost exactly ceil(10,000 /
 * maxMessagesPerKey) GenerateDataKey calls, counted by kms-local.
 */
class CachingCompositionTest {
  static final String A = "us-east-1";
  static final String B = "eu-west-1";

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder().regions(A, B).replicaCreation(Duration.ZERO).build();

  @Test
  void tenThousandMessages_costCeilOfMessagesOverLimit_generateDataKeyCalls() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    long maxMessagesPerKey = 3_000;
    CachingMaterialsManager cache =
        CachingMaterialsManager.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(A, keyId))
                    .router(router)
                    .build())
            .maxAge(Duration.ofMinutes(5))
            .maxMessagesPerKey(maxMessagesPerKey)
            .build();
    // A committing, non-signing suite keeps 10,000 messages fast; caching is the same for all.
    EnvelopeClient client =
        EnvelopeClient.builder()
            .materialsManager(cache)
            .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
            .build();
    Map<String, String> ec = Map.of("tenant", "acme");
    kms.kms().resetRequestCounts();
    List<byte[]> samples = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      byte[] ct =
          client.encrypt(("message " + i).getBytes(StandardCharsets.UTF_8), ec).ciphertext();
      if (i % 2_500 == 0) {
        samples.add(ct);
      }
    }
    long expected = (10_000 + maxMessagesPerKey - 1) / maxMessagesPerKey;
    assertThat(kms.kms().requestCounts(A) + " / " + kms.kms().requestCounts(B))
        .isEqualTo(Map.of("GenerateDataKey", expected) + " / {}");
    assertThat(expected).isEqualTo(4);

    // Decrypt through the same cache: one KMS Decrypt per distinct data key. Samples 0 and 2,500
    // share the first data key (messages 0-2,999), 5,000 and 7,500 have their own.
    kms.kms().resetRequestCounts();
    for (byte[] ct : samples) {
      assertThat(client.decrypt(ct).plaintext())
          .startsWith("message ".getBytes(StandardCharsets.UTF_8));
      client.decrypt(ct);
    }
    assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(3);
  }

  @Test
  void cachedDataKeys_surviveRegionOutage_untilLimitForcesNewKey() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    CachingMaterialsManager cache =
        CachingMaterialsManager.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(A, keyId))
                    .router(router)
                    .build())
            .maxAge(Duration.ofMinutes(5))
            .maxMessagesPerKey(10)
            .build();
    EnvelopeClient client =
        EnvelopeClient.builder()
            .materialsManager(cache)
            .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
            .build();
    byte[] pt = "x".getBytes(StandardCharsets.UTF_8);
    client.encrypt(pt, Map.of());
    try {
      kms.kms().faults(A).outage();
      kms.kms().resetRequestCounts();
      for (int i = 0; i < 25; i++) {
        client.encrypt(pt, Map.of());
      }
      // 9 more from the cached key, then 2 new keys, both from B while A is down.
      assertThat(kms.kms().requestCount(B, "GenerateDataKey")).isEqualTo(2);
    } finally {
      kms.healAll();
    }
  }
}
