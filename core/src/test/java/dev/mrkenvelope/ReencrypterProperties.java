package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.ReencrypterFixtures.NewKeyring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A tampered or truncated old message never yields a new message: the byte[] API returns nothing,
 * and what the stream API wrote before it failed is an unfinished message that no reader accepts.
 */
class ReencrypterProperties {
  private static final NewKeyring NEW_KEYRING = new NewKeyring();
  private static final Reencrypter REENCRYPTER =
      Reencrypter.builder()
          .decryptWith(MessageFixtures.KEYRING)
          .encryptWith(NEW_KEYRING)
          .frameLength(64)
          .build();
  private static final EnvelopeClient NEW_READER = ReencrypterFixtures.newReader(NEW_KEYRING);
  private static final AlgorithmSuite[] OLD_SUITES = {
    AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
    AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
    AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256,
    AlgorithmSuite.AES_128_GCM_IV12_TAG16_NO_KDF,
  };

  private static byte[] oldMessage(int suiteIndex, int size) {
    return MessageFixtures.encrypt(
        OLD_SUITES[suiteIndex], 32, MessageFixtures.plaintext(size, size), Map.of("k", "v"));
  }

  @Property(tries = 150)
  void bitFlippedOldMessage_producesNoAcceptableOutput(
      @ForAll @IntRange(min = 0, max = 3) int suite,
      @ForAll @IntRange(min = 0, max = 300) int size,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit) {
    byte[] m = oldMessage(suite, size);
    m[where % m.length] ^= (byte) (1 << bit);
    assertNothingUsable(m);
  }

  @Property(tries = 150)
  void truncatedOldMessage_producesNoAcceptableOutput(
      @ForAll @IntRange(min = 0, max = 3) int suite,
      @ForAll @IntRange(min = 0, max = 300) int size,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int cut) {
    byte[] m = oldMessage(suite, size);
    assertNothingUsable(Arrays.copyOf(m, cut % m.length));
  }

  private static void assertNothingUsable(byte[] bad) {
    assertThatThrownBy(() -> REENCRYPTER.reencrypt(bad)).isInstanceOf(EnvelopeException.class);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertThatThrownBy(() -> REENCRYPTER.reencrypt(new ByteArrayInputStream(bad), sink))
        .isInstanceOf(EnvelopeException.class);
    byte[] partial = sink.toByteArray();
    if (partial.length > 0) {
      assertThatThrownBy(() -> NEW_READER.decrypt(partial))
          .isInstanceOf(DecryptionFailedException.class);
    }
    assertThat(partial.length).isLessThan(bad.length + 4096);
  }
}
