package dev.mrkenvelope.aws;

import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * What a router keeps per allowed Region: its SDK client, circuit breaker, latency estimate and
 * bulkhead (the most attempts that may run on the router's threads in this Region at once, so that
 * a Region whose attempts hang cannot take the threads the healthy Regions need).
 */
final class RegionState {
  final String name;
  final KmsClient client;
  final RegionBreaker breaker;
  final LatencyEstimate latency = new LatencyEstimate();
  private final Semaphore bulkhead;

  RegionState(String name, KmsClient client, RegionBreaker breaker, int bulkheadSize) {
    this.name = name;
    this.client = client;
    this.breaker = breaker;
    this.bulkhead = new Semaphore(bulkheadSize);
  }

  /** Takes a place in the bulkhead without waiting; false if it is full. */
  boolean tryEnterBulkhead() {
    return bulkhead.tryAcquire();
  }

  void leaveBulkhead() {
    bulkhead.release();
  }
}
