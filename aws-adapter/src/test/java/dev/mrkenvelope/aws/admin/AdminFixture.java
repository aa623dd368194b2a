package dev.mrkenvelope.aws.admin;

import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.SdkClients;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A four-Region kms-local with one plain SDK client per Region (no retries), shared by the tests
 * that check MrkAdmin from outside: they inject drift and verify results with these clients, not
 * with the library's own reader.
 */
final class AdminFixture implements AutoCloseable {
  static final String ACCOUNT = "111122223333";
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

  AdminFixture() {
    this(REPLICA_CREATION);
  }

  AdminFixture(Duration replicaCreation) {
    // Replicas stay Creating for a moment, as on AWS, so apply must wait for them.
    kms =
        LocalKms.builder()
            .regions(A, B, C, OUTSIDE)
            .account(ACCOUNT)
            .replicaCreation(replicaCreation)
            .start();
    for (String r : kms.regions()) {
      sdk.put(r, client(r));
    }
    // The first SDK calls in a JVM are slow (class loading); keep them out of timed calls.
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

  @Override
  public void close() {
    sdk.values().forEach(KmsClient::close);
    kms.close();
  }
}
