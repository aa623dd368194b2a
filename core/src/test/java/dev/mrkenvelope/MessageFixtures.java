package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Shared set-up of the property and stream tests: one raw AES keyring, clients per suite and frame
 * length, deterministic plaintexts, and a small independent walker over the message layout (so
 * tests can find frames and length fields without trusting the code under test).
 */
final class MessageFixtures {
  static final byte[] WRAPPING_KEY = new byte[32];

  static {
    for (int i = 0; i < WRAPPING_KEY.length; i++) {
      WRAPPING_KEY[i] = (byte) (0xA0 + i);
    }
  }

  static final Keyring KEYRING =
      RawAesKeyring.builder()
          .keyNamespace("props")
          .keyName("aes-256")
          .wrappingKey(WRAPPING_KEY)
          .build();

  /** Reads every suite; the EDK cap used by the fuzz properties. */
  static final int MAX_EDKS = 3;

  private MessageFixtures() {}

  /**
   * A client that can write {@code suite} with {@code frameLength} and read every suite, with a
   * frame length limit that lets it read back what it wrote.
   */
  static EnvelopeClient writer(AlgorithmSuite suite, int frameLength) {
    return EnvelopeClient.builder()
        .keyring(KEYRING)
        .algorithmSuite(suite)
        .commitmentPolicy(
            suite.isCommitting()
                ? CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
                : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        .frameLength(frameLength)
        .maxFrameLength(Math.max(frameLength, EnvelopeClient.DEFAULT_MAX_FRAME_LENGTH))
        .build();
  }

  /**
   * A client that accepts every suite and every message the format allows on decrypt: no EDK cap
   * beyond the format's 65535 and any frame length (the property tests cover frame lengths up to
   * 2^31-1; the default limits have their own tests in DecryptLimitsTest).
   */
  static EnvelopeClient reader() {
    return EnvelopeClient.builder()
        .keyring(KEYRING)
        .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
        .maxEncryptedDataKeys(0xFFFF)
        .maxFrameLength(Integer.MAX_VALUE)
        .build();
  }

  /** As {@link #reader()}, but at most {@link #MAX_EDKS} EDKs. */
  static EnvelopeClient cappedReader() {
    return EnvelopeClient.builder()
        .keyring(KEYRING)
        .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
        .maxEncryptedDataKeys(MAX_EDKS)
        .maxFrameLength(Integer.MAX_VALUE)
        .build();
  }

  /** Deterministic pseudo-random bytes. */
  static byte[] plaintext(int size, long seed) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static byte[] encrypt(
      AlgorithmSuite suite, int frameLength, byte[] plaintext, Map<String, String> ec) {
    return writer(suite, frameLength).encrypt(plaintext, ec).ciphertext();
  }

  /** Decrypts through the stream API, reading everything. */
  static byte[] streamDecrypt(EnvelopeClient client, byte[] message) throws IOException {
    try (DecryptingInputStream in = client.decryptingStream(new ByteArrayInputStream(message))) {
      return in.readAllBytes();
    }
  }

  /**
   * Runs {@code action}, which must fail. Returns the exception, failing the test when it succeeded
   * or when it threw anything but an {@link EnvelopeException} or {@link IOException} (the caller
   * narrows further).
   */
  static Throwable failureOf(ThrowingRunnable action) {
    try {
      action.run();
    } catch (EnvelopeException | IOException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a decrypt failure but got " + t, t);
    }
    return fail("expected the decrypt to fail, but it succeeded");
  }

  /** Asserts that {@code action} throws a {@link DecryptionFailedException} (or a subtype). */
  static void assertRejected(String what, ThrowingRunnable action) {
    Throwable t = failureOf(action);
    if (!(t instanceof DecryptionFailedException)) {
      throw new AssertionError(what + ": expected DecryptionFailedException but got " + t, t);
    }
  }

  /**
   * {@link #assertRejected}, but a {@link LimitExceededException} on the header size also counts as
   * a rejection: a flipped length or count field can make a header claim more than {@code
   * maxHeaderSize}, and the parser refuses before reading that far (the limit's purpose), whichever
   * API reads it. Any other exception fails.
   */
  static void assertRejectedOrHeaderLimit(String what, ThrowingRunnable action) {
    Throwable t = failureOf(action);
    boolean headerLimit =
        t instanceof LimitExceededException
            && ((LimitExceededException) t).limit() == MessageLimit.HEADER_SIZE;
    if (!(t instanceof DecryptionFailedException) && !headerLimit) {
      throw new AssertionError(
          what + ": expected DecryptionFailedException (or the header size limit) but got " + t, t);
    }
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  // ---------------------------------------------------------------------------------------------
  // An independent walker over the wire layout (header, body, footer), for valid messages only.

  /** Where things are in a valid framed message. */
  static final class Layout {
    int version;
    int suiteId;
    int edkCountOffset;
    int edkCount;

    /** Offset of the first EDK's provider-ID length field. */
    int firstEdkOffset;

    int contentTypeOffset;
    int frameLengthOffset;
    long frameLength;
    int headerLength;

    /** Start of each frame, the final frame last. */
    final List<Integer> frameStarts = new ArrayList<>();

    int bodyEnd;

    /** Offset of the footer's u16 length, or -1 when unsigned. */
    int footerOffset = -1;
  }

  static int u16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  static long u32(byte[] b, int p) {
    return ((long) (b[p] & 0xFF) << 24)
        | ((b[p + 1] & 0xFF) << 16)
        | ((b[p + 2] & 0xFF) << 8)
        | (b[p + 3] & 0xFF);
  }

  static void putU32(byte[] b, int p, long v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  static void putU64(byte[] b, int p, long v) {
    putU32(b, p, v >>> 32);
    putU32(b, p + 4, v);
  }

  /**
   * Reads the EDK count of a possibly damaged message, or -1 if the bytes do not reach it. Used to
   * decide whether a {@link PolicyException} about the EDK cap was justified.
   */
  static int edkCountOrMinusOne(byte[] m) {
    if (m.length < 1) {
      return -1;
    }
    int p;
    if (m[0] == 1) {
      p = 1 + 1 + 2 + 16;
    } else if (m[0] == 2) {
      p = 1 + 2 + 32;
    } else {
      return -1;
    }
    if (m.length < p + 2) {
      return -1;
    }
    p += 2 + u16(m, p);
    if (m.length < p + 2) {
      return -1;
    }
    return u16(m, p);
  }

  /** Walks a valid framed message written by a trusted writer. */
  static Layout layout(byte[] m) {
    Layout l = new Layout();
    l.version = m[0];
    int p = l.version == 1 ? 2 : 1;
    l.suiteId = u16(m, p);
    p += 2 + (l.version == 1 ? 16 : 32);
    p += 2 + u16(m, p);
    l.edkCountOffset = p;
    l.edkCount = u16(m, p);
    p += 2;
    l.firstEdkOffset = p;
    for (int i = 0; i < l.edkCount; i++) {
      for (int f = 0; f < 3; f++) {
        p += 2 + u16(m, p);
      }
    }
    l.contentTypeOffset = p;
    assertThat(m[p]).as("content type").isEqualTo((byte) 2);
    p += 1;
    if (l.version == 1) {
      p += 4 + 1;
    }
    l.frameLengthOffset = p;
    l.frameLength = u32(m, p);
    p += 4;
    p += l.version == 1 ? 12 + 16 : 32 + 16;
    l.headerLength = p;
    while (true) {
      l.frameStarts.add(p);
      if (u32(m, p) == 0xFFFFFFFFL) {
        p += 4 + 4 + 12 + 4 + (int) u32(m, p + 20) + 16;
        break;
      }
      p += 4 + 12 + (int) l.frameLength + 16;
    }
    l.bodyEnd = p;
    if (p != m.length) {
      l.footerOffset = p;
      assertThat(p + 2 + u16(m, p)).as("footer ends the message").isEqualTo(m.length);
    }
    return l;
  }

  /** A copy of {@code m} with {@code bit} (0 = most significant bit of byte 0) inverted. */
  static byte[] flipBit(byte[] m, long bit) {
    byte[] c = m.clone();
    c[(int) (bit >>> 3)] ^= (byte) (0x80 >>> (bit & 7));
    return c;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  /** An input stream that hands out at most a few bytes per read, to exercise partial reads. */
  static final class TrickleInputStream extends InputStream {
    private final byte[] data;
    private final SplittableRandom random;
    private final int maxChunk;
    private int pos;
    boolean closed;

    TrickleInputStream(byte[] data, long seed, int maxChunk) {
      this.data = data;
      this.random = new SplittableRandom(seed);
      this.maxChunk = maxChunk;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(maxChunk));
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    int position() {
      return pos;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : Arrays.copyOf(b, Math.min(b.length, 64))) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }
}
