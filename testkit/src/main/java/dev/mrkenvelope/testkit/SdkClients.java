package dev.mrkenvelope.testkit;

import dev.mrkenvelope.kmslocal.LocalKms;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * AWS SDK v2 {@link KmsClient}s pointed at one region of a {@link LocalKms}: the endpoint override,
 * the region, static dummy credentials (kms-local checks that a request is signed, not by whom),
 * the URL-connection HTTP client with a {@value #CONNECT_TIMEOUT_SECONDS} s connect and {@value
 * #SOCKET_TIMEOUT_SECONDS} s socket timeout, and <b>no SDK retries</b>, so a test sees every
 * attempt and a router under test decides alone when to move to another region.
 *
 * <p>Stateless and thread-safe. The clients are the caller's to close (the SDK closes the HTTP
 * client with them).
 */
public final class SdkClients {
  /** Connect timeout of the HTTP client, in seconds: loopback connects in microseconds. */
  public static final int CONNECT_TIMEOUT_SECONDS = 2;

  /**
   * Socket (read) timeout of the HTTP client, in seconds: generous, because a shared CI machine can
   * stall a call for a second; a blackholed region is left by the router's own timeouts.
   */
  public static final int SOCKET_TIMEOUT_SECONDS = 5;

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCALKMS", "local-secret"));

  private SdkClients() {}

  /**
   * The dummy credentials of {@link #sdkClient}, for SDK clients a test builds itself, e.g. in a
   * {@code KmsRouter.Builder#clientCustomizer} pointed at {@link LocalKms#endpoint}.
   */
  public static StaticCredentialsProvider credentials() {
    return CREDENTIALS;
  }

  /**
   * A client for {@code region} of {@code kms}: dummy credentials, no SDK retries, the timeouts
   * above.
   *
   * @throws IllegalArgumentException if {@code kms} does not serve {@code region}
   */
  public static KmsClient sdkClient(LocalKms kms, String region) {
    return builder(kms, region).build();
  }

  /**
   * A client builder configured as {@link #sdkClient}, for a test that needs one more setting.
   * Replacing the override configuration replaces the no-retry strategy too: set {@code
   * retryStrategy(AwsRetryStrategy.doNotRetry())} again unless retries are what the test wants.
   *
   * @throws IllegalArgumentException if {@code kms} does not serve {@code region}
   */
  public static KmsClientBuilder builder(LocalKms kms, String region) {
    Objects.requireNonNull(kms, "kms");
    Objects.requireNonNull(region, "region");
    return KmsClient.builder()
        .endpointOverride(kms.endpoint(region))
        .region(Region.of(region))
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS))
                .socketTimeout(Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS)))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
  }
}
