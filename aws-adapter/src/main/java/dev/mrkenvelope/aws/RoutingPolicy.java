package dev.mrkenvelope.aws;

/**
 * How a {@link KmsRouter} orders the allowed Regions for each call. Either way, Regions whose
 * circuit breaker is open are skipped, and only Regions given to {@link
 * KmsRouter.Builder#regions(String...)} are ever called.
 */
public enum RoutingPolicy {
  /**
   * The order of {@link KmsRouter.Builder#regions(String...)}: a reader in eu-west-1 with {@code
   * regions("eu-west-1", "us-east-1")} asks its local replica first. On encrypt, {@link
   * AwsKmsMrkKeyring} puts the configured key's own Region first unless told otherwise ({@link
   * EncryptRegion}).
   */
  PREFERENCE_ORDER,

  /**
   * Fastest first, by an exponentially weighted moving average (weight 0.3) of each Region's
   * observed attempt latency (timeouts count as the attempt timeout); Regions never measured go
   * first so that they get measured, ties keep preference order. So that estimates stay fresh, a
   * Region whose estimate is older than {@link KmsRouter.Builder#latencyProbeInterval} is put first
   * for one real call: at most one such probe per Region per interval (default 30 s), so the cost
   * is bounded by (Regions - 1) calls per interval.
   */
  LOWEST_LATENCY
}
