package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import dev.mrkenvelope.ReencrypterFixtures.NewKeyring;
import dev.mrkenvelope.materials.CachingMaterialsManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

class ReencrypterTest {
  private static final Map<String, String> EC = Map.of("tenant", "acme", "purpose", "migration");

  private static Reencrypter reencrypter(NewKeyring newKeyring) {
    return Reencrypter.builder()
        .decryptWith(MessageFixtures.KEYRING)
        .encryptWith(newKeyring)
        .build();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void messageOfEverySuite_reencryptsToCommittingSuiteUnderNewKey_keepingContext(
      AlgorithmSuite suite) throws Exception {
    byte[] plaintext = MessageFixtures.plaintext(3 * 512 + 7, suite.id());
    byte[] old = MessageFixtures.encrypt(suite, 512, plaintext, EC);
    NewKeyring newKeyring = new NewKeyring();
    Reencrypter r = reencrypter(newKeyring);
    EnvelopeClient newReader = ReencrypterFixtures.newReader(newKeyring);

    EncryptResult fromBytes = r.reencrypt(old);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Map<String, String> kept = r.reencrypt(new ByteArrayInputStream(old), sink, old.length);

    for (byte[] moved : new byte[][] {fromBytes.ciphertext(), sink.toByteArray()}) {
      DecryptResult d = newReader.decrypt(moved);
      assertThat(d.plaintext()).isEqualTo(plaintext);
      assertThat(d.algorithmSuite())
          .isEqualTo(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384);
      assertThat(d.encryptionContext()).containsAllEntriesOf(EC);
      // The old key no longer opens it: the data key is new, wrapped only by the new keyring.
      assertThatThrownBy(() -> MessageFixtures.reader().decrypt(moved))
          .isInstanceOf(NoDecryptableKeyException.class);
    }
    assertThat(kept).isEqualTo(EC);
    assertThat(fromBytes.encryptionContext()).containsAllEntriesOf(EC);
  }

  @Test
  void esdkJavaWrittenMessages_reencrypt_andEsdkReadsTheResult() {
    MaterialProviders mpl =
        MaterialProviders.builder()
            .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
            .build();
    IKeyring oldEsdk =
        mpl.CreateRawAesKeyring(
            CreateRawAesKeyringInput.builder()
                .keyNamespace("props")
                .keyName("aes-256")
                .wrappingKey(ByteBuffer.wrap(MessageFixtures.WRAPPING_KEY.clone()))
                .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16)
                .build());
    IKeyring newEsdk =
        mpl.CreateRawAesKeyring(
            CreateRawAesKeyringInput.builder()
                .keyNamespace("migrated")
                .keyName("new-key")
                .wrappingKey(ByteBuffer.wrap(ReencrypterFixtures.NEW_WRAPPING_KEY.clone()))
                .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16)
                .build());
    AwsCrypto legacyWriter =
        AwsCrypto.builder()
            .withCommitmentPolicy(
                com.amazonaws.encryptionsdk.CommitmentPolicy.ForbidEncryptAllowDecrypt)
            .withEncryptionAlgorithm(
                CryptoAlgorithm.ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384)
            .withEncryptionFrameSize(1000)
            .build();
    AwsCrypto currentReader =
        AwsCrypto.builder()
            .withCommitmentPolicy(
                com.amazonaws.encryptionsdk.CommitmentPolicy.RequireEncryptRequireDecrypt)
            .build();
    byte[] plaintext = MessageFixtures.plaintext(10_000, 7);
    byte[] old = legacyWriter.encryptData(oldEsdk, plaintext, EC).getResult();

    NewKeyring newKeyring = new NewKeyring();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    reencrypter(newKeyring).reencrypt(new ByteArrayInputStream(old), sink);

    var d = currentReader.decryptData(newEsdk, sink.toByteArray());
    assertThat(d.getResult()).isEqualTo(plaintext);
    assertThat(d.getEncryptionContext()).containsAllEntriesOf(EC);
    assertThat(d.getCryptoAlgorithm())
        .isEqualTo(CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384);
  }

  @Test
  void thousandMessagesThroughCachingManager_generateAtMostOneDataKeyPerMaxMessages() {
    NewKeyring newKeyring = new NewKeyring();
    CachingMaterialsManager cache =
        CachingMaterialsManager.builder()
            .keyring(newKeyring)
            .maxAge(Duration.ofMinutes(5))
            .maxMessagesPerKey(100)
            .build();
    Reencrypter r =
        Reencrypter.builder()
            .decryptWith(MessageFixtures.KEYRING)
            .encryptWith(cache)
            .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
            .build();
    byte[] old =
        MessageFixtures.encrypt(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 4096, new byte[100], EC);
    EnvelopeClient newReader = ReencrypterFixtures.newReader(newKeyring);
    for (int i = 0; i < 1000; i++) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      r.reencrypt(new ByteArrayInputStream(old), sink, old.length);
      if (i % 250 == 0) {
        assertThat(newReader.decrypt(sink.toByteArray()).plaintext()).isEqualTo(new byte[100]);
      }
    }
    assertThat(newKeyring.generated.get()).isEqualTo(1000 / 100);
  }

  @Test
  void streamOfUnknownLength_bypassesTheCache_oneDataKeyPerMessage() {
    NewKeyring newKeyring = new NewKeyring();
    Reencrypter r =
        Reencrypter.builder()
            .decryptWith(MessageFixtures.KEYRING)
            .encryptWith(
                CachingMaterialsManager.builder()
                    .keyring(newKeyring)
                    .maxAge(Duration.ofMinutes(5))
                    .build())
            .build();
    byte[] old =
        MessageFixtures.encrypt(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 4096, new byte[10], EC);
    for (int i = 0; i < 3; i++) {
      r.reencrypt(new ByteArrayInputStream(old), new ByteArrayOutputStream());
    }
    assertThat(newKeyring.generated.get()).isEqualTo(3);
  }

  @Test
  void requiredContextKeys_areAuthenticatedButNotStored_andReadersMustReproduceThem() {
    NewKeyring newKeyring = new NewKeyring();
    Reencrypter r =
        Reencrypter.builder()
            .decryptWith(MessageFixtures.KEYRING)
            .encryptWith(newKeyring)
            .requiredContextKeys(Set.of("tenant"))
            .build();
    byte[] old =
        MessageFixtures.encrypt(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 64, new byte[200], EC);
    byte[] moved = r.reencrypt(old).ciphertext();
    EnvelopeClient reader = ReencrypterFixtures.newReader(newKeyring);

    assertThatThrownBy(() -> reader.decrypt(moved)).isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> reader.decrypt(moved, Map.of("tenant", "other")))
        .isInstanceOf(DecryptionFailedException.class);
    DecryptResult d = reader.decrypt(moved, Map.of("tenant", "acme"));
    assertThat(d.encryptionContext()).containsAllEntriesOf(EC);
  }

  @Test
  void oldMessageWithRequiredContext_needsItReproduced_andKeepsIt() {
    NewKeyring first = new NewKeyring();
    byte[] withRequired =
        Reencrypter.builder()
            .decryptWith(MessageFixtures.KEYRING)
            .encryptWith(first)
            .requiredContextKeys(Set.of("tenant"))
            .build()
            .reencrypt(
                MessageFixtures.encrypt(
                    AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 64, new byte[5], EC))
            .ciphertext();

    NewKeyring second = new NewKeyring();
    Reencrypter without = Reencrypter.builder().decryptWith(first).encryptWith(second).build();
    assertThatThrownBy(() -> without.reencrypt(withRequired))
        .isInstanceOf(DecryptionFailedException.class);
    Reencrypter with =
        Reencrypter.builder()
            .decryptWith(first)
            .encryptWith(second)
            .reproducedContext(Map.of("tenant", "acme"))
            .build();
    // The pair is kept, now stored: the new message decrypts without reproducing it.
    assertThat(
            ReencrypterFixtures.newReader(second)
                .decrypt(with.reencrypt(withRequired).ciphertext())
                .encryptionContext())
        .containsAllEntriesOf(EC);
  }

  @Test
  void requiredKeyMissingFromMessage_isRefusedBeforeAnyOutput() {
    Reencrypter r =
        Reencrypter.builder()
            .decryptWith(MessageFixtures.KEYRING)
            .encryptWith(new NewKeyring())
            .requiredContextKeys(Set.of("region"))
            .build();
    byte[] old =
        MessageFixtures.encrypt(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 64, new byte[5], EC);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertThatThrownBy(() -> r.reencrypt(new ByteArrayInputStream(old), sink))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("'region'");
    assertThat(sink.size()).isZero();
  }

  @Test
  void strictPolicy_refusesLegacyMessages() {
    Reencrypter strict =
        Reencrypter.builder()
            .decryptWith(MessageFixtures.KEYRING)
            .encryptWith(new NewKeyring())
            .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
            .build();
    byte[] legacy =
        MessageFixtures.encrypt(
            AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, 64, new byte[5], EC);
    assertThatThrownBy(() -> strict.reencrypt(legacy)).isInstanceOf(PolicyException.class);
  }

  @Test
  void nonCommittingSuiteOrForbiddingPolicy_failsTheBuild_namingTheFix() {
    assertThatThrownBy(
            () ->
                Reencrypter.builder()
                    .decryptWith(MessageFixtures.KEYRING)
                    .encryptWith(new NewKeyring())
                    .algorithmSuite(AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AES_256_GCM_HKDF_SHA512_COMMIT_KEY");
    assertThatThrownBy(
            () ->
                Reencrypter.builder()
                    .decryptWith(MessageFixtures.KEYRING)
                    .encryptWith(new NewKeyring())
                    .commitmentPolicy(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("REQUIRE_ENCRYPT_ALLOW_DECRYPT");
    assertThatThrownBy(() -> Reencrypter.builder().decryptWith(MessageFixtures.KEYRING).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("encryptWith");
  }
}
