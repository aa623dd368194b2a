package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import com.amazonaws.encryptionsdk.CryptoMaterialsManager;
import com.amazonaws.encryptionsdk.caching.CachingCryptoMaterialsManager;
import com.amazonaws.encryptionsdk.caching.CryptoMaterialsCache;
import com.amazonaws.encryptionsdk.model.KeyBlob;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EncryptedDataKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cache identifiers are the ESDK's legacy SHA-512 formula (see {@link CacheIdentifiers}),
 * checked against values computed by hand (Python hashlib over the bytes written out below) and
 * against ESDK-Java 3.0.2's own CachingCryptoMaterialsManager.
 */
class CachingIdentifierTest {
  static final String PARTITION = "mrk-envelope-test";
  static final HexFormat HEX = HexFormat.of();

  static final Map<String, String> EC = Map.of("tenant", "acme", "purpose", "test");

  static final EncryptedDataKey KMS_EDK =
      EncryptedDataKey.of(
          "aws-kms",
          "arn:aws:kms:us-east-1:111122223333:key/mrk-1".getBytes(),
          HEX.parseHex("0102030405060708090a0b0c0d0e0f10"));
  static final EncryptedDataKey RAW_EDK =
      EncryptedDataKey.of(
          "raw-ns",
          HEX.parseHex("6b" + "00000080" + "0000000c" + "00".repeat(12)),
          HEX.parseHex("ab".repeat(48)));

  final CacheIdentifiers ids = new CacheIdentifiers(PARTITION);

  @Test
  void encryptWithSuite_matchesHandComputation() {
    // SerEC = 0002 0007 "purpose" 0004 "test" 0006 "tenant" 0004 "acme"
    // SHA512( SHA512("mrk-envelope-test") ‖ 01 ‖ 0478 ‖ SHA512(SerEC) )
    assertThat(HEX.formatHex(ids.forEncrypt(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, EC)))
        .isEqualTo(
            "3bf46912619331aef425748129cb6fca65b6c76ad209676eb01d82d6384a9212"
                + "f39d2535785db62a5f2e1b66a1511905d332f22e021c3f06d65423dbcd7ea5ff");
  }

  @Test
  void encryptWithoutSuite_matchesHandComputation() {
    // SHA512( SHA512("mrk-envelope-test") ‖ 00 ‖ SHA512(SerEC) )
    assertThat(HEX.formatHex(ids.forEncrypt(null, EC)))
        .isEqualTo(
            "db467c715debb8d3c9376609107e289fc6d46aa95e2e50a742bd7a0a336d9f4a"
                + "1f55b3cc5596b8f1a84672eb353620cd3499129e29f604a7d738777c4939e9f5");
  }

  @Test
  void encryptEmptyContext_hashesEmptyBytes() {
    // SHA512( SHA512("mrk-envelope-test") ‖ 01 ‖ 0578 ‖ SHA512("") )
    assertThat(
            HEX.formatHex(
                ids.forEncrypt(
                    AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, Map.of())))
        .isEqualTo(
            "1f8151eb958708b0d88aa5d7ada22b768727ea27ff395f3ecb43f08c41fce99d"
                + "06b0f2f9b2581964ad52b52d77ca768a111d8997acbed213ea04f657f3142bba");
  }

  @Test
  void decrypt_matchesHandComputation_edkHashesSorted() {
    // EDK entries: 0007 "aws-kms" 002c arn 0010 ct  and  0006 "raw-ns" 0015 info 0030 ct.
    // SHA512(raw entry) < SHA512(kms entry), so the order below must be swapped by the sort.
    // SHA512( P ‖ 0478 ‖ SHA512(raw) ‖ SHA512(kms) ‖ 00×64 ‖ SHA512(SerEC({tenant: acme})) )
    String expected =
        "f4790804f69de9410472d423c9fdf1effa4f9a02722f3b0d6d46d01c336a3029"
            + "7b6cdf243921fabc5a99f1a50c1808580a83a0de9aac5e968665112b0185fe1a";
    AlgorithmSuite suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
    Map<String, String> ec = Map.of("tenant", "acme");

    assertThat(HEX.formatHex(ids.forDecrypt(suite, List.of(KMS_EDK, RAW_EDK), ec)))
        .isEqualTo(expected);
    assertThat(HEX.formatHex(ids.forDecrypt(suite, List.of(RAW_EDK, KMS_EDK), ec)))
        .isEqualTo(expected);
  }

  @Test
  void edkSerialization_isTheHeaderEntry() {
    assertThat(HEX.formatHex(CacheIdentifiers.serialize(KMS_EDK)))
        .isEqualTo(
            "0007"
                + HEX.formatHex("aws-kms".getBytes())
                + "002c"
                + HEX.formatHex("arn:aws:kms:us-east-1:111122223333:key/mrk-1".getBytes())
                + "0010"
                + "0102030405060708090a0b0c0d0e0f10");
  }

  @Test
  void differentPartitions_differentIdentifiers() {
    AlgorithmSuite suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
    assertThat(new CacheIdentifiers("a").forEncrypt(suite, EC))
        .isNotEqualTo(new CacheIdentifiers("b").forEncrypt(suite, EC));
  }

  // ---- ESDK-Java 3.0.2 as the oracle: its caching CMM hands the identifier to the cache. ----

  /** A cache that records the identifier it is asked for and then stops the request. */
  static final class CapturingCache implements CryptoMaterialsCache {
    byte[] last;

    @Override
    public EncryptCacheEntry getEntryForEncrypt(byte[] cacheId, UsageStats usageIncrement) {
      last = cacheId.clone();
      throw new Captured();
    }

    @Override
    public EncryptCacheEntry putEntryForEncrypt(
        byte[] cacheId,
        com.amazonaws.encryptionsdk.model.EncryptionMaterials m,
        CacheHint hint,
        UsageStats usage) {
      throw new UnsupportedOperationException();
    }

    @Override
    public DecryptCacheEntry getEntryForDecrypt(byte[] cacheId) {
      last = cacheId.clone();
      throw new Captured();
    }

    @Override
    public void putEntryForDecrypt(
        byte[] cacheId, com.amazonaws.encryptionsdk.model.DecryptionMaterials m, CacheHint hint) {
      throw new UnsupportedOperationException();
    }
  }

  @SuppressWarnings("serial") // never serialized: a control-flow signal inside one test
  static final class Captured extends RuntimeException {
    Captured() {
      super(null, null, false, false);
    }
  }

  static final CryptoMaterialsManager UNUSED_BACKING =
      new CryptoMaterialsManager() {
        @Override
        public com.amazonaws.encryptionsdk.model.EncryptionMaterials getMaterialsForEncrypt(
            com.amazonaws.encryptionsdk.model.EncryptionMaterialsRequest r) {
          throw new UnsupportedOperationException();
        }

        @Override
        public com.amazonaws.encryptionsdk.model.DecryptionMaterials decryptMaterials(
            com.amazonaws.encryptionsdk.model.DecryptionMaterialsRequest r) {
          throw new UnsupportedOperationException();
        }
      };

  static CachingCryptoMaterialsManager esdkCmm(CapturingCache cache) {
    return CachingCryptoMaterialsManager.newBuilder()
        .withBackingMaterialsManager(UNUSED_BACKING)
        .withCache(cache)
        .withPartitionId(PARTITION)
        .withMaxAge(1, TimeUnit.MINUTES)
        .build();
  }

  static CryptoAlgorithm esdk(AlgorithmSuite suite) {
    return Arrays.stream(CryptoAlgorithm.values())
        .filter(a -> (a.getValue() & 0xFFFF) == suite.id())
        .findFirst()
        .orElseThrow();
  }

  static byte[] esdkEncryptId(CryptoAlgorithm alg, Map<String, String> ec) {
    CapturingCache cache = new CapturingCache();
    com.amazonaws.encryptionsdk.model.EncryptionMaterialsRequest.Builder r =
        com.amazonaws.encryptionsdk.model.EncryptionMaterialsRequest.newBuilder()
            .setContext(ec)
            .setPlaintextSize(100)
            .setCommitmentPolicy(
                com.amazonaws.encryptionsdk.CommitmentPolicy.RequireEncryptAllowDecrypt);
    if (alg != null) {
      r.setRequestedAlgorithm(alg);
    }
    assertThatThrownBy(() -> esdkCmm(cache).getMaterialsForEncrypt(r.build()))
        .isInstanceOf(Captured.class);
    return cache.last;
  }

  static Map<String, String> contextWithUnicode() {
    Map<String, String> ec = new LinkedHashMap<>();
    ec.put("zeta", "last");
    ec.put("ключ", "значение");
    ec.put("\uD83D\uDD11", "supplementary"); // sorts after U+FFFF-range keys in UTF-8, not UTF-16
    ec.put("\uFB01", "ligature");
    ec.put("a", "first");
    return ec;
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256"
      })
  void encryptIdentifier_equalsEsdkJava302(AlgorithmSuite suite) {
    for (Map<String, String> ec : List.of(Map.<String, String>of(), EC, contextWithUnicode())) {
      assertThat(ids.forEncrypt(suite, ec)).isEqualTo(esdkEncryptId(esdk(suite), ec));
      assertThat(ids.forEncrypt(null, ec)).isEqualTo(esdkEncryptId(null, ec));
    }
  }

  @Test
  void decryptIdentifier_equalsEsdkJava302() {
    List<EncryptedDataKey> edks = new ArrayList<>(List.of(KMS_EDK, RAW_EDK));
    for (int i = 0; i < 5; i++) {
      edks.add(
          EncryptedDataKey.of("p" + i, new byte[] {(byte) i}, new byte[] {(byte) (i * 37), 1, 2}));
    }
    for (AlgorithmSuite suite :
        List.of(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
            AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384)) {
      for (Map<String, String> ec : List.of(Map.<String, String>of(), EC, contextWithUnicode())) {
        List<KeyBlob> blobs = new ArrayList<>();
        for (EncryptedDataKey e : edks) {
          blobs.add(new KeyBlob(e.providerId(), e.providerInfo(), e.ciphertext()));
        }
        CapturingCache cache = new CapturingCache();
        com.amazonaws.encryptionsdk.model.DecryptionMaterialsRequest r =
            com.amazonaws.encryptionsdk.model.DecryptionMaterialsRequest.newBuilder()
                .setAlgorithm(esdk(suite))
                .setEncryptionContext(ec)
                .setEncryptedDataKeys(blobs)
                .build();
        assertThatThrownBy(() -> esdkCmm(cache).decryptMaterials(r)).isInstanceOf(Captured.class);

        assertThat(ids.forDecrypt(suite, edks, ec)).isEqualTo(cache.last);
      }
    }
  }
}
