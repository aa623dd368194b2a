package dev.mrkenvelope.aws.admin;

import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import dev.mrkenvelope.testkit.SdkClients;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * What the tests that check MrkAdmin from outside share: a four-Region {@link LocalKmsExtension}
 * whose replicas stay Creating for a moment, as on AWS, and, provided by it once per class, this
 * kit: one patient SDK client per Region (no retries), with which tests inject drift and verify
 * results rather than with the library's own reader. The extension closes the kit after the class.
 */
final class AdminKit implements AutoCloseable {
  static final String ACCOUNT = LocalKmsExtension.DEFAULT_ACCOUNT;
  static final String A = "us-east-1";
  static final String B = "eu-west-1";
  static final String C = "ap-southeast-1";

  /** Not in the specs: kms:ReplicaRegion widening names it. */
  static final String OUTSIDE = "sa-east-1";

  static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/kms-admin";
  static final String APP = "arn:aws:iam::" + ACCOUNT + ":role/app";

  static final Duration REPLICA_CREATION = Duration.ofMillis(200);

  final LocalKms kms;
  final Map<String, KmsClient> sdk = new LinkedHashMap<>();

  /** The extension for a test class: replicas made by apply stay Creating for 200 ms. */
  static LocalKmsExtension extension() {
    return extension(REPLICA_CREATION);
  }

  static LocalKmsExtension extension(Duration replicaCreation) {
    // Replicas stay Creating for a moment, as on AWS, so apply must wait for them.
    return LocalKmsExtension.builder()
        .regions(A, B, C, OUTSIDE)
        .account(ACCOUNT)
        .replicaCreation(replicaCreation)
        .provide(AdminKit.class, AdminKit::new)
        .build();
  }

  private AdminKit(LocalKmsExtension extension) {
    kms = extension.kms();
    for (String r : kms.regions()) {
      sdk.put(r, client(r));
    }
    // The first SDK calls on new clients are slow (class loading); keep them out of timed calls.
    String id = kms.createKey(A);
    for (int i = 0; i < 20; i++) {
      sdk.get(A).describeKey(b -> b.keyId(id));
    }
  }

  KmsClient sdk(String region) {
    return sdk.get(region);
  }

  private KmsClient client(String region) {
    // The test kit's client (dummy credentials, no SDK retries) with a patient socket timeout.
    return SdkClients.builder(kms, region)
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10)))
        .build();
  }

  /** An admin on the fixture's clients (the caller keeps owning them). */
  MrkAdmin admin(Duration callTimeout) {
    return admin(callTimeout, Duration.ofSeconds(20));
  }

  MrkAdmin admin(Duration callTimeout, Duration replicaWait) {
    return MrkAdmin.builder()
        .clients(sdk)
        .callTimeout(callTimeout)
        .replicaWaitTimeout(replicaWait)
        .pollInterval(Duration.ofMillis(20))
        .build();
  }

  MrkAdmin admin() {
    return admin(Duration.ofSeconds(10));
  }

  /** A symmetric three-Region spec (primary A, replicas B and C) with a generated policy. */
  static KeySetSpec spec(String alias) {
    return spec(alias, List.of(B, C));
  }

  static KeySetSpec spec(String alias, List<String> replicas) {
    return KeySetSpec.builder()
        .alias(alias)
        .primaryRegion(A)
        .replicaRegions(replicas)
        .description("orders data keys")
        .tags(Map.of("team", "payments"))
        .rotation(Rotation.every(180))
        .policy(KeyPolicySpec.generated(new PolicyTemplate(List.of(ADMIN), List.of(APP))))
        .build();
  }

  /** Closes the clients; kms-local is the extension's. */
  @Override
  public void close() {
    sdk.values().forEach(KmsClient::close);
  }
}
