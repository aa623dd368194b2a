package dev.mrkenvelope.kmslocal;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;

/** Real AWS SDK clients pointed at a {@link LocalKms} Region; dummy credentials, loopback only. */
final class SdkClients {
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCALKMS", "local-secret"));

  private SdkClients() {}

  /** A client that never retries, so every assertion sees exactly one attempt. */
  static KmsClient noRetries(LocalKms kms, String region) {
    return builder(kms, region, Duration.ofSeconds(10))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** No retries and a short attempt timeout, for blackhole and latency tests. */
  static KmsClient withTimeout(LocalKms kms, String region, Duration attemptTimeout) {
    return builder(kms, region, Duration.ofSeconds(10))
        .overrideConfiguration(
            c ->
                c.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallAttemptTimeout(attemptTimeout))
        .build();
  }

  /**
   * The SDK's standard retry strategy (3 attempts) without backoff delays, to test retries fast.
   */
  static KmsClient standardRetries(LocalKms kms, String region) {
    RetryStrategy strategy =
        AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(3)
            .backoffStrategy(BackoffStrategy.retryImmediately())
            .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
            .build();
    return builder(kms, region, Duration.ofSeconds(10))
        .overrideConfiguration(c -> c.retryStrategy(strategy))
        .build();
  }

  private static KmsClientBuilder builder(LocalKms kms, String region, Duration socketTimeout) {
    return KmsClient.builder()
        .endpointOverride(kms.endpoint(region))
        .region(Region.of(region))
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(socketTimeout).build());
  }

  /**
   * Polls DescribeKey until the key is {@code Enabled}, as code must after ReplicateKey (the new
   * replica is {@code Creating} for a moment); the timeout only guards against a hang.
   */
  static void awaitEnabled(KmsClient client, String keyId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (client.describeKey(b -> b.keyId(keyId)).keyMetadata().keyState() != KeyState.ENABLED) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(keyId + " did not become Enabled within " + timeout);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + keyId, e);
      }
    }
  }

  /** The wire error code of a failed call (also for codes the SDK does not model). */
  static String code(Throwable t) {
    return ((KmsException) t).awsErrorDetails().errorCode();
  }

  static int status(Throwable t) {
    return ((KmsException) t).statusCode();
  }
}
