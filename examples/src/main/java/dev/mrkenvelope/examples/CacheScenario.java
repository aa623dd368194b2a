package dev.mrkenvelope.examples;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.AwsKmsMrkKeyring;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.CachingMaterialsManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * What the data-key cache saves: the same messages with and without {@link
 * CachingMaterialsManager}, counting GenerateDataKey calls at kms-local.
 */
public final class CacheScenario {
  private CacheScenario() {}

  /** Encrypts {@code messages} messages twice; returns {uncached, cached} GenerateDataKey calls. */
  public static long[] run(PrintStream out, int messages, int maxMessagesPerKey) {
    try (Lab lab = Lab.start()) {
      String arn = lab.createMultiRegionKey(Lab.US_EAST_1, Lab.EU_WEST_1);
      KmsRouter router = lab.router(new SimpleMeterRegistry(), Lab.US_EAST_1, Lab.EU_WEST_1);
      Keyring keyring = AwsKmsMrkKeyring.builder().keyArn(arn).router(router).build();
      byte[] payload = new byte[1024];

      EnvelopeClient uncached =
          EnvelopeClient.builder()
              .keyring(keyring)
              .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
              .build();
      lab.kms.resetRequestCounts();
      for (int i = 0; i < messages; i++) {
        uncached.encrypt(payload, Map.of("n", Integer.toString(i)));
      }
      long withoutCache = lab.kms.requestCount(Lab.US_EAST_1, "GenerateDataKey");

      EnvelopeClient cached =
          EnvelopeClient.builder()
              .materialsManager(
                  CachingMaterialsManager.builder()
                      .keyring(keyring)
                      .maxAge(Duration.ofMinutes(5))
                      .maxMessagesPerKey(maxMessagesPerKey)
                      .build())
              .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
              .build();
      lab.kms.resetRequestCounts();
      for (int i = 0; i < messages; i++) {
        // The cache key includes the encryption context: messages sharing one share data keys.
        cached.encrypt(payload, Map.of("tenant", "acme"));
      }
      long withCache = lab.kms.requestCount(Lab.US_EAST_1, "GenerateDataKey");

      out.printf("%d messages without a cache: %d GenerateDataKey calls%n", messages, withoutCache);
      out.printf(
          "%d messages with a cache (maxMessagesPerKey=%d): %d GenerateDataKey calls%n",
          messages, maxMessagesPerKey, withCache);
      router.close();
      return new long[] {withoutCache, withCache};
    }
  }
}
