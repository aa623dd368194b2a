package dev.mrkenvelope.benchmarks;

import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.SdkClients;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * An in-process kms-local with two Regions and one multi-Region key, created the way a user would:
 * {@code CreateKey --multi-region} in the preferred Region, then {@code ReplicateKey} to the other,
 * through the AWS SDK pointed at kms-local's endpoints. Dummy credentials, loopback only.
 */
final class KmsFixture implements AutoCloseable {
  static final String ACCOUNT = "111122223333";

  /** First in every region order; blackholed in the failover benchmark. */
  static final String PREFERRED = "us-east-1";

  static final String OTHER = "eu-west-1";

  final LocalKms kms;

  /** The MRK's ARN in {@link #PREFERRED}. */
  final String keyArn;

  private KmsFixture(LocalKms kms, String keyArn) {
    this.kms = kms;
    this.keyArn = keyArn;
  }

  static KmsFixture start() {
    // Replicas usable at once: the benchmarks measure calls, not replica creation.
    LocalKms kms =
        LocalKms.builder()
            .regions(PREFERRED, OTHER)
            .account(ACCOUNT)
            .replicaCreation(java.time.Duration.ZERO)
            .start();
    try (KmsClient admin = sdkDefaults(kms, PREFERRED, c -> {})) {
      String arn =
          admin
              .createKey(b -> b.multiRegion(true).description("mrk-envelope benchmarks"))
              .keyMetadata()
              .arn();
      admin.replicateKey(b -> b.keyId(arn).replicaRegion(OTHER));
      return new KmsFixture(kms, arn);
    } catch (RuntimeException e) {
      kms.close();
      throw e;
    }
  }

  /**
   * An SDK client for {@code region} with the SDK's defaults (default HTTP client, timeouts and
   * retry strategy) except what {@code override} changes.
   */
  static KmsClient sdkDefaults(
      LocalKms kms, String region, Consumer<ClientOverrideConfiguration.Builder> override) {
    return SdkClients.builder(kms, region)
        .httpClientBuilder(UrlConnectionHttpClient.builder()) // the SDK's default timeouts
        .overrideConfiguration(override) // replaces the no-retry strategy: SDK default retries
        .build();
  }

  /**
   * A client as {@link KmsRouter}'s default factory builds one (URL-connection HTTP client with the
   * attempt timeout as connect and socket timeout, no SDK retries, attempt timeout), pointed at
   * kms-local.
   */
  KmsClient routerClient(String region, Duration attemptTimeout) {
    return SdkClients.builder(kms, region)
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(attemptTimeout)
                .socketTimeout(attemptTimeout))
        .overrideConfiguration(
            c ->
                c.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallAttemptTimeout(attemptTimeout))
        .build();
  }

  /** Preferred Region first; the router's default attempt (1.5 s) and call (5 s) timeouts. */
  KmsRouter.Builder router() {
    Duration attemptTimeout = Duration.ofMillis(1500);
    return KmsRouter.builder()
        .regions(PREFERRED, OTHER)
        .attemptTimeout(attemptTimeout)
        .clientFactory(region -> routerClient(region, attemptTimeout));
  }

  @Override
  public void close() {
    kms.close();
  }
}
