package dev.mrkenvelope.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;

/** {@code replicaCreation(Duration.ZERO)}: a replica made through the SDK is usable at once. */
class ReplicaCreationTest {
  @RegisterExtension
  static final LocalKmsExtension KIT =
      LocalKmsExtension.builder()
          .regions("us-east-1", "eu-west-1")
          .replicaCreation(Duration.ZERO)
          .build();

  @Test
  void zeroReplicaCreation_replicaIsEnabledRightAfterReplicateKey(
      @InRegion("us-east-1") KmsClient us, @InRegion("eu-west-1") KmsClient eu) {
    String keyId = us.createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
    us.replicateKey(b -> b.keyId(keyId).replicaRegion("eu-west-1"));

    String replica = KIT.kms().keyArn("eu-west-1", keyId);
    assertThat(eu.describeKey(b -> b.keyId(replica)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
    assertThat(
            eu.generateDataKey(b -> b.keyId(replica).numberOfBytes(32)).plaintext().asByteArray())
        .hasSize(32);
  }

  @Test
  void negativeReplicaCreation_isRefusedNamingTheSetting() {
    assertThatThrownBy(() -> LocalKmsExtension.builder().replicaCreation(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replicaCreation must be zero or positive");
  }
}
