package dev.mrkenvelope.aws;

/**
 * One Region's circuit breaker. {@link BreakerState#CLOSED} until {@code threshold} consecutive
 * attempts fail in a way that {@linkplain AttemptOutcome#countsTowardBreaker() counts}; then {@link
 * BreakerState#OPEN}, and the Region is skipped, for the cool-down; then the first caller to ask
 * gets the single {@link BreakerState#HALF_OPEN} probe, whose outcome closes the breaker (success,
 * or any answer that shows KMS is reachable) or opens it again. If a probe never reports (attempts
 * are bounded by the attempt timeout, so it should), another is allowed after {@code probeTimeout}.
 *
 * <p>Thread-safe; every method is short and never blocks while holding the lock.
 */
final class RegionBreaker {
  /** What {@link #acquire(long)} allows. */
  enum Permit {
    ALLOWED,
    PROBE,
    DENIED
  }

  private final int threshold;
  private final long coolDownNanos;
  private final long probeTimeoutNanos;

  private BreakerState state = BreakerState.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean probeOut;
  private long probeStartedAt;

  RegionBreaker(int threshold, long coolDownNanos, long probeTimeoutNanos) {
    this.threshold = threshold;
    this.coolDownNanos = coolDownNanos;
    this.probeTimeoutNanos = probeTimeoutNanos;
  }

  synchronized Permit acquire(long now) {
    switch (state) {
      case CLOSED:
        return Permit.ALLOWED;
      case OPEN:
        if (now - openedAt < coolDownNanos) {
          return Permit.DENIED;
        }
        state = BreakerState.HALF_OPEN;
        return grantProbe(now);
      default:
        return probeOut && now - probeStartedAt < probeTimeoutNanos
            ? Permit.DENIED
            : grantProbe(now);
    }
  }

  private Permit grantProbe(long now) {
    probeOut = true;
    probeStartedAt = now;
    return Permit.PROBE;
  }

  /**
   * Records the outcome of an attempt that {@link #acquire(long)} allowed.
   *
   * @return whether this outcome opened the breaker
   */
  synchronized boolean record(AttemptOutcome outcome, long now) {
    if (outcome.countsTowardBreaker()) {
      consecutiveFailures++;
      if (state == BreakerState.HALF_OPEN || consecutiveFailures >= threshold) {
        boolean opened = state != BreakerState.OPEN;
        state = BreakerState.OPEN;
        openedAt = now;
        probeOut = false;
        return opened;
      }
    } else if (outcome != AttemptOutcome.CREDENTIALS && outcome != AttemptOutcome.UNEXPECTED) {
      // Any answer from KMS (success or a client error) shows that the Region is reachable.
      // Credential and unexpected failures say nothing about the Region: leave the breaker be.
      consecutiveFailures = 0;
      state = BreakerState.CLOSED;
      probeOut = false;
    } else {
      release();
    }
    return false;
  }

  /** Gives back a probe that was granted but says nothing about the Region. */
  synchronized void release() {
    if (state == BreakerState.HALF_OPEN) {
      probeOut = false;
    }
  }

  synchronized BreakerState state() {
    return state;
  }

  /** Nanoseconds until the cool-down ends (0 if not open). */
  synchronized long coolDownRemaining(long now) {
    return state == BreakerState.OPEN ? Math.max(0, coolDownNanos - (now - openedAt)) : 0;
  }
}
