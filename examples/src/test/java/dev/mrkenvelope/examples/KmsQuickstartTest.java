package dev.mrkenvelope.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's KMS quickstart runs as written, on kms-local. */
class KmsQuickstartTest {
  @Test
  void kmsQuickstart_roundTripsThroughTheMultiRegionKey() {
    assertThat(KmsQuickstart.run()).isEqualTo("hello, multi-region world");
  }
}
