package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DefaultMaterialsManagerTest {
  final CountingKeyring keyring = new CountingKeyring();
  final DefaultMaterialsManager cmm = DefaultMaterialsManager.create(keyring);

  static EncryptionMaterialsRequest request(AlgorithmSuite suite, Map<String, String> ec) {
    return EncryptionMaterialsRequest.builder()
        .encryptionContext(ec)
        .algorithmSuite(suite)
        .commitmentPolicy(
            suite.isCommitting()
                ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        .build();
  }

  @Test
  void allZeroDataKeyToEncryptWith_isRefused_aRandomOneIsKept() {
    EncryptionMaterials start =
        EncryptionMaterials.create(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, Map.of("a", "b"), Set.of(), null);
    assertThatThrownBy(() -> start.withPlaintextDataKey(new byte[32]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("all zeros");
    byte[] one = new byte[32];
    one[31] = 1;
    assertThat(start.withPlaintextDataKey(one).plaintextDataKey()).contains(one);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void requestContextWithPublicKeyField_failsForEverySuite_beforeTheKeyring(AlgorithmSuite suite) {
    Map<String, String> ec = Map.of("aws-crypto-public-key", "caller-chosen", "a", "b");

    assertThatThrownBy(() -> cmm.getEncryptionMaterials(request(suite, ec)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'aws-crypto-public-key'")
        .hasMessageContaining("reserved");
    assertThat(keyring.encryptCalls).hasValue(0);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void requiredKeysOfTheRequest_areKeptInTheMaterials(AlgorithmSuite suite) {
    EncryptionMaterialsRequest r =
        EncryptionMaterialsRequest.builder()
            .encryptionContext(Map.of("tenant", "acme", "purpose", "x"))
            .requiredEncryptionContextKeys(Set.of("tenant"))
            .algorithmSuite(suite)
            .commitmentPolicy(request(suite, Map.of()).commitmentPolicy())
            .build();

    EncryptionMaterials m = cmm.getEncryptionMaterials(r);

    assertThat(m.requiredEncryptionContextKeys()).containsExactly("tenant");
    assertThat(m.encryptionContext()).containsEntry("tenant", "acme").containsEntry("purpose", "x");
  }

  @Test
  void requestWithARequiredKeyOutsideItsContext_isRefused() {
    assertThatThrownBy(
            () ->
                EncryptionMaterialsRequest.builder()
                    .encryptionContext(Map.of("a", "b"))
                    .requiredEncryptionContextKeys(Set.of("tenant"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'tenant' is not in the request's encryption context");
  }
}
