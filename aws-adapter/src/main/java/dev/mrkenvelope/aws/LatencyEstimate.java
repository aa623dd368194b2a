package dev.mrkenvelope.aws;

/**
 * One Region's latency for {@link RoutingPolicy#LOWEST_LATENCY}: an exponentially weighted moving
 * average of attempt latencies, and the claim of a freshness probe once it is stale. Thread-safe.
 */
final class LatencyEstimate {
  /** Weight of a new sample in the average. */
  static final double ALPHA = 0.3;

  private double ewmaNanos = Double.NaN;
  private long lastSampleAt;
  private long lastProbeAt;
  private boolean sampled;

  synchronized void sample(long nanos, long now) {
    ewmaNanos = Double.isNaN(ewmaNanos) ? nanos : ALPHA * nanos + (1 - ALPHA) * ewmaNanos;
    lastSampleAt = now;
    sampled = true;
  }

  /** The estimate in nanoseconds, or NaN before the first sample. */
  synchronized double nanos() {
    return ewmaNanos;
  }

  /**
   * Claims this Region's freshness probe if its estimate is older than {@code interval} and no
   * probe was claimed within {@code interval}: at most one per interval.
   */
  synchronized boolean claimProbe(long now, long interval) {
    if (!sampled || now - lastSampleAt < interval || now - lastProbeAt < interval) {
      return false; // never measured Regions already sort first
    }
    lastProbeAt = now;
    return true;
  }
}
