package dev.mrkenvelope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheSpecTest {
  @Test
  void fullSpec_parsesEverySetting() {
    CacheSpec s = CacheSpec.parse("max-age=5m,max-messages=1000,max-bytes=1g,capacity=50");
    assertThat(s).isEqualTo(new CacheSpec(Duration.ofMinutes(5), 1000, 1L << 30, 50));
    assertThat(s.enabled()).isTrue();
  }

  @Test
  void durationsAndSizes_acceptTheUsualUnits() {
    assertThat(CacheSpec.parse("max-age=500ms").maxAge()).isEqualTo(Duration.ofMillis(500));
    assertThat(CacheSpec.parse("max-age=30").maxAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(CacheSpec.parse("max-age=2h").maxAge()).isEqualTo(Duration.ofHours(2));
    assertThat(CacheSpec.parse("max-age=1s,max-bytes=512KiB").maxBytes()).isEqualTo(512L << 10);
  }

  @Test
  void none_disablesTheCache() {
    assertThat(CacheSpec.parse("none").enabled()).isFalse();
  }

  @Test
  void badSpecs_failNamingTheFix() {
    assertThatThrownBy(() -> CacheSpec.parse("max-messages=10"))
        .hasMessageContaining("max-age is required");
    assertThatThrownBy(() -> CacheSpec.parse("max-age=5x"))
        .hasMessageContaining("500ms, 30s, 5m or 1h");
    assertThatThrownBy(() -> CacheSpec.parse("max-age=5m,max-messages=0"))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> CacheSpec.parse("max-age=5m,colour=red"))
        .hasMessageContaining("unknown setting 'colour'");
    assertThatThrownBy(() -> CacheSpec.parse("max-age=0s")).hasMessageContaining("positive");
  }
}
