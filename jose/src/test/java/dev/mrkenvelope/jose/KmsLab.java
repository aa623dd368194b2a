package dev.mrkenvelope.jose;

import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.kmslocal.LocalKms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** kms-local with SDK clients and routers on it, for the JOSE tests. Close it to close all. */
final class KmsLab implements AutoCloseable {
  final LocalKms kms;
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

  KmsLab(String... regions) {
    // Replicas made through the SDK are usable at once (no Creating state to wait for here).
    this.kms =
        LocalKms.builder()
            .regions(regions)
            .account("111122223333")
            .replicaCreation(java.time.Duration.ZERO)
            .start();
  }

  KmsClient client(String region) {
    return client(region, Duration.ofSeconds(5));
  }

  private KmsClient client(String region, Duration socketTimeout) {
    KmsClient c =
        KmsClient.builder()
            .endpointOverride(kms.endpoint(region))
            .region(Region.of(region))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDJOSE", "jose")))
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(socketTimeout)
                    .build())
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    closeables.add(c);
    return c;
  }

  /** A router over {@code regions}, attempt timeout 700 ms (a blackholed Region costs that). */
  KmsRouter router(String... regions) {
    KmsRouter r =
        KmsRouter.builder()
            .regions(regions)
            .clientFactory(this::client)
            .attemptTimeout(Duration.ofMillis(700))
            .callTimeout(Duration.ofSeconds(5))
            .build();
    closeables.add(r);
    return r;
  }

  /** An asymmetric multi-Region signing key in {@code primary}, replicated; its ARN there. */
  String signingMrk(KeySpec spec, String primary, String... replicas) {
    KmsClient admin = client(primary);
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
    client(primary, Duration.ofSeconds(120)).getPublicKey(b -> b.keyId(arn));
    return arn;
  }

  static String inRegion(String arn, String region) {
    String[] p = arn.split(":", 6);
    return String.join(":", p[0], p[1], p[2], region, p[4], p[5]);
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
    kms.close();
  }
}
