package dev.mrkenvelope.aws;

/**
 * The state of one Region's circuit breaker in a {@link KmsRouter} (as resilience4j's {@code
 * CircuitBreaker.State}). The {@code mrkenvelope.region.breaker} gauge publishes {@link
 * #gaugeValue()}.
 */
public enum BreakerState {
  /** Calls go to the Region. */
  CLOSED(0),
  /** The cool-down is over: one probe call goes to the Region; the others skip it. */
  HALF_OPEN(1),
  /** Too many consecutive failures: the Region is skipped until the cool-down ends. */
  OPEN(2);

  private final int gaugeValue;

  BreakerState(int gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  /** The value of the {@code mrkenvelope.region.breaker} gauge: 0 closed, 1 half-open, 2 open. */
  public int gaugeValue() {
    return gaugeValue;
  }
}
