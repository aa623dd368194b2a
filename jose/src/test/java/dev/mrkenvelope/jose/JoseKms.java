package dev.mrkenvelope.jose;

import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import dev.mrkenvelope.testkit.SdkClients;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** Routers and signing keys on a test class's {@link LocalKmsExtension}, for the JOSE tests. */
final class JoseKms {
  private JoseKms() {}

  /**
   * The extension for a test class: replicas made through the SDK are usable at once (no Creating
   * state to wait for here).
   */
  static LocalKmsExtension extension(String... regions) {
    return LocalKmsExtension.builder().regions(regions).replicaCreation(Duration.ZERO).build();
  }

  /**
   * A router over {@code regions}, attempt timeout 700 ms (a blackholed Region costs that), closed
   * after the class.
   */
  static KmsRouter router(LocalKmsExtension kms, String... regions) {
    return kms.closeAfterAll(
        KmsRouter.builder()
            .regions(regions)
            .clientFactory(kms.clientFactory())
            .attemptTimeout(Duration.ofMillis(700))
            .callTimeout(Duration.ofSeconds(5))
            .build());
  }

  /** An asymmetric multi-Region signing key in {@code primary}, replicated; its ARN there. */
  static String signingMrk(
      LocalKmsExtension kms, KeySpec spec, String primary, String... replicas) {
    KmsClient admin = kms.client(primary);
    String arn =
        admin
            .createKey(b -> b.keySpec(spec).keyUsage(KeyUsageType.SIGN_VERIFY).multiRegion(true))
            .keyMetadata()
            .arn();
    for (String r : replicas) {
      admin.replicateKey(b -> b.keyId(arn).replicaRegion(r));
    }
    // kms-local makes the key pair on first use (seconds for RSA-4096 on a busy machine): do it
    // here, with a patient client, not in a routed call with test timeouts.
    try (KmsClient patient =
        SdkClients.builder(kms.kms(), primary)
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(120)))
            .build()) {
      patient.getPublicKey(b -> b.keyId(arn));
    }
    return arn;
  }

  static String inRegion(String arn, String region) {
    String[] p = arn.split(":", 6);
    return String.join(":", p[0], p[1], p[2], region, p[4], p[5]);
  }
}
