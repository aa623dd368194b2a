package dev.mrkenvelope.aws.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The SDK clients of an admin, one per Region, and the per-call timeout every request carries.
 * Immutable and thread-safe (SDK clients are).
 */
final class Kms {
  private final Map<String, KmsClient> clients;
  final Duration callTimeout;
  final AwsRequestOverrideConfiguration override;

  Kms(Map<String, KmsClient> clients, Duration callTimeout) {
    this.clients = Map.copyOf(clients);
    this.callTimeout = callTimeout;
    this.override = AwsRequestOverrideConfiguration.builder().apiCallTimeout(callTimeout).build();
  }

  boolean has(String region) {
    return clients.containsKey(region);
  }

  KmsClient in(String region) {
    KmsClient c = clients.get(region);
    if (c == null) {
      throw new IllegalArgumentException(
          "no KMS client for "
              + region
              + "; MrkAdmin has clients for "
              + regions()
              + ": add the Region to MrkAdmin.builder() (regions, clients or the router's regions)");
    }
    return c;
  }

  List<String> regions() {
    return clients.keySet().stream().sorted().toList();
  }

  void requireAll(List<String> regions) {
    regions.forEach(this::in);
  }
}
