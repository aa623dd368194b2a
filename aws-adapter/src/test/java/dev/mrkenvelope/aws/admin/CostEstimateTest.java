package dev.mrkenvelope.aws.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Monthly cost of a key set: keys × key price + requests × request price. */
class CostEstimateTest {

  @Test
  void threeRegionsAtTenRequestsPerSecond_costsKeysPlusRequestsAtDefaultPrices() {
    CostEstimate c = CostEstimate.of(AdminKit.spec("alias/c"), 10, KmsPrices.defaults());

    assertThat(c.keys()).isEqualTo(3);
    assertThat(c.requestsPerMonth()).isEqualTo(25_920_000L);
    // 3 × $1 + 25,920,000 / 10,000 × $0.03 = $3 + $77.76
    assertThat(c.requestCost()).isEqualByComparingTo("77.76");
    assertThat(c.total()).isEqualByComparingTo("80.76");
  }

  @Test
  void pricesPassedIn_replaceTheDefaults() {
    KmsPrices p = new KmsPrices(new BigDecimal("2"), new BigDecimal("0.10"), new BigDecimal("1"));
    CostEstimate c = CostEstimate.of(AdminKit.spec("alias/c", List.of()), 0, p);

    assertThat(c.total()).isEqualByComparingTo("2.00");
  }

  @Test
  void negativeRate_isRefused() {
    assertThatThrownBy(() -> CostEstimate.of(AdminKit.spec("alias/c"), -1, KmsPrices.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestsPerSecond");
  }
}
