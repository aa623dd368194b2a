package dev.mrkenvelope.aws;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * The SDK client of each allowed Region, built once when the router is built (so that building a
 * client never eats into an attempt's time), and whether the router owns (and closes) them.
 */
final class RegionalClients implements AutoCloseable {
  private final Map<String, KmsClient> clients;
  private final boolean owned;

  private RegionalClients(Map<String, KmsClient> clients, boolean owned) {
    this.clients = clients;
    this.owned = owned;
  }

  /** Clients from the caller's factory: the caller keeps them and closes them. */
  static RegionalClients fromFactory(List<String> regions, Function<String, KmsClient> factory) {
    Map<String, KmsClient> m = new LinkedHashMap<>();
    for (String r : regions) {
      m.put(r, Objects.requireNonNull(factory.apply(r), "clientFactory returned null for " + r));
    }
    return new RegionalClients(Collections.unmodifiableMap(m), false);
  }

  /**
   * The router's own clients: the Region, the URL-connection HTTP client, the default credentials
   * chain; then {@code customizer} (if not null); then, whatever it set, no SDK retries (the router
   * decides when to move on, not the SDK's backoff). Each request carries its own timeouts; the
   * HTTP client's connect and socket timeouts are the attempt timeout too, a backstop that ends a
   * blocked read even when the SDK's timer cannot abort it (seen on virtual threads).
   */
  static RegionalClients owned(
      List<String> regions,
      Duration attemptTimeout,
      Duration callTimeout,
      BiConsumer<String, KmsClientBuilder> customizer) {
    Map<String, KmsClient> m = new LinkedHashMap<>();
    try {
      for (String r : regions) {
        KmsClientBuilder b =
            KmsClient.builder()
                .region(Region.of(r))
                .httpClientBuilder(
                    UrlConnectionHttpClient.builder()
                        .connectionTimeout(attemptTimeout)
                        .socketTimeout(attemptTimeout));
        if (customizer != null) {
          customizer.accept(r, b);
        }
        ClientOverrideConfiguration set = b.overrideConfiguration();
        b.overrideConfiguration(
            (set == null ? ClientOverrideConfiguration.builder() : set.toBuilder())
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(callTimeout)
                .build());
        m.put(r, b.build());
      }
    } catch (RuntimeException e) {
      m.values().forEach(KmsClient::close);
      throw e;
    }
    return new RegionalClients(Collections.unmodifiableMap(m), true);
  }

  KmsClient get(String region) {
    return clients.get(region);
  }

  @Override
  public void close() {
    if (owned) {
      clients.values().forEach(KmsClient::close);
    }
  }
}
