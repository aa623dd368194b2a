package dev.mrkenvelope.aws.admin;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The KMS prices a {@link CostEstimate} uses, in US dollars. {@link #defaults()} holds AWS KMS's
 * public list prices as of 2026 for most Regions; prices differ by Region and change over time, so
 * pass your own for a real budget. Immutable and thread-safe.
 *
 * @param perKeyMonth the monthly price of one key; every replica is billed as a key of its own
 * @param perTenThousandSymmetric the price of 10,000 symmetric requests (GenerateDataKey, Decrypt…)
 * @param perTenThousandAsymmetric the price of 10,000 ECC/RSA signing requests (Sign, Verify)
 */
public record KmsPrices(
    BigDecimal perKeyMonth,
    BigDecimal perTenThousandSymmetric,
    BigDecimal perTenThousandAsymmetric) {

  /** Checks that no price is null or negative. */
  public KmsPrices {
    check("perKeyMonth", perKeyMonth);
    check("perTenThousandSymmetric", perTenThousandSymmetric);
    check("perTenThousandAsymmetric", perTenThousandAsymmetric);
  }

  private static void check(String name, BigDecimal v) {
    Objects.requireNonNull(v, name);
    if (v.signum() < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + v);
    }
  }

  /**
   * AWS KMS public pricing as of 2026: $1.00 per key per month (each replica counts), $0.03 per
   * 10,000 symmetric requests, $0.15 per 10,000 ECC signing requests. The free tier (20,000
   * requests a month) and the extra monthly charge for the first two rotations of a key's material
   * are left out.
   */
  public static KmsPrices defaults() {
    return new KmsPrices(new BigDecimal("1.00"), new BigDecimal("0.03"), new BigDecimal("0.15"));
  }
}
