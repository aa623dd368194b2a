package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoResult;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/** Messages encrypted under a cached data key are ordinary messages: ESDK-Java 3.0.2 reads them. */
class CachingInteropTest {
  static final Map<String, String> EC = Map.of("tenant", "acme", "ключ", "значение");

  static IKeyring esdkRawAesKeyring() {
    MaterialProviders mpl =
        MaterialProviders.builder()
            .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
            .build();
    return mpl.CreateRawAesKeyring(
        CreateRawAesKeyringInput.builder()
            .keyNamespace(CountingKeyring.NAMESPACE)
            .keyName(CountingKeyring.NAME)
            .wrappingKey(ByteBuffer.wrap(CountingKeyring.WRAPPING_KEY))
            .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16)
            .build());
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
        "AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384",
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256"
      })
  void cachedDataKeyMessages_decryptWithEsdkJava(AlgorithmSuite suite) {
    CountingKeyring keyring = new CountingKeyring();
    dev.mrkenvelope.CommitmentPolicy policy =
        suite.isCommitting()
            ? dev.mrkenvelope.CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
            : dev.mrkenvelope.CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT;
    EnvelopeClient client =
        EnvelopeClient.builder()
            .algorithmSuite(suite)
            .commitmentPolicy(policy)
            .frameLength(512)
            .materialsManager(
                CachingMaterialsManager.builder()
                    .keyring(keyring)
                    .maxAge(Duration.ofMinutes(5))
                    .build())
            .build();
    List<byte[]> plaintexts = new ArrayList<>();
    List<byte[]> ciphertexts = new ArrayList<>();
    Set<String> dataKeys = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      byte[] pt = new byte[i * 300];
      for (int j = 0; j < pt.length; j++) {
        pt[j] = (byte) (i + j);
      }
      EncryptResult e = client.encrypt(pt, EC);
      plaintexts.add(pt);
      ciphertexts.add(e.ciphertext());
      dataKeys.add(HexFormat.of().formatHex(e.encryptedDataKeys().get(0).ciphertext()));
    }
    assertThat(dataKeys).hasSize(1);
    assertThat(keyring.encryptCalls).hasValue(1);

    AwsCrypto esdk =
        AwsCrypto.builder()
            .withCommitmentPolicy(
                suite.isCommitting()
                    ? CommitmentPolicy.RequireEncryptRequireDecrypt
                    : CommitmentPolicy.ForbidEncryptAllowDecrypt)
            .build();
    IKeyring esdkKeyring = esdkRawAesKeyring();
    for (int i = 0; i < ciphertexts.size(); i++) {
      CryptoResult<byte[], ?> r = esdk.decryptData(esdkKeyring, ciphertexts.get(i));
      assertThat(r.getResult()).isEqualTo(plaintexts.get(i));
      assertThat(r.getEncryptionContext()).containsAllEntriesOf(EC);
    }
  }
}
