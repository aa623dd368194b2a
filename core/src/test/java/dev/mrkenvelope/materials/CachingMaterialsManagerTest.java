package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.DecryptionFailedException;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.PolicyException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingMaterialsManagerTest {
  static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  static final Map<String, String> EC = Map.of("tenant", "acme");

  final CountingKeyring keyring = new CountingKeyring();
  final AtomicLong now = new AtomicLong(1_000_000_000L);

  CachingMaterialsManager.Builder cache() {
    return CachingMaterialsManager.builder()
        .keyring(keyring)
        .maxAge(Duration.ofMinutes(5))
        .ticker(now::get);
  }

  static EncryptionMaterialsRequest request(
      AlgorithmSuite suite, CommitmentPolicy policy, long length) {
    return EncryptionMaterialsRequest.builder()
        .encryptionContext(EC)
        .algorithmSuite(suite)
        .commitmentPolicy(policy)
        .plaintextLength(length)
        .build();
  }

  static EncryptionMaterialsRequest request(long length) {
    return request(SUITE, CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, length);
  }

  /** The data key's identity: the wrapped key bytes of its (only) EDK. */
  static String dataKeyId(EncryptionMaterials m) {
    return HexFormat.of().formatHex(m.encryptedDataKeys().get(0).ciphertext());
  }

  static EnvelopeClient client(MaterialsManager m) {
    return EnvelopeClient.builder().materialsManager(m).algorithmSuite(SUITE).build();
  }

  /** Drives the manager directly; returns messages per data key. */
  static Map<String, Integer> encryptMany(MaterialsManager m, int messages, long length) {
    EncryptionMaterialsRequest r = request(length);
    Map<String, Integer> uses = new HashMap<>();
    EncryptionMaterials last = null;
    String lastId = null;
    for (int i = 0; i < messages; i++) {
      EncryptionMaterials mat = m.getEncryptionMaterials(r);
      if (mat != last) { // the cache hands out the same instance while an entry lives
        last = mat;
        lastId = dataKeyId(mat);
      }
      uses.merge(lastId, 1, Integer::sum);
    }
    return uses;
  }

  @Test
  void millionEncrypts_thousandMessagesPerKey_thousandKeyringCalls() {
    CachingMaterialsManager m = cache().maxMessagesPerKey(1000).build();

    Map<String, Integer> uses = encryptMany(m, 1_000_000, 1024);

    assertThat(keyring.encryptCalls).hasValue(1000);
    assertThat(uses).hasSize(1000);
    assertThat(uses.values()).allMatch(n -> n == 1000);
  }

  @Test
  void millionEncrypts_oneMebibytePerKeyOfKibibyteMessages_977KeyringCalls() {
    CachingMaterialsManager m = cache().maxBytesPerKey(1 << 20).build();

    Map<String, Integer> uses = encryptMany(m, 1_000_000, 1024);

    // 1024 messages of 1 KiB fill 1 MiB exactly; ceil(1e6 / 1024) = 977 data keys.
    assertThat(keyring.encryptCalls).hasValue(977);
    assertThat(uses.values()).allMatch(n -> n <= 1024);
    assertThat(uses.values().stream().filter(n -> n == 1024)).hasSize(976);
  }

  @Test
  void clientEncrypts_hundredMessagesPerKey_oneKeyringCallPerHundred() {
    CachingMaterialsManager m = cache().maxMessagesPerKey(100).build();
    EnvelopeClient c = client(m);
    Map<String, Integer> uses = new HashMap<>();
    List<byte[]> ciphertexts = new ArrayList<>();

    for (int i = 0; i < 10_000; i++) {
      EncryptResult e = c.encrypt(new byte[] {(byte) i}, EC);
      uses.merge(
          HexFormat.of().formatHex(e.encryptedDataKeys().get(0).ciphertext()), 1, Integer::sum);
      if (i % 100 == 0) {
        ciphertexts.add(e.ciphertext());
      }
    }

    assertThat(keyring.encryptCalls).hasValue(100);
    assertThat(uses).hasSize(100).allSatisfy((k, n) -> assertThat(n).isEqualTo(100));
    for (int i = 0; i < ciphertexts.size(); i++) {
      assertThat(c.decrypt(ciphertexts.get(i)).plaintext()).containsExactly((byte) (i * 100));
    }
  }

  @Test
  void byteLimit_messagesThatNoLongerFit_getANewKey() {
    CachingMaterialsManager m = cache().maxBytesPerKey(10_000).build();

    Map<String, Integer> uses = encryptMany(m, 30, 3000);

    // 3 x 3000 = 9000 fit; a 4th would make 12000 > 10000.
    assertThat(keyring.encryptCalls).hasValue(10);
    assertThat(uses.values()).allMatch(n -> n == 3);
  }

  @Test
  void exhaustedEntry_neverUsedAgain_evenForASmallerMessage() {
    CachingMaterialsManager m = cache().maxBytesPerKey(1000).build();

    String first = dataKeyId(m.getEncryptionMaterials(request(600)));
    String second = dataKeyId(m.getEncryptionMaterials(request(600))); // 1200 > 1000: new key
    String third = dataKeyId(m.getEncryptionMaterials(request(100))); // would fit the first key

    assertThat(second).isNotEqualTo(first);
    assertThat(third).isEqualTo(second);
    assertThat(keyring.encryptCalls).hasValue(2);
  }

  @Test
  void plaintextEqualToByteLimit_isCached_largerBypasses() {
    CachingMaterialsManager m = cache().maxBytesPerKey(1000).build();

    String a = dataKeyId(m.getEncryptionMaterials(request(1000)));
    String tooLarge1 = dataKeyId(m.getEncryptionMaterials(request(1001)));
    String tooLarge2 = dataKeyId(m.getEncryptionMaterials(request(1001)));
    String zero = dataKeyId(m.getEncryptionMaterials(request(0)));

    assertThat(keyring.encryptCalls).hasValue(3);
    assertThat(tooLarge1).isNotEqualTo(tooLarge2).isNotEqualTo(a);
    assertThat(zero).isEqualTo(a); // 1000 + 0 bytes still within the limit
  }

  @Test
  void unknownLength_bypassesCache() {
    CachingMaterialsManager m = cache().build();

    for (int i = 0; i < 5; i++) {
      m.getEncryptionMaterials(request(-1));
    }

    assertThat(keyring.encryptCalls).hasValue(5);
  }

  @Test
  void streamWithoutLengthHint_bypassesCache_withHint_usesIt() throws Exception {
    EnvelopeClient c = client(cache().build());

    for (int i = 0; i < 3; i++) {
      try (OutputStream out = c.encryptingStream(new ByteArrayOutputStream(), EC)) {
        out.write(new byte[10]);
      }
    }
    assertThat(keyring.encryptCalls).hasValue(3);
    for (int i = 0; i < 3; i++) {
      try (OutputStream out = c.encryptingStream(new ByteArrayOutputStream(), EC, 10)) {
        out.write(new byte[10]);
      }
    }
    assertThat(keyring.encryptCalls).hasValue(4);
  }

  @Test
  void identityKdfSuite_neverCached_onEncryptOrDecrypt() {
    AlgorithmSuite noKdf = AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF;
    CachingMaterialsManager m = cache().build();
    EnvelopeClient c =
        EnvelopeClient.builder()
            .materialsManager(m)
            .algorithmSuite(noKdf)
            .commitmentPolicy(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
            .build();

    byte[] ct = null;
    for (int i = 0; i < 4; i++) {
      ct = c.encrypt(new byte[16], EC).ciphertext();
    }
    for (int i = 0; i < 4; i++) {
      c.decrypt(ct);
    }

    assertThat(keyring.encryptCalls).hasValue(4);
    assertThat(keyring.decryptCalls).hasValue(4);
  }

  @Test
  void maxAge_expiresEntriesByTicker_noSleep() {
    CachingMaterialsManager m = cache().maxAge(Duration.ofSeconds(60)).build();

    String a = dataKeyId(m.getEncryptionMaterials(request(1)));
    now.addAndGet(Duration.ofSeconds(60).toNanos() - 1);
    String b = dataKeyId(m.getEncryptionMaterials(request(1)));
    now.addAndGet(1); // age == maxAge: no longer younger than maxAge
    String c = dataKeyId(m.getEncryptionMaterials(request(1)));

    assertThat(b).isEqualTo(a);
    assertThat(c).isNotEqualTo(a);
    assertThat(keyring.encryptCalls).hasValue(2);
  }

  @Test
  void decrypt_messagesSharingADataKey_oneKeyringCall() {
    EnvelopeClient writer = client(cache().build());
    List<byte[]> messages = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      messages.add(writer.encrypt(new byte[] {(byte) i}, EC).ciphertext());
    }
    CountingKeyring readerKeyring = new CountingKeyring();
    EnvelopeClient reader =
        client(
            CachingMaterialsManager.builder()
                .keyring(readerKeyring)
                .maxAge(Duration.ofMinutes(1))
                .build());

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < messages.size(); i++) {
        assertThat(reader.decrypt(messages.get(i)).plaintext()).containsExactly((byte) i);
      }
    }

    assertThat(keyring.encryptCalls).hasValue(1);
    assertThat(readerKeyring.decryptCalls).hasValue(1);
  }

  @Test
  void decrypt_expiresByTicker() {
    CachingMaterialsManager m = cache().maxAge(Duration.ofSeconds(10)).build();
    EnvelopeClient c = client(m);
    byte[] ct = c.encrypt(new byte[1], EC).ciphertext();

    c.decrypt(ct);
    c.decrypt(ct);
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    c.decrypt(ct);

    assertThat(keyring.decryptCalls).hasValue(2);
  }

  @Test
  void decrypt_wrongReproducedContextAfterHit_stillFails() {
    EnvelopeClient c = client(cache().build());
    byte[] ct = c.encrypt(new byte[1], EC).ciphertext();

    c.decrypt(ct, Map.of("tenant", "acme"));
    c.decrypt(ct);

    assertThatThrownBy(() -> c.decrypt(ct, Map.of("tenant", "evil")))
        .isInstanceOf(DecryptionFailedException.class);
    // A pair the message does not store is a required pair: the wrapped key does not open.
    assertThatThrownBy(() -> c.decrypt(ct, Map.of("extra", "pair")))
        .isInstanceOf(EnvelopeException.class);
    // One call per distinct reproduced context; "evil" fails before reaching the keyring.
    assertThat(keyring.decryptCalls).hasValue(3);
  }

  @Test
  void signingSuite_cachedMaterialsShareTheSigningKey_andDecrypt() {
    AlgorithmSuite signing = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
    EnvelopeClient c =
        EnvelopeClient.builder().materialsManager(cache().build()).algorithmSuite(signing).build();

    EncryptResult e1 = c.encrypt(new byte[] {1}, EC);
    EncryptResult e2 = c.encrypt(new byte[] {2}, EC);

    assertThat(keyring.encryptCalls).hasValue(1);
    assertThat(e2.encryptionContext().get("aws-crypto-public-key"))
        .isNotNull()
        .isEqualTo(e1.encryptionContext().get("aws-crypto-public-key"));
    assertThat(c.decrypt(e1.ciphertext()).plaintext()).containsExactly(1);
    assertThat(c.decrypt(e2.ciphertext()).plaintext()).containsExactly(2);
    assertThat(keyring.decryptCalls).hasValue(1);
  }

  @Test
  void distinctEncryptionContexts_getDistinctKeys() {
    CachingMaterialsManager m = cache().build();
    EncryptionMaterialsRequest other =
        EncryptionMaterialsRequest.builder()
            .encryptionContext(Map.of("tenant", "other"))
            .algorithmSuite(SUITE)
            .plaintextLength(1)
            .build();

    String a = dataKeyId(m.getEncryptionMaterials(request(1)));
    String b = dataKeyId(m.getEncryptionMaterials(other));
    String a2 = dataKeyId(m.getEncryptionMaterials(request(1)));

    assertThat(b).isNotEqualTo(a);
    assertThat(a2).isEqualTo(a);
    assertThat(keyring.encryptCalls).hasValue(2);
  }

  @Test
  void keyringFailure_isNotCached_nextRequestRetries() {
    CachingMaterialsManager m = cache().build();
    keyring.failNext(new EnvelopeException("KMS is down"));

    assertThatThrownBy(() -> m.getEncryptionMaterials(request(1))).hasMessage("KMS is down");
    EncryptionMaterials ok = m.getEncryptionMaterials(request(1));

    assertThat(ok.hasPlaintextDataKey()).isTrue();
    assertThat(keyring.encryptCalls).hasValue(2);
  }

  @Test
  void cachedEntry_requestUnderForbiddingPolicy_throwsPolicyException() {
    CachingMaterialsManager m = cache().build();
    m.getEncryptionMaterials(request(1));

    assertThatThrownBy(
            () ->
                m.getEncryptionMaterials(
                    request(SUITE, CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT, 1)))
        .isInstanceOf(PolicyException.class);
  }

  @Test
  void upstreamRequest_announcesTheByteLimit_notTheMessageLength() {
    List<Long> seen = new ArrayList<>();
    MaterialsManager recording =
        new MaterialsManager() {
          final MaterialsManager d = DefaultMaterialsManager.create(keyring);

          @Override
          public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest r) {
            seen.add(r.plaintextLength().orElse(-1));
            return d.getEncryptionMaterials(r);
          }

          @Override
          public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest r) {
            return d.decryptMaterials(r);
          }
        };
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .materialsManager(recording)
            .maxAge(Duration.ofMinutes(1))
            .maxBytesPerKey(5000)
            .build();

    m.getEncryptionMaterials(request(10));

    assertThat(seen).containsExactly(5000L);
  }

  @Test
  void builder_badValues_failWithTheFix() {
    CachingMaterialsManager.Builder b = CachingMaterialsManager.builder();

    assertThatThrownBy(() -> b.maxAge(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxAge must be positive: PT0S");
    assertThatThrownBy(() -> b.maxAge(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxAge must be positive: PT-1S");
    assertThatThrownBy(() -> b.maxAge(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> b.maxMessagesPerKey(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxMessagesPerKey must be between 1 and 2^32 (4294967296): 0");
    assertThatThrownBy(() -> b.maxMessagesPerKey((1L << 32) + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4294967297");
    assertThatThrownBy(() -> b.maxBytesPerKey(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxBytesPerKey must not be negative: -1");
    assertThatThrownBy(() -> b.capacity(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("capacity must be at least 1: 0");
    assertThatThrownBy(() -> b.partition(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partition must not be empty");
    assertThat(b.maxMessagesPerKey(1L << 32).maxBytesPerKey(0)).isSameAs(b);
  }

  @Test
  void builder_missingOrConflictingSettings_failAtBuild() {
    assertThatThrownBy(
            () -> CachingMaterialsManager.builder().maxAge(Duration.ofMinutes(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("set a keyring(...) or a materialsManager(...) before build()");
    assertThatThrownBy(
            () ->
                CachingMaterialsManager.builder()
                    .keyring(keyring)
                    .materialsManager(DefaultMaterialsManager.create(keyring))
                    .maxAge(Duration.ofMinutes(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("set either keyring(...) or materialsManager(...), not both");
    assertThatThrownBy(() -> CachingMaterialsManager.builder().keyring(keyring).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("maxAge is required");
  }
}
