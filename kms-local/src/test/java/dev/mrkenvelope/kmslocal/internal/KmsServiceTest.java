package dev.mrkenvelope.kmslocal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KmsServiceTest {
  final KmsService service = new KmsService("111122223333", List.of("us-east-1"), Duration.ZERO);

  @Test
  void everyListedOperation_isDispatched_andNothingElse() {
    assertThat(service.operations())
        .hasSize(38)
        .contains("CreateGrant", "GenerateRandom", "Sign", "Decrypt");
    for (String op : service.operations()) {
      // An empty request fails validation inside the operation, never as an unknown operation.
      try {
        service.handle("us-east-1", op, JsonRequest.parse(new byte[0]));
      } catch (KmsError e) {
        assertThat(e.code()).as(op).isNotEqualTo("UnknownOperationException");
      }
    }
    assertThatThrownBy(
            () ->
                service.handle("us-east-1", "ListRetirableGrants", JsonRequest.parse(new byte[0])))
        .isInstanceOfSatisfying(
            KmsError.class, e -> assertThat(e.code()).isEqualTo("UnknownOperationException"))
        .hasMessageContaining("supported: [CancelKeyDeletion");
    assertThat(service.supports("Decrypt")).isTrue();
    assertThat(service.supports("decrypt")).isFalse();
  }
}
