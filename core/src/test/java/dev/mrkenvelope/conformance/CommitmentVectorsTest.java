package dev.mrkenvelope.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.DecryptionFailedException;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.NoDecryptableKeyException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The 46 message-format-v2 known-answer tests of ESDK-Java ({@code commitment-test-vectors.json}):
 * each gives the plaintext data key ({@code decrypted-dek}), so no wrapping key is needed. The 41
 * with {@code status: true} must decrypt to their {@code plaintext-frames}; the 5 with a wrong
 * commitment must be rejected with {@link DecryptionFailedException}. Also pins the annotated
 * 237-byte v2 message (the JSON's first test) byte by byte.
 */
class CommitmentVectorsTest {
  private static final String FILE = "commitment-test-vectors.json";
  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Decoder B64 = Base64.getDecoder();

  private static EnvelopeClient clientWithDataKey(byte[] dek) {
    return EnvelopeClient.builder()
        .keyring(new FixedDataKeyKeyring(dek))
        .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
        .build();
  }

  @TestFactory
  Stream<DynamicTest> commitmentKnownAnswerTests_decryptOrAreRejectedAsExpected() {
    JsonNode tests = EsdkVectors.readJsonFile(FILE).get("tests");
    List<JsonNode> valid = new ArrayList<>();
    List<JsonNode> invalid = new ArrayList<>();
    tests.forEach(t -> (t.get("status").asBoolean() ? valid : invalid).add(t));
    assertThat(tests).as("tests in " + FILE).hasSize(46);
    assertThat(valid).as("valid tests").hasSize(41);
    assertThat(invalid).as("invalid tests").hasSize(5);

    AtomicInteger decrypted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    Stream<DynamicTest> positive =
        valid.stream()
            .map(
                t ->
                    dynamicTest(
                        "valid: " + t.get("comment").asText(),
                        () -> {
                          byte[] ciphertext = B64.decode(t.get("ciphertext").asText());
                          DecryptResult d =
                              clientWithDataKey(B64.decode(t.get("decrypted-dek").asText()))
                                  .decrypt(ciphertext);
                          assertThat(d.plaintext()).isEqualTo(plaintext(t));
                          assertThat(d.algorithmSuite().id())
                              .isEqualTo(((ciphertext[1] & 0xFF) << 8) | (ciphertext[2] & 0xFF));
                          assertThat(d.encryptionContext())
                              .isEqualTo(EsdkVectors.stringMap(t.get("encryption-context")));
                          decrypted.incrementAndGet();
                        }));
    Stream<DynamicTest> negative =
        invalid.stream()
            .map(
                t ->
                    dynamicTest(
                        "invalid: " + t.get("comment").asText(),
                        () -> {
                          byte[] ciphertext = B64.decode(t.get("ciphertext").asText());
                          FixedDataKeyKeyring keyring =
                              new FixedDataKeyKeyring(B64.decode(t.get("decrypted-dek").asText()));
                          EnvelopeClient client = EnvelopeClient.builder().keyring(keyring).build();
                          assertThatThrownBy(() -> client.decrypt(ciphertext))
                              .isInstanceOf(DecryptionFailedException.class)
                              .isNotInstanceOf(NoDecryptableKeyException.class);
                          assertThat(keyring.calls()).as("data key was supplied").isEqualTo(1);
                          rejected.incrementAndGet();
                        }));
    DynamicTest summary =
        dynamicTest(
            "summary: 41 decrypted, 5 rejected",
            () -> {
              System.out.printf(
                  "commitment-test-vectors: %d decrypted, %d rejected (wrong commitment), 0"
                      + " skipped%n",
                  decrypted.get(), rejected.get());
              assertThat(decrypted.get()).as("decrypted").isEqualTo(41);
              assertThat(rejected.get()).as("rejected").isEqualTo(5);
            });
    return Stream.of(positive, negative, Stream.of(summary)).flatMap(s -> s);
  }

  private static byte[] plaintext(JsonNode test) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonNode frame : test.get("plaintext-frames")) {
      out.writeBytes(frame.asText().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  // --- the annotated 237-byte v2 message (test 1 of the JSON) ---

  private static final byte[] DEK =
      HEX.parseHex("fa9ebec213d5c3d90ead82d914c4412769fa5658ba4ffed39230e8b92fb6e6cd");
  private static final byte[] MESSAGE_ID =
      HEX.parseHex("4dfbd1314d9d55925b817232c5e36d6e3e5e230f018930e2c2c1f243f67dc179");
  private static final byte[] DERIVED_KEY =
      HEX.parseHex("57aef7d35c8c26d9348f139cdd025e05a73ab8ac4edd7ca55ad90a4d899453e3");
  private static final byte[] COMMIT_KEY =
      HEX.parseHex("17cf08f733db51049f3a5ccb5effae218dbe9bf13a8f63ccb1b81e1d51ff2f4c");

  private static byte[] annotatedMessage() {
    JsonNode tests = EsdkVectors.readJsonFile(FILE).get("tests");
    for (JsonNode t : tests) {
      if (t.get("comment").asText().equals("1. Non-KMS key provider")) {
        return B64.decode(t.get("ciphertext").asText());
      }
    }
    throw new IllegalStateException("test 1 not found in " + FILE);
  }

  private static byte[] range(byte[] b, int offset, int length) {
    return Arrays.copyOfRange(b, offset, offset + length);
  }

  @Test
  void annotatedV2Message_hasTheDocumentedLayout() {
    byte[] msg = annotatedMessage();
    assertThat(msg).hasSize(237);
    assertThat(range(msg, 0, 3)).isEqualTo(HEX.parseHex("020478"));
    assertThat(range(msg, 3, 32)).isEqualTo(MESSAGE_ID);
    assertThat(range(msg, 35, 4)).isEqualTo(HEX.parseHex("00000001")); // empty EC, 1 EDK
    assertThat(new String(range(msg, 41, 12), StandardCharsets.UTF_8)).isEqualTo("ProviderName");
    assertThat(range(msg, 130, 5)).isEqualTo(HEX.parseHex("0200001000")); // framed, 4096
    assertThat(range(msg, 135, 32)).isEqualTo(COMMIT_KEY);
    assertThat(range(msg, 183, 8)).isEqualTo(HEX.parseHex("ffffffff00000001"));
    assertThat(range(msg, 203, 4)).isEqualTo(HEX.parseHex("0000000e"));
  }

  /**
   * Derives the keys independently of the main code (HKDF-SHA512 written out with {@link Mac}),
   * checks them against the documented bytes, and shows they authenticate this message: the header
   * tag and the frame verify with the derived key, and the commit key is the header's suite data.
   */
  @Test
  void annotatedV2Message_documentedKeysFollowFromTheDataKey() throws Exception {
    byte[] msg = annotatedMessage();
    Mac hmac = Mac.getInstance("HmacSHA512");
    hmac.init(new SecretKeySpec(MESSAGE_ID, "HmacSHA512"));
    byte[] prk = hmac.doFinal(DEK);
    hmac.init(new SecretKeySpec(prk, "HmacSHA512"));
    byte[] encKey =
        Arrays.copyOf(
            hmac.doFinal(concat(HEX.parseHex("0478"), ascii("DERIVEKEY"), new byte[] {1})), 32);
    byte[] commitKey = Arrays.copyOf(hmac.doFinal(concat(ascii("COMMITKEY"), new byte[] {1})), 32);
    assertThat(encKey).isEqualTo(DERIVED_KEY);
    assertThat(commitKey).isEqualTo(COMMIT_KEY).isEqualTo(range(msg, 135, 32));

    SecretKeySpec key = new SecretKeySpec(DERIVED_KEY, "AES");
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, new byte[12]));
    gcm.updateAAD(msg, 0, 167);
    assertThat(gcm.doFinal(msg, 167, 16)).as("header tag verifies").isEmpty();

    byte[] bodyAad =
        ByteBuffer.allocate(32 + 34 + 4 + 8)
            .put(MESSAGE_ID)
            .put(ascii("AWSKMSEncryptionClient Final Frame"))
            .putInt(1)
            .putLong(14)
            .array();
    gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, range(msg, 191, 12)));
    gcm.updateAAD(bodyAad);
    assertThat(new String(gcm.doFinal(msg, 207, 14 + 16), StandardCharsets.UTF_8))
        .isEqualTo("GoodCommitment");
  }

  /**
   * Through the public API: with the given data key the message decrypts, which it only can if
   * mrk-envelope derived exactly {@link #DERIVED_KEY} (the header tag and frame verify under it
   * alone) and {@link #COMMIT_KEY} (compared with the header's suite data).
   */
  @Test
  void annotatedV2Message_decryptsWithTheDataKeyThroughThePublicApi() {
    DecryptResult d = clientWithDataKey(DEK).decrypt(annotatedMessage());
    assertThat(new String(d.plaintext(), StandardCharsets.UTF_8)).isEqualTo("GoodCommitment");
    assertThat(d.algorithmSuite()).isEqualTo(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY);
    assertThat(d.encryptionContext()).isEqualTo(Map.of());
    assertThat(d.encryptedDataKeys()).hasSize(1);
    assertThat(d.encryptedDataKeys().get(0).providerId()).isEqualTo("ProviderName");
  }

  @Test
  void annotatedV2Message_wrongDataKeyOrAlteredCommitKey_isRejected() {
    byte[] wrongDek = DEK.clone();
    wrongDek[31] ^= 1;
    assertThatThrownBy(() -> clientWithDataKey(wrongDek).decrypt(annotatedMessage()))
        .isInstanceOf(DecryptionFailedException.class);

    byte[] altered = annotatedMessage();
    altered[135] ^= (byte) 0x80; // first commit-key byte
    assertThatThrownBy(() -> clientWithDataKey(DEK).decrypt(altered))
        .isInstanceOf(DecryptionFailedException.class);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
