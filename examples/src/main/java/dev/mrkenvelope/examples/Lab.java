package dev.mrkenvelope.examples;

import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.SdkClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.ReplicateKeyRequest;

/**
 * A three-region AWS on this machine: kms-local serving us-east-1, eu-west-1 and ap-southeast-1,
 * with an SDK client per region pointed at it. Everything the examples do goes through the real AWS
 * SDK, exactly as it would against AWS (only the endpoint and the credentials differ).
 */
final class Lab implements AutoCloseable {
  static final String ACCOUNT = "111122223333";
  static final String US_EAST_1 = "us-east-1";
  static final String EU_WEST_1 = "eu-west-1";
  static final String AP_SOUTHEAST_1 = "ap-southeast-1";

  final LocalKms kms;
  private final Map<String, KmsClient> clients = new ConcurrentHashMap<>();

  private Lab(LocalKms kms) {
    this.kms = kms;
  }

  static Lab start() {
    return new Lab(
        LocalKms.builder().regions(US_EAST_1, EU_WEST_1, AP_SOUTHEAST_1).account(ACCOUNT).start());
  }

  /**
   * The SDK client for a region (one per region, as in production): pointed at kms-local, with
   * dummy credentials and no SDK retries, because the router decides when to move to another region
   * and SDK retries would only hold a call in a dead region for longer.
   */
  KmsClient client(String region) {
    return clients.computeIfAbsent(region, r -> SdkClients.sdkClient(kms, r));
  }

  /**
   * Creates a multi-region key in {@code primary} and replicates it, through the SDK, as {@code aws
   * kms create-key --multi-region} and {@code aws kms replicate-key} would.
   *
   * @return the key ARN in the primary region
   */
  String createMultiRegionKey(String primary, String... replicas) {
    // Set-up, not workload: a patient client, so a busy laptop (or CI box) does not time out here.
    try (KmsClient admin = patientClient(primary)) {
      CreateKeyResponse created =
          admin.createKey(b -> b.multiRegion(true).description("mrk-envelope demo key"));
      String arn = created.keyMetadata().arn();
      for (String replica : replicas) {
        admin.replicateKey(ReplicateKeyRequest.builder().keyId(arn).replicaRegion(replica).build());
      }
      for (String replica : replicas) {
        awaitEnabled(arn, replica);
      }
      return arn;
    }
  }

  /**
   * Creates an asymmetric multi-region signing key ({@code KeyUsage=SIGN_VERIFY}) in {@code
   * primary} and replicates it, as {@code aws kms create-key --multi-region --key-spec …
   * --key-usage SIGN_VERIFY} and {@code aws kms replicate-key} would.
   *
   * @return the key ARN in the primary region
   */
  String createMultiRegionSigningKey(KeySpec spec, String primary, String... replicas) {
    // Set-up, not workload: a patient client, as for createMultiRegionKey.
    try (KmsClient admin = patientClient(primary)) {
      String arn =
          admin
              .createKey(
                  b ->
                      b.multiRegion(true)
                          .keySpec(spec)
                          .keyUsage(KeyUsageType.SIGN_VERIFY)
                          .description("mrk-envelope demo signing key"))
              .keyMetadata()
              .arn();
      for (String replica : replicas) {
        admin.replicateKey(b -> b.keyId(arn).replicaRegion(replica));
      }
      for (String replica : replicas) {
        awaitEnabled(arn, replica);
      }
      admin.getPublicKey(b -> b.keyId(arn)); // kms-local makes the key pair on first use
      return arn;
    }
  }

  private KmsClient patientClient(String region) {
    return SdkClients.builder(kms, region)
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .build();
  }

  /**
   * Waits until the replica in {@code region} has left {@code Creating}, as code that replicates a
   * key must before using the replica (KMS answers KMSInvalidStateException until then).
   */
  private void awaitEnabled(String arn, String region) {
    try (KmsClient c = patientClient(region)) {
      String replicaArn = inRegion(arn, region);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (c.describeKey(b -> b.keyId(replicaArn)).keyMetadata().keyState() != KeyState.ENABLED) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("replica " + replicaArn + " is not Enabled after 60 s");
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + replicaArn, e);
        }
      }
    }
  }

  /** The same key's ARN in another region (MRK replicas share the key ID). */
  static String inRegion(String arn, String region) {
    String[] parts = arn.split(":", 6);
    return String.join(":", parts[0], parts[1], parts[2], region, parts[4], parts[5]);
  }

  /** A router over {@code regions} (allow-list and preference order) using this lab's clients. */
  KmsRouter router(MeterRegistry registry, String... regions) {
    return KmsRouter.builder()
        .regions(regions)
        .clientFactory(this::client)
        .attemptTimeout(Duration.ofMillis(400))
        .hedgeAfter(Duration.ofMillis(60))
        .callTimeout(Duration.ofSeconds(3))
        .meterRegistry(registry)
        .build();
  }

  @Override
  public void close() {
    clients.values().forEach(KmsClient::close);
    kms.close();
  }
}
