package dev.mrkenvelope.aws.admin;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The monthly cost of a key set: its keys (the primary and every replica, each billed as a key) and
 * the requests the caller expects, at the given {@link KmsPrices}. A month is 30 days. Immutable
 * and thread-safe.
 *
 * @param keys how many keys are billed (1 + replicas)
 * @param keyCost keys × the monthly key price
 * @param requestsPerMonth the request rate passed in, × 2,592,000 seconds
 * @param requestCost requests / 10,000 × the per-10,000 price (symmetric, or asymmetric for signing
 *     key sets)
 * @param total keyCost + requestCost, in US dollars, rounded to the cent
 */
public record CostEstimate(
    int keys, BigDecimal keyCost, long requestsPerMonth, BigDecimal requestCost, BigDecimal total) {

  private static final long SECONDS_PER_MONTH = 30L * 24 * 3600;

  /** Checks that nothing is null. */
  public CostEstimate {
    Objects.requireNonNull(keyCost, "keyCost");
    Objects.requireNonNull(requestCost, "requestCost");
    Objects.requireNonNull(total, "total");
  }

  /**
   * Estimates a key set's monthly cost.
   *
   * @param spec the key set
   * @param requestsPerSecond the average KMS request rate of everything using the key set, all
   *     Regions together
   * @param prices the prices; {@link KmsPrices#defaults()} for AWS's public list prices
   * @throws IllegalArgumentException if the rate is negative or not finite
   */
  public static CostEstimate of(KeySetSpec spec, double requestsPerSecond, KmsPrices prices) {
    if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException(
          "requestsPerSecond must be a finite number >= 0: " + requestsPerSecond);
    }
    int keys = spec.regions().size();
    BigDecimal keyCost = prices.perKeyMonth().multiply(BigDecimal.valueOf(keys));
    long requests = Math.round(requestsPerSecond * SECONDS_PER_MONTH);
    BigDecimal per10k =
        spec.signing() ? prices.perTenThousandAsymmetric() : prices.perTenThousandSymmetric();
    BigDecimal requestCost =
        per10k
            .multiply(BigDecimal.valueOf(requests))
            .divide(BigDecimal.valueOf(10_000), 6, RoundingMode.HALF_UP);
    BigDecimal total = keyCost.add(requestCost).setScale(2, RoundingMode.HALF_UP);
    return new CostEstimate(
        keys, keyCost, requests, requestCost.setScale(2, RoundingMode.HALF_UP), total);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%d keys: $%s + %,d requests: $%s = $%s per month",
        keys,
        keyCost.setScale(2, RoundingMode.HALF_UP),
        requestsPerMonth,
        requestCost,
        total);
  }
}
