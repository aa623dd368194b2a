package dev.mrkenvelope.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import com.amazonaws.encryptionsdk.CryptoResult;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * Interoperability with the AWS Encryption SDK for Java 3.0.2 (the oracle, test scope only), both
 * directions, with the same raw AES wrapping key, namespace and key name on both sides.
 *
 * <p>Matrix: every one of the 11 suites × frame lengths 0 (non-framed; the ESDK writes it, we never
 * do), 1, 512 and 4096 × encryption contexts (empty; ASCII; non-ASCII with Cyrillic, supplementary
 * characters whose UTF-16 and UTF-8 orders differ, and control characters) × plaintext sizes 0, 1,
 * frame−1, frame, frame+1, plus a few multi-MiB messages. Signing suites are slow on both sides, so
 * they get fewer contexts per size (every size and frame length still).
 */
class EsdkInteropTest {
  private static final String NAMESPACE = "mrk-envelope-interop";
  private static final String KEY_NAME = "aes-256-interop-key";
  private static final byte[] WRAPPING_KEY = new byte[32];
  private static final String PUBLIC_KEY_FIELD = "aws-crypto-public-key";
  private static final int[] FRAME_LENGTHS = {0, 1, 512, 4096};
  private static final int LARGE_SIZE = 3 * 1024 * 1024 + 17;

  static {
    for (int i = 0; i < WRAPPING_KEY.length; i++) {
      WRAPPING_KEY[i] = (byte) (0xA0 + i * 7);
    }
  }

  private static final Map<String, Map<String, String>> CONTEXTS = new LinkedHashMap<>();

  static {
    CONTEXTS.put("empty", Map.of());
    CONTEXTS.put("ascii", Map.of("purpose", "interop test", "tenant", "acme-42", "a", "b"));
    Map<String, String> nonAscii = new LinkedHashMap<>();
    nonAscii.put("ключ", "значение");
    nonAscii.put("\u0001\u0002\u0003", "control \u0007\t\n characters");
    // U+FF5E sorts after U+1F600 in UTF-8 (EF.. < F0..) but before it in UTF-16 (FF5E > D83D):
    // a writer that sorts Java Strings orders these two keys wrongly (UTF-16 order).
    nonAscii.put("\uFF5E", "fullwidth tilde");
    nonAscii.put("😀 emoji", "𝄞 clef, 漢字, ü");
    CONTEXTS.put("nonAscii", Map.copyOf(nonAscii));
  }

  private static final byte[] RANDOM = new byte[LARGE_SIZE];

  static {
    new Random(20240601L).nextBytes(RANDOM);
  }

  private static final Keyring MRK_KEYRING =
      RawAesKeyring.builder()
          .keyNamespace(NAMESPACE)
          .keyName(KEY_NAME)
          .wrappingKey(WRAPPING_KEY)
          .build();

  private static final IKeyring ESDK_KEYRING =
      MaterialProviders.builder()
          .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
          .build()
          .CreateRawAesKeyring(
              CreateRawAesKeyringInput.builder()
                  .keyNamespace(NAMESPACE)
                  .keyName(KEY_NAME)
                  .wrappingKey(ByteBuffer.wrap(WRAPPING_KEY.clone()))
                  .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16)
                  .build());

  /** Readers accept every suite, as a reader of old messages must. */
  private static final EnvelopeClient MRK_READER =
      EnvelopeClient.builder()
          .keyring(MRK_KEYRING)
          .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
          // The ESDK's non-framed messages hold their whole body as one frame, up to 3 MiB here.
          .maxFrameLength(8 << 20)
          .build();

  private static final AwsCrypto ESDK_READER =
      AwsCrypto.builder()
          .withCommitmentPolicy(
              com.amazonaws.encryptionsdk.CommitmentPolicy.RequireEncryptAllowDecrypt)
          .build();

  private static final Map<String, AwsCrypto> ESDK_WRITERS = new ConcurrentHashMap<>();
  private static final Map<String, EnvelopeClient> MRK_WRITERS = new ConcurrentHashMap<>();

  /** One cell of the matrix. */
  record Case(AlgorithmSuite suite, int frameLength, String contextName, int size) {
    Map<String, String> context() {
      return CONTEXTS.get(contextName);
    }

    byte[] plaintext() {
      // Each case gets its own slice of the random buffer, so equal sizes differ in content.
      int offset = Math.floorMod(name().hashCode(), RANDOM.length - size + 1);
      return Arrays.copyOfRange(RANDOM, offset, offset + size);
    }

    String name() {
      return String.format(
          "0x%04X frame=%d ctx=%s size=%d", suite.id(), frameLength, contextName, size);
    }
  }

  static CryptoAlgorithm esdkAlgorithm(AlgorithmSuite suite) {
    for (CryptoAlgorithm a : CryptoAlgorithm.values()) {
      if ((a.getValue() & 0xFFFF) == suite.id()
          && a.getMessageFormatVersion() == suite.messageFormatVersion()) {
        return a;
      }
    }
    throw new IllegalArgumentException("ESDK has no algorithm " + suite);
  }

  static AwsCrypto esdkWriter(AlgorithmSuite suite, int frameLength) {
    return ESDK_WRITERS.computeIfAbsent(
        suite + "/" + frameLength,
        k ->
            AwsCrypto.builder()
                .withCommitmentPolicy(
                    suite.isCommitting()
                        ? com.amazonaws.encryptionsdk.CommitmentPolicy.RequireEncryptRequireDecrypt
                        : com.amazonaws.encryptionsdk.CommitmentPolicy.ForbidEncryptAllowDecrypt)
                .withEncryptionAlgorithm(esdkAlgorithm(suite))
                .withEncryptionFrameSize(frameLength)
                .build());
  }

  static EnvelopeClient mrkWriter(AlgorithmSuite suite, int frameLength) {
    return MRK_WRITERS.computeIfAbsent(
        suite + "/" + frameLength,
        k ->
            EnvelopeClient.builder()
                .keyring(MRK_KEYRING)
                .algorithmSuite(suite)
                .commitmentPolicy(
                    suite.isCommitting()
                        ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                        : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
                .frameLength(frameLength)
                .build());
  }

  /**
   * The matrix for one direction. {@code withNonFramed}: frame length 0 (only the ESDK writes
   * non-framed messages).
   */
  static List<Case> matrix(boolean withNonFramed) {
    List<Case> cases = new ArrayList<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      for (int frame : FRAME_LENGTHS) {
        if (frame == 0 && !withNonFramed) {
          continue;
        }
        TreeSet<Integer> sizes = new TreeSet<>();
        if (frame == 0) {
          sizes.addAll(List.of(0, 1, 4095, 4096, 4097));
        } else {
          sizes.addAll(List.of(0, 1, frame - 1, frame, frame + 1));
        }
        List<String> contexts = new ArrayList<>(CONTEXTS.keySet());
        int i = 0;
        for (int size : sizes) {
          if (suite.isSigning()) {
            // Signing suites: one context per size, rotating, so all contexts still appear.
            cases.add(new Case(suite, frame, contexts.get(i++ % contexts.size()), size));
          } else {
            for (String ctx : contexts) {
              cases.add(new Case(suite, frame, ctx, size));
            }
          }
        }
      }
    }
    return cases;
  }

  static List<Case> largeCases(boolean esdkWrites) {
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
            4096,
            "nonAscii",
            LARGE_SIZE));
    cases.add(
        new Case(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 512, "ascii", LARGE_SIZE));
    cases.add(
        new Case(
            AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
            4096,
            "empty",
            LARGE_SIZE));
    if (esdkWrites) {
      cases.add(
          new Case(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 0, "ascii", LARGE_SIZE));
    }
    return cases;
  }

  @TestFactory
  Stream<DynamicNode> esdkMessages_decryptWithMrkEnvelope() {
    List<Case> cases = new ArrayList<>(matrix(true));
    cases.addAll(largeCases(true));
    return run("ESDK -> mrk-envelope", cases, EsdkInteropTest::esdkWritesMrkReads);
  }

  @TestFactory
  Stream<DynamicNode> mrkEnvelopeMessages_decryptWithEsdk() {
    List<Case> cases = new ArrayList<>(matrix(false));
    cases.addAll(largeCases(false));
    return run("mrk-envelope -> ESDK", cases, EsdkInteropTest::mrkWritesEsdkReads);
  }

  interface CaseCheck {
    void check(Case c);
  }

  private static Stream<DynamicNode> run(String direction, List<Case> cases, CaseCheck check) {
    long suites = cases.stream().map(Case::suite).distinct().count();
    String frames =
        cases.stream()
            .map(c -> String.valueOf(c.frameLength()))
            .distinct()
            .collect(Collectors.joining(","));
    System.out.printf(
        "interop %s: %d cases (%d suites x frame lengths %s x contexts x sizes, %d of %d MiB)%n",
        direction,
        cases.size(),
        suites,
        frames,
        cases.stream().filter(c -> c.size() == LARGE_SIZE).count(),
        LARGE_SIZE >> 20);
    assertThat(suites).as("suites covered").isEqualTo(AlgorithmSuite.values().length);
    AtomicInteger passed = new AtomicInteger();
    Map<AlgorithmSuite, List<Case>> bySuite = new LinkedHashMap<>();
    cases.forEach(c -> bySuite.computeIfAbsent(c.suite(), s -> new ArrayList<>()).add(c));
    Stream<DynamicNode> containers =
        bySuite.entrySet().stream()
            .map(
                e ->
                    dynamicContainer(
                        e.getKey().toString(),
                        e.getValue().stream()
                            .map(
                                c ->
                                    dynamicTest(
                                        c.name(),
                                        () -> {
                                          check.check(c);
                                          passed.incrementAndGet();
                                        }))));
    DynamicTest summary =
        dynamicTest(
            "summary: all " + cases.size() + " cases passed",
            () -> {
              System.out.printf(
                  "interop %s: %d of %d cases passed%n", direction, passed.get(), cases.size());
              assertThat(passed.get()).isEqualTo(cases.size());
            });
    return Stream.concat(containers, Stream.of(summary));
  }

  private static void esdkWritesMrkReads(Case c) {
    byte[] plaintext = c.plaintext();
    CryptoResult<byte[], ?> written =
        esdkWriter(c.suite(), c.frameLength()).encryptData(ESDK_KEYRING, plaintext, c.context());
    byte[] ciphertext = written.getResult();

    DecryptResult d = MRK_READER.decrypt(ciphertext);
    assertThat(d.plaintext()).as("plaintext").isEqualTo(plaintext);
    assertThat(d.algorithmSuite()).isEqualTo(c.suite());
    assertThat(withoutPublicKey(d.encryptionContext())).as("context").isEqualTo(c.context());
    assertThat(d.encryptionContext().containsKey(PUBLIC_KEY_FIELD))
        .isEqualTo(c.suite().isSigning());
    assertThat(d.encryptionContext()).isEqualTo(written.getEncryptionContext());
  }

  private static void mrkWritesEsdkReads(Case c) {
    byte[] plaintext = c.plaintext();
    EncryptResult e = mrkWriter(c.suite(), c.frameLength()).encrypt(plaintext, c.context());

    CryptoResult<byte[], ?> read = ESDK_READER.decryptData(ESDK_KEYRING, e.ciphertext());
    assertThat(read.getResult()).as("plaintext").isEqualTo(plaintext);
    assertThat(read.getCryptoAlgorithm()).isEqualTo(esdkAlgorithm(c.suite()));
    // ESDK returns the stored context, including aws-crypto-public-key for signing suites.
    assertThat(withoutPublicKey(read.getEncryptionContext())).as("context").isEqualTo(c.context());
    assertThat(read.getEncryptionContext()).isEqualTo(e.encryptionContext());
    assertThat(read.getEncryptionContext().containsKey(PUBLIC_KEY_FIELD))
        .isEqualTo(c.suite().isSigning());
  }

  private static Map<String, String> withoutPublicKey(Map<String, String> ec) {
    Map<String, String> out = new LinkedHashMap<>(ec);
    out.remove(PUBLIC_KEY_FIELD);
    return out;
  }
}
