package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import com.amazonaws.encryptionsdk.CryptoResult;
import com.amazonaws.encryptionsdk.ParsedCiphertext;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.EnvelopeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.cryptography.materialproviders.ICryptographicMaterialsManager;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.CreateDefaultCryptographicMaterialsManagerInput;
import software.amazon.cryptography.materialproviders.model.CreateRequiredEncryptionContextCMMInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * {@link RequiredEncryptionContextMaterialsManager} against ESDK-Java 3.0.2's Required Encryption
 * Context CMM, both directions, same raw AES key on both sides: the required pairs are kept out of
 * the header by both, both need them reproduced, and each reads the other's messages.
 */
class RequiredEncryptionContextInteropTest {
  static final Map<String, String> EC =
      Map.of("tenant", "acme", "region", "eu-west-1", "purpose", "interop", "ключ", "значение");
  static final Set<String> REQUIRED = Set.of("tenant", "ключ");
  static final Map<String, String> REPRODUCED = Map.of("tenant", "acme", "ключ", "значение");

  static ICryptographicMaterialsManager esdkRequiredCmm() {
    IKeyring keyring = CachingInteropTest.esdkRawAesKeyring();
    MaterialProviders mpl =
        MaterialProviders.builder()
            .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
            .build();
    // The MPL's 1.7.0 version accepts only an underlying CMM, not a keyring.
    ICryptographicMaterialsManager defaultCmm =
        mpl.CreateDefaultCryptographicMaterialsManager(
            CreateDefaultCryptographicMaterialsManagerInput.builder().keyring(keyring).build());
    return mpl.CreateRequiredEncryptionContextCMM(
        CreateRequiredEncryptionContextCMMInput.builder()
            .underlyingCMM(defaultCmm)
            .requiredEncryptionContextKeys(List.copyOf(REQUIRED))
            .build());
  }

  static AwsCrypto esdk(AlgorithmSuite suite) {
    return AwsCrypto.builder()
        .withCommitmentPolicy(
            suite.isCommitting()
                ? CommitmentPolicy.RequireEncryptRequireDecrypt
                : CommitmentPolicy.ForbidEncryptAllowDecrypt)
        .withEncryptionAlgorithm(esdkAlgorithm(suite))
        .build();
  }

  static CryptoAlgorithm esdkAlgorithm(AlgorithmSuite suite) {
    for (CryptoAlgorithm a : CryptoAlgorithm.values()) {
      if ((a.getValue() & 0xFFFF) == suite.id()
          && a.getMessageFormatVersion() == suite.messageFormatVersion()) {
        return a;
      }
    }
    throw new IllegalArgumentException("ESDK-Java has no algorithm " + suite);
  }

  static EnvelopeClient ours(AlgorithmSuite suite, MaterialsManager m) {
    return EnvelopeClient.builder()
        .materialsManager(m)
        .algorithmSuite(suite)
        .commitmentPolicy(
            suite.isCommitting()
                ? dev.mrkenvelope.CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                : dev.mrkenvelope.CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        .build();
  }

  static RequiredEncryptionContextMaterialsManager ourRequiredCmm() {
    return RequiredEncryptionContextMaterialsManager.builder()
        .keyring(new CountingKeyring())
        .requiredEncryptionContextKeys(REQUIRED)
        .build();
  }

  static byte[] plaintext(AlgorithmSuite suite) {
    return ("required context with " + suite).repeat(40).getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256"
      })
  void esdkRequiredCmmMessage_decryptsWithOurs_onlyWithTheReproducedPairs(AlgorithmSuite suite) {
    byte[] pt = plaintext(suite);
    byte[] ct = esdk(suite).encryptData(esdkRequiredCmm(), pt, EC).getResult();
    EnvelopeClient reader = ours(suite, ourRequiredCmm());
    EnvelopeClient plainReader = ours(suite, DefaultMaterialsManager.create(new CountingKeyring()));

    assertThat(new ParsedCiphertext(ct).getEncryptionContextMap())
        .doesNotContainKeys("tenant", "ключ");
    DecryptResult d = reader.decrypt(ct, REPRODUCED);

    assertThat(d.plaintext()).isEqualTo(pt);
    assertThat(d.encryptionContext()).containsAllEntriesOf(EC);
    assertThat(plainReader.decrypt(ct, REPRODUCED).plaintext()).isEqualTo(pt);
    // Not stored by the ESDK: without the pairs the message does not open.
    assertThatThrownBy(() -> plainReader.decrypt(ct)).isInstanceOf(EnvelopeException.class);
    assertThatThrownBy(() -> reader.decrypt(ct, Map.of("tenant", "acme")))
        .isInstanceOf(EnvelopeException.class);
    assertThatThrownBy(() -> plainReader.decrypt(ct, Map.of("tenant", "evil", "ключ", "значение")))
        .isInstanceOf(EnvelopeException.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256"
      })
  void ourRequiredCmmMessage_decryptsWithEsdk_onlyWithTheReproducedPairs(AlgorithmSuite suite) {
    byte[] pt = plaintext(suite);
    byte[] ct = ours(suite, ourRequiredCmm()).encrypt(pt, EC).ciphertext();
    AwsCrypto esdk = esdk(suite);

    CryptoResult<byte[], ?> viaRequiredCmm = esdk.decryptData(esdkRequiredCmm(), ct, REPRODUCED);
    CryptoResult<byte[], ?> viaKeyring =
        esdk.decryptData(CachingInteropTest.esdkRawAesKeyring(), ct, REPRODUCED);

    assertThat(viaRequiredCmm.getResult()).isEqualTo(pt);
    assertThat(viaKeyring.getResult()).isEqualTo(pt);
    assertThat(viaKeyring.getEncryptionContext()).containsAllEntriesOf(EC);
    // The ESDK's header parser finds only the pairs that are not required.
    assertThat(new ParsedCiphertext(ct).getEncryptionContextMap())
        .containsEntry("purpose", "interop")
        .doesNotContainKeys("tenant", "ключ");
    assertThatThrownBy(() -> esdk.decryptData(CachingInteropTest.esdkRawAesKeyring(), ct))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> esdk.decryptData(esdkRequiredCmm(), ct, Map.of("tenant", "acme")))
        .isInstanceOf(RuntimeException.class);
  }
}
