package dev.mrkenvelope.aws;

import software.amazon.awssdk.services.kms.KmsClient;

/**
 * What a router keeps per allowed Region: its SDK client, circuit breaker, latency estimate and
 * admission slots (the most attempts in flight there at once).
 */
final class RegionState {
  final String name;
  final KmsClient client;
  final RegionBreaker breaker;
  final LatencyEstimate latency = new LatencyEstimate();
  final RegionSlots slots;

  RegionState(String name, KmsClient client, RegionBreaker breaker, int maxInFlight) {
    this.name = name;
    this.client = client;
    this.breaker = breaker;
    this.slots = new RegionSlots(maxInFlight);
  }
}
