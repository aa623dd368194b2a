package dev.mrkenvelope.aws;

/**
 * What the router remembers about one Region: a circuit breaker and, for {@link
 * RoutingPolicy#LOWEST_LATENCY}, an exponentially weighted moving average of attempt latency.
 *
 * <p>Breaker: CLOSED until {@code threshold} consecutive attempts fail in a way that counts (see
 * {@link Outcome#countsTowardBreaker()}); then OPEN, and the Region is skipped, for {@code coolDown};
 * then the first caller to ask gets the single HALF_OPEN probe, whose outcome closes the breaker
 * (success, or any answer that shows KMS is reachable) or opens it again for another cool-down.
 * If a probe never reports (it cannot, attempts are bounded by the attempt timeout, but just in
 * case), another probe is allowed after {@code probeTimeout}.
 *
 * <p>Thread-safe.
 */
final class RegionHealth {
  static final int CLOSED = 0;
  static final int HALF_OPEN = 1;
  static final int OPEN = 2;

  /** Weight of a new sample in the latency EWMA. */
  static final double ALPHA = 0.3;

  /** What {@link #acquire(long)} allows. */
  enum Permit {
    ALLOWED,
    PROBE,
    DENIED
  }

  final String region;
  private final int threshold;
  private final long coolDownNanos;
  private final long probeTimeoutNanos;

  private int state = CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean probeOut;
  private long probeStartedAt;

  private double ewmaNanos = Double.NaN;
  private long lastSampleAt;
  private long lastLatencyProbeAt;
  private boolean sampled;

  RegionHealth(String region, int threshold, long coolDownNanos, long probeTimeoutNanos) {
    this.region = region;
    this.threshold = threshold;
    this.coolDownNanos = coolDownNanos;
    this.probeTimeoutNanos = probeTimeoutNanos;
  }

  synchronized Permit acquire(long now) {
    switch (state) {
      case CLOSED:
        return Permit.ALLOWED;
      case OPEN:
        if (now - openedAt >= coolDownNanos) {
          state = HALF_OPEN;
          probeOut = true;
          probeStartedAt = now;
          return Permit.PROBE;
        }
        return Permit.DENIED;
      default: // HALF_OPEN
        if (probeOut && now - probeStartedAt < probeTimeoutNanos) {
          return Permit.DENIED;
        }
        probeOut = true;
        probeStartedAt = now;
        return Permit.PROBE;
    }
  }

  /** Records the outcome of an attempt that was allowed by {@link #acquire(long)}. */
  synchronized void record(Outcome outcome, long now) {
    if (outcome.countsTowardBreaker()) {
      consecutiveFailures++;
      if (state == HALF_OPEN || consecutiveFailures >= threshold) {
        state = OPEN;
        openedAt = now;
        probeOut = false;
      }
    } else if (outcome != Outcome.SATURATED && outcome != Outcome.BREAKER_OPEN) {
      // Any answer from KMS (success or a client error) shows that the Region is reachable.
      consecutiveFailures = 0;
      state = CLOSED;
      probeOut = false;
    }
  }

  /** Gives back a probe that was granted but never sent. */
  synchronized void release() {
    if (state == HALF_OPEN) {
      probeOut = false;
    }
  }

  synchronized int state() {
    return state;
  }

  /** Nanoseconds until the cool-down ends (0 if not open). */
  synchronized long coolDownRemaining(long now) {
    return state == OPEN ? Math.max(0, coolDownNanos - (now - openedAt)) : 0;
  }

  synchronized void sampleLatency(long nanos, long now) {
    ewmaNanos = Double.isNaN(ewmaNanos) ? nanos : ALPHA * nanos + (1 - ALPHA) * ewmaNanos;
    lastSampleAt = now;
    sampled = true;
  }

  /** The latency estimate in nanoseconds, or NaN before the first sample. */
  synchronized double latencyEstimate() {
    return ewmaNanos;
  }

  /**
   * Claims this Region's freshness probe if its estimate is older than {@code interval} and no
   * probe was claimed within {@code interval}: at most one per interval per Region.
   */
  synchronized boolean claimLatencyProbe(long now, long interval) {
    if (!sampled) {
      return false; // unmeasured Regions already sort first
    }
    if (now - lastSampleAt < interval || now - lastLatencyProbeAt < interval) {
      return false;
    }
    lastLatencyProbeAt = now;
    return true;
  }

  static String stateName(int state) {
    return state == CLOSED ? "closed" : state == HALF_OPEN ? "half-open" : "open";
  }
}
