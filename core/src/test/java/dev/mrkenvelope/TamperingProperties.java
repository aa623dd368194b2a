package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Issue 2 item 6: every single-bit flip, every truncation and any appended byte makes a message
 * fail with {@link DecryptionFailedException}, through the byte[] API and the stream API alike.
 *
 * <p>The examples are exhaustive over all bits / all prefixes of small messages of several suites
 * (v1 and v2, signed and unsigned, with and without a context); the properties take random flips
 * and cuts of larger messages.
 */
class TamperingProperties {
  private static final EnvelopeClient READER = MessageFixtures.reader();
  private static final List<String> REPORT = new ArrayList<>();

  /**
   * The small messages that are checked exhaustively: suite, frame length, plaintext size, context,
   * and which body bits the stream API is also tried on (1 = all; signed suites sample every 4th
   * body bit because every body flip costs an ECDSA verification of several ms).
   */
  private static final Object[][] SMALL =
      new Object[][] {
        {AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 16, 40, Map.of("tenant", "acme"), 1},
        {AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, 16, 33, Map.of(), 1},
        {AlgorithmSuite.AES_128_GCM_IV12_TAG16_NO_KDF, 8, 9, Map.of("a", "b"), 1},
        {AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256, 16, 17, Map.of(), 4},
        {
          AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
          4096,
          0,
          Map.of("k", "\u0001v\uD83D\uDE00"),
          4
        },
      };

  private static byte[] smallMessage(int i) {
    Object[] c = SMALL[i];
    @SuppressWarnings("unchecked")
    Map<String, String> ec = (Map<String, String>) c[3];
    return MessageFixtures.encrypt(
        (AlgorithmSuite) c[0], (Integer) c[1], MessageFixtures.plaintext((Integer) c[2], i), ec);
  }

  @Example
  void everySingleBitFlip_ofSmallMessages_isRejected() {
    long total = 0;
    for (int i = 0; i < SMALL.length; i++) {
      byte[] m = smallMessage(i);
      assertThat(READER.decrypt(m).plaintext()).hasSize((Integer) SMALL[i][2]);
      int headerBits = MessageFixtures.layout(m).headerLength * 8;
      int streamStride = (Integer) SMALL[i][4];
      AtomicLong cases = new AtomicLong();
      long t0 = System.nanoTime();
      String suite = SMALL[i][0].toString();
      // Both cores: the signed suites pay one ECDSA verification per body flip.
      LongStream.range(0, m.length * 8L)
          .parallel()
          .forEach(
              bit -> {
                byte[] bad = MessageFixtures.flipBit(m, bit);
                String what = suite + " bit " + bit + " of " + m.length * 8;
                MessageFixtures.assertRejected(what + " (byte[])", () -> READER.decrypt(bad));
                cases.incrementAndGet();
                if (bit < headerBits || (bit - headerBits) % streamStride == 0) {
                  MessageFixtures.assertRejected(
                      what + " (stream)", () -> MessageFixtures.streamDecrypt(READER, bad));
                  cases.incrementAndGet();
                }
              });
      total += cases.get();
      REPORT.add(
          String.format(
              "%s: all %d bits flipped, %d decrypts rejected, %d ms",
              suite, m.length * 8, cases.get(), (System.nanoTime() - t0) / 1_000_000));
    }
    REPORT.add("exhaustive single-bit flips: " + total + " decrypts rejected");
  }

  @Example
  void everyTruncation_ofSmallMessages_isRejectedByBothApis() {
    long cases = 0;
    for (int i = 0; i < SMALL.length; i++) {
      byte[] m = smallMessage(i);
      for (int len = 0; len < m.length; len++) {
        byte[] cut = Arrays.copyOf(m, len);
        String what = SMALL[i][0] + " prefix " + len + " of " + m.length;
        MessageFixtures.assertRejected(what + " (byte[])", () -> READER.decrypt(cut));
        MessageFixtures.assertRejected(
            what + " (stream)", () -> MessageFixtures.streamDecrypt(READER, cut));
        cases += 2;
      }
    }
    REPORT.add("exhaustive truncations: " + cases + " decrypts rejected");
  }

  @Example
  void trailingBytes_afterSmallMessages_areRejectedByBothApis() {
    long cases = 0;
    for (int i = 0; i < SMALL.length; i++) {
      byte[] m = smallMessage(i);
      for (byte[] tail :
          List.of(
              new byte[] {0},
              new byte[] {(byte) 0xFF},
              new byte[17],
              m,
              smallMessage((i + 1) % SMALL.length))) {
        byte[] longer = MessageFixtures.concat(m, tail);
        MessageFixtures.assertRejected("trailing (byte[])", () -> READER.decrypt(longer));
        MessageFixtures.assertRejected(
            "trailing (stream)", () -> MessageFixtures.streamDecrypt(READER, longer));
        cases += 2;
      }
    }
    REPORT.add("trailing-byte cases: " + cases + " decrypts rejected");
  }

  @Property(tries = 300, shrinking = ShrinkingMode.OFF)
  void randomBitFlip_ofLargerMessage_isRejected(
      @ForAll("suites") AlgorithmSuite suite,
      @ForAll @IntRange(min = 1, max = 4096) int frameLength,
      @ForAll @IntRange(min = 0, max = 65_536) int size,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where,
      @ForAll boolean inBody) {
    byte[] m =
        MessageFixtures.encrypt(
            suite, frameLength, MessageFixtures.plaintext(size, size), Map.of("p", "q"));
    // Half of the flips land in the body and footer, which dominate large messages anyway.
    int headerLength = MessageFixtures.layout(m).headerLength;
    long bit =
        inBody
            ? headerLength * 8L + (long) (where * (m.length - headerLength) * 8L)
            : (long) (where * headerLength * 8L);
    byte[] bad = MessageFixtures.flipBit(m, bit);
    MessageFixtures.assertRejectedOrHeaderLimit("bit " + bit, () -> READER.decrypt(bad));
    MessageFixtures.assertRejectedOrHeaderLimit(
        "bit " + bit + " (stream)", () -> MessageFixtures.streamDecrypt(READER, bad));
  }

  /**
   * Found by {@link #randomBitFlip_ofLargerMessage_isRejected} (seed -7577113281855609577): in a
   * ~1.1 MB message (frame length 2), a flip in the v1 header's EDK count makes the parser read 128
   * more EDKs out of the body. Whether it first meets bytes that are not an EDK (malformed) or a
   * header longer than {@code maxHeaderSize} (the limit) depends on the message's random IVs and
   * ciphertext, so either typed refusal is right, on both APIs, and nothing is released.
   */
  @Example
  void edkCountFlip_pastHeaderLimit_isRefusedAsMalformedOrOnTheHeaderLimit() {
    byte[] m =
        MessageFixtures.encrypt(
            AlgorithmSuite.AES_192_GCM_IV12_TAG16_HKDF_SHA256,
            2,
            MessageFixtures.plaintext(65_245, 65_245),
            Map.of("p", "q"));
    byte[] bad = MessageFixtures.flipBit(m, 248);
    MessageFixtures.assertRejectedOrHeaderLimit("bit 248", () -> READER.decrypt(bad));
    MessageFixtures.assertRejectedOrHeaderLimit(
        "bit 248 (stream)", () -> MessageFixtures.streamDecrypt(READER, bad));
  }

  @Property(tries = 300, shrinking = ShrinkingMode.OFF)
  void randomTruncation_ofLargerMessage_isRejected(
      @ForAll("suites") AlgorithmSuite suite,
      @ForAll @IntRange(min = 1, max = 4096) int frameLength,
      @ForAll @IntRange(min = 0, max = 65_536) int size,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where) {
    byte[] m =
        MessageFixtures.encrypt(
            suite, frameLength, MessageFixtures.plaintext(size, size), Map.of());
    int len = (int) (where * m.length);
    byte[] cut = Arrays.copyOf(m, len);
    MessageFixtures.assertRejected("prefix " + len, () -> READER.decrypt(cut));
    MessageFixtures.assertRejected(
        "prefix " + len + " (stream)", () -> MessageFixtures.streamDecrypt(READER, cut));
  }

  @Property(tries = 200, shrinking = ShrinkingMode.OFF)
  void appendedBytes_afterAnyMessage_areRejected(
      @ForAll("suites") AlgorithmSuite suite,
      @ForAll @IntRange(min = 1, max = 4096) int frameLength,
      @ForAll @IntRange(min = 0, max = 20_000) int size,
      @ForAll("tails") byte[] tail) {
    byte[] m =
        MessageFixtures.encrypt(
            suite, frameLength, MessageFixtures.plaintext(size, size), Map.of());
    byte[] longer = MessageFixtures.concat(m, tail);
    MessageFixtures.assertRejected("tail " + tail.length, () -> READER.decrypt(longer));
    MessageFixtures.assertRejected(
        "tail " + tail.length + " (stream)", () -> MessageFixtures.streamDecrypt(READER, longer));
  }

  @Provide
  Arbitrary<AlgorithmSuite> suites() {
    return PropertyArbitraries.suites();
  }

  @Provide
  Arbitrary<byte[]> tails() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
  }

  @AfterContainer
  static void printCounts() {
    REPORT.forEach(r -> System.out.println("[TamperingProperties] " + r));
  }
}
