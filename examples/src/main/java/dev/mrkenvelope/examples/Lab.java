package dev.mrkenvelope.examples;

import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.kmslocal.LocalKms;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.ReplicateKeyRequest;

/**
 * A three-region AWS on this machine: kms-local serving us-east-1, eu-west-1 and ap-southeast-1,
 * with an SDK client per region pointed at it. Everything the examples do goes through the real
 * AWS SDK, exactly as it would against AWS (only the endpoint and the credentials differ).
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

  /** The SDK client for a region (one per region, as in production). */
  KmsClient client(String region) {
    return clients.computeIfAbsent(
        region,
        r ->
            KmsClient.builder()
                .region(Region.of(r))
                .endpointOverride(kms.endpoint(r))
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo")))
                .httpClient(
                    UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofMillis(500))
                        .socketTimeout(Duration.ofSeconds(2))
                        .build())
                // The router decides when to move to another region; SDK retries would only
                // hold a call in a dead region for longer.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
  }

  /**
   * Creates a multi-region key in {@code primary} and replicates it, through the SDK, as {@code aws
   * kms create-key --multi-region} and {@code aws kms replicate-key} would, then waits until every
   * replica is {@code Enabled} (a new replica is {@code Creating} for a while, in AWS and in
   * kms-local, and refuses cryptographic calls until then).
   *
   * @return the key ARN in the primary region
   */
  String createMultiRegionKey(String primary, String... replicas) {
    CreateKeyResponse created =
        client(primary)
            .createKey(b -> b.multiRegion(true).description("mrk-envelope demo key"));
    String arn = created.keyMetadata().arn();
    for (String replica : replicas) {
      client(primary)
          .replicateKey(
              ReplicateKeyRequest.builder().keyId(arn).replicaRegion(replica).build());
    }
    for (String replica : replicas) {
      awaitEnabled(replica, inRegion(arn, replica));
    }
    return arn;
  }

  private void awaitEnabled(String region, String arn) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (client(region).describeKey(b -> b.keyId(arn)).keyMetadata().keyState() != KeyState.ENABLED) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(arn + " did not become Enabled within 30 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + arn, e);
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
