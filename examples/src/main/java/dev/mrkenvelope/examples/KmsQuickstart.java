package dev.mrkenvelope.examples;

import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.AwsKmsMrkKeyring;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.CachingMaterialsManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The README's KMS quickstart, run on kms-local: a router over three regions, a keyring for one
 * multi-region key, and a client with a data-key cache. Its test runs it, so the README cannot
 * drift from code that compiles and works.
 */
public final class KmsQuickstart {
  private KmsQuickstart() {}

  /** Creates a multi-region key on kms-local, encrypts and decrypts one message with it. */
  public static String run() {
    try (Lab lab = Lab.start()) {
      String keyArn = lab.createMultiRegionKey(Lab.US_EAST_1, Lab.EU_WEST_1, Lab.AP_SOUTHEAST_1);
      return run(keyArn, lab::client);
    }
  }

  /**
   * The quickstart itself; {@code clients} points the router at kms-local (leave the client factory
   * out to reach AWS with the default credentials).
   */
  static String run(String keyArn, Function<String, KmsClient> clients) {
    // snippet-start kms-quickstart
    KmsRouter router =
        KmsRouter.builder()
            .regions("eu-west-1", "us-east-1", "ap-southeast-1") // allow-list and preference order
            .hedgeAfter(Duration.ofMillis(100))
            .clientFactory(clients) // kms-local here; omit it for AWS
            .build();
    Keyring mrk =
        AwsKmsMrkKeyring.builder()
            .keyArn(keyArn) // arn:aws:kms:us-east-1:111122223333:key/mrk-...
            .router(router)
            .build();
    EnvelopeClient client =
        EnvelopeClient.builder()
            .materialsManager(
                CachingMaterialsManager.builder()
                    .keyring(mrk)
                    .maxAge(Duration.ofMinutes(5))
                    .maxMessagesPerKey(1_000)
                    .build())
            .build();

    EncryptResult e =
        client.encrypt(
            "hello, multi-region world".getBytes(StandardCharsets.UTF_8), Map.of("tenant", "acme"));
    DecryptResult d = client.decrypt(e.ciphertext());
    // snippet-end kms-quickstart
    router.close();
    if (!"acme".equals(d.encryptionContext().get("tenant"))) {
      throw new IllegalStateException("unexpected encryption context");
    }
    return new String(d.plaintext(), StandardCharsets.UTF_8);
  }
}
