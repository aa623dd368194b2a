package dev.mrkenvelope.aws;

import java.util.Map;

/** What every {@link RoutedCall} of one router shares: its Regions, rules, timeouts and meters. */
final class RoutingContext implements AutoCloseable {
  final Map<String, RegionState> regions;
  final CandidateOrder order;
  final FailureClassifier.Rules rules;
  final long attemptTimeoutNanos;
  final long callTimeoutNanos;

  /** Zero when hedging is off. */
  final long hedgeAfterNanos;

  /** Null without a meter registry. */
  final RouterMetrics metrics;

  /** Null when hedging is off: every attempt then runs on the calling thread. */
  final AttemptThreads threads;

  RoutingContext(
      Map<String, RegionState> regions,
      CandidateOrder order,
      FailureClassifier.Rules rules,
      long attemptTimeoutNanos,
      long callTimeoutNanos,
      long hedgeAfterNanos,
      RouterMetrics metrics) {
    this.regions = regions;
    this.order = order;
    this.rules = rules;
    this.attemptTimeoutNanos = attemptTimeoutNanos;
    this.callTimeoutNanos = callTimeoutNanos;
    this.hedgeAfterNanos = hedgeAfterNanos;
    this.metrics = metrics;
    this.threads = hedgeAfterNanos > 0 ? new AttemptThreads() : null;
  }

  boolean hedging() {
    return threads != null;
  }

  /** Stops the attempt threads and takes the breakers out of the shared gauge. */
  @Override
  public void close() {
    if (threads != null) {
      threads.close();
    }
    if (metrics != null) {
      regions.values().forEach(metrics::removeBreakerGauge);
    }
  }
}
