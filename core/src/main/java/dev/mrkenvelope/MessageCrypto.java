package dev.mrkenvelope;

import dev.mrkenvelope.internal.AesGcm;
import dev.mrkenvelope.internal.EncryptionContexts;
import dev.mrkenvelope.internal.SecureRandoms;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whole-message encryption and decryption over byte arrays. The layout is documented on {@link
 * HeaderCodec} (header), {@link FrameCodec} (frames) and {@link Footer} (signature).
 */
final class MessageCrypto {
  private static final int HEADER_TAG_LENGTH = 16;

  /** The header IV: zero in both versions (v1 writes it; v2 leaves it implicit). */
  private static final byte[] ZERO_IV = new byte[12];

  private MessageCrypto() {}

  /** Splits a materials context into the stored part and the required-only part. */
  static Map<String, String>[] splitContext(Map<String, String> ec, Set<String> requiredKeys) {
    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array cannot be created otherwise
    Map<String, String>[] parts = new Map[2];
    if (requiredKeys.isEmpty()) {
      parts[0] = ec;
      parts[1] = Map.of();
      return parts;
    }
    Map<String, String> stored = new LinkedHashMap<>();
    Map<String, String> required = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : ec.entrySet()) {
      (requiredKeys.contains(e.getKey()) ? required : stored).put(e.getKey(), e.getValue());
    }
    parts[0] = stored;
    parts[1] = required;
    return parts;
  }

  /**
   * Derives the message's keys and lays out its header for {@code m}; {@link Header#writeTo} writes
   * it. The length is known first so that a whole message can be written into one array.
   */
  static Header prepareHeader(EncryptionMaterials m, int frameLength) {
    AlgorithmSuite suite = m.algorithmSuite();
    byte[] dataKey = m.plaintextDataKey().orElseThrow();
    byte[] messageId = SecureRandoms.bytes(suite.messageIdLength());
    KeyDerivation.DerivedKeys dk;
    try {
      dk = KeyDerivation.derive(suite, dataKey, messageId);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
    Map<String, String>[] parts =
        splitContext(m.encryptionContext(), m.requiredEncryptionContextKeys());
    return new Header(
        m,
        frameLength,
        messageId,
        dk,
        EncryptionContexts.serialize(parts[0]),
        EncryptionContexts.serialize(parts[1]));
  }

  /** A message's header, laid out but not yet written, and the key its body is encrypted with. */
  static final class Header {
    private final EncryptionMaterials materials;
    private final int frameLength;
    private final byte[] storedContext;
    private final byte[] requiredContext;
    private final byte[] commitKey;
    private final int bodyLength;

    final byte[] messageId;
    final SecretKeySpec key;

    /** Body, v1 IV and tag. */
    final int length;

    private Header(
        EncryptionMaterials m,
        int frameLength,
        byte[] messageId,
        KeyDerivation.DerivedKeys dk,
        byte[] storedContext,
        byte[] requiredContext) {
      this.materials = m;
      this.frameLength = frameLength;
      this.messageId = messageId;
      this.key = dk.encryptionKey;
      this.commitKey = dk.commitKey;
      this.storedContext = storedContext;
      this.requiredContext = requiredContext;
      this.bodyLength =
          HeaderCodec.bodyLength(m.algorithmSuite(), storedContext.length, m.encryptedDataKeys());
      int ivLength = m.algorithmSuite().messageFormatVersion() == 1 ? 12 : 0;
      this.length = bodyLength + ivLength + HEADER_TAG_LENGTH;
    }

    /**
     * Writes the header at the start of {@code out}: the body, the v1 IV (zero, as {@code out} is
     * new) and the tag, GCM over an empty plaintext with AAD {@code body ‖ SerEC(required)}.
     */
    void writeTo(byte[] out) {
      int written =
          HeaderCodec.writeBody(
              out,
              materials.algorithmSuite(),
              messageId,
              storedContext,
              materials.encryptedDataKeys(),
              frameLength,
              commitKey);
      if (written != bodyLength) {
        throw new AssertionError("header size mismatch");
      }
      AesGcm.tag(
          key, ZERO_IV, out, 0, bodyLength, requiredContext, out, length - HEADER_TAG_LENGTH);
    }
  }

  static byte[] encrypt(EncryptionMaterials m, byte[] plaintext, int frameLength) {
    AlgorithmSuite suite = m.algorithmSuite();
    Header header = prepareHeader(m, frameLength);

    long len = plaintext.length;
    long regularFrames = len == 0 ? 0 : (len - 1) / frameLength;
    int finalLength = (int) (len - regularFrames * frameLength);
    long bodySize =
        regularFrames * (FrameCodec.REGULAR_HEADER + frameLength + FrameCodec.TAG_LENGTH)
            + FrameCodec.FINAL_HEADER
            + finalLength
            + FrameCodec.TAG_LENGTH;
    long total = header.length + bodySize + (suite.isSigning() ? Footer.MAX_LENGTH : 0);
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "a " + len + "-byte plaintext does not fit in one byte[] message; use encryptingStream");
    }
    byte[] out = new byte[(int) total];
    header.writeTo(out);
    int p = header.length;
    int in = 0;
    FrameCodec frames = new FrameCodec(header.key, header.messageId, frameLength);
    long seq = 1;
    for (; seq <= regularFrames; seq++) {
      p += frames.sealRegular(seq, plaintext, in, frameLength, out, p);
      in += frameLength;
    }
    p += frames.sealFinal(seq, plaintext, in, finalLength, out, p);

    if (!suite.isSigning()) {
      return out;
    }
    Signature signer = Footer.signer(m, false);
    Footer.update(signer, out, 0, p);
    byte[] footer = Footer.sign(signer);
    System.arraycopy(footer, 0, out, p, footer.length);
    return Arrays.copyOf(out, p + footer.length);
  }

  /**
   * Checks the key commitment and the header tag. Called before any body byte is decrypted.
   *
   * @return the derived body key
   */
  static SecretKeySpec authenticateHeader(MessageHeader h, DecryptionMaterials m) {
    byte[] dataKey = m.plaintextDataKey().orElseThrow();
    KeyDerivation.DerivedKeys dk;
    try {
      dk = KeyDerivation.derive(h.suite, dataKey, h.messageId);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
    if (h.suite.isCommitting() && !MessageDigest.isEqual(dk.commitKey, h.suiteData)) {
      throw Malformed.failure("the key commitment does not match the data key");
    }
    Map<String, String> required =
        splitContext(m.encryptionContext(), m.requiredEncryptionContextKeys())[1];
    byte[] requiredAad = EncryptionContexts.serialize(required);
    if (!AesGcm.verifyTag(
        dk.encryptionKey,
        h.ivArray,
        h.ivOffset,
        h.bytes,
        0,
        h.bodyLength,
        requiredAad,
        h.bytes,
        h.tagOffset)) {
      throw Malformed.failure();
    }
    return dk.encryptionKey;
  }

  /**
   * Decrypts the body and checks the footer of a whole message whose header is {@code h}.
   *
   * @throws LimitExceededException if the body holds more plaintext than {@code limits} allow
   */
  static byte[] decryptBody(
      byte[] msg, MessageHeader h, DecryptionMaterials m, SecretKeySpec key, DecryptLimits limits) {
    int start = h.totalLength;
    // Pass 1: walk the structure without crypto, so lengths are checked against what is really
    // there before the plaintext is allocated.
    int bodyEnd;
    long plaintextLength;
    if (h.contentType == MessageHeader.CONTENT_FRAMED) {
      long frameLength = h.frameLength;
      int p = start;
      long seq = 1;
      plaintextLength = 0;
      while (true) {
        if (msg.length - p < 4) {
          throw Malformed.failure();
        }
        long marker = BigEndian.u32(msg, p);
        if (marker == FrameCodec.FINAL_FRAME_MARKER) {
          if (msg.length - p < FrameCodec.FINAL_HEADER || BigEndian.u32(msg, p + 4) != seq) {
            throw Malformed.failure();
          }
          long len = BigEndian.u32(msg, p + 20);
          if (len > frameLength) {
            throw Malformed.failure();
          }
          limits.checkBodySize(plaintextLength + len);
          int end = FrameCodec.FINAL_HEADER + (int) len + FrameCodec.TAG_LENGTH;
          if (end > msg.length - p) {
            throw Malformed.failure();
          }
          p += end;
          plaintextLength += len;
          break;
        }
        if (marker != seq || seq >= FrameCodec.MAX_FRAMES) {
          throw Malformed.failure();
        }
        limits.checkBodySize(plaintextLength + frameLength);
        long end = FrameCodec.REGULAR_HEADER + frameLength + FrameCodec.TAG_LENGTH;
        if (end > msg.length - p) {
          throw Malformed.failure();
        }
        p += (int) end;
        plaintextLength += frameLength;
        seq++;
      }
      bodyEnd = p;
    } else {
      if (msg.length - start < FrameCodec.NON_FRAMED_HEADER) {
        throw Malformed.failure();
      }
      long len = BigEndian.u64(msg, start + 12);
      if (len < 0
          || len > FrameCodec.MAX_NON_FRAMED_LENGTH
          || len > FrameCodec.MAX_FRAME_IN_MEMORY) {
        throw Malformed.failure();
      }
      limits.checkFrameLength(len);
      limits.checkBodySize(len);
      long end = FrameCodec.NON_FRAMED_HEADER + len + FrameCodec.TAG_LENGTH;
      if (end > msg.length - start) {
        throw Malformed.failure();
      }
      plaintextLength = len;
      bodyEnd = start + (int) end;
    }
    verifyFooter(msg, bodyEnd, h.suite, m);

    // Pass 2: decrypt. The output is bounded by the message length checked above.
    byte[] out = new byte[(int) plaintextLength];
    try {
      decryptInto(msg, h, key, start, plaintextLength, out);
    } catch (DecryptionFailedException e) {
      Arrays.fill(out, (byte) 0); // earlier frames were authentic; still release nothing
      throw e;
    }
    return out;
  }

  private static void decryptInto(
      byte[] msg, MessageHeader h, SecretKeySpec key, int start, long plaintextLength, byte[] out) {
    FrameCodec frames = new FrameCodec(key, h.messageId, h.frameLength);
    if (h.contentType == MessageHeader.CONTENT_FRAMED) {
      int frameLength = h.frameLength;
      int p = start;
      int o = 0;
      long seq = 1;
      while (BigEndian.u32(msg, p) != FrameCodec.FINAL_FRAME_MARKER) {
        if (!frames.openRegular(
            seq, msg, p + 4, msg, p + FrameCodec.REGULAR_HEADER, frameLength, out, o)) {
          throw Malformed.failure();
        }
        p += FrameCodec.REGULAR_HEADER + frameLength + FrameCodec.TAG_LENGTH;
        o += frameLength;
        seq++;
      }
      int len = (int) BigEndian.u32(msg, p + 20);
      if (!frames.openFinal(seq, msg, p + 8, msg, p + FrameCodec.FINAL_HEADER, len, out, o)) {
        throw Malformed.failure();
      }
    } else {
      int len = (int) plaintextLength;
      if (!frames.openNonFramed(
          msg, start, msg, start + FrameCodec.NON_FRAMED_HEADER, len, out, 0)) {
        throw Malformed.failure();
      }
    }
  }

  private static void verifyFooter(
      byte[] msg, int bodyEnd, AlgorithmSuite suite, DecryptionMaterials m) {
    if (!suite.isSigning()) {
      if (bodyEnd != msg.length) {
        throw Malformed.failure();
      }
      return;
    }
    if (msg.length - bodyEnd < 2) {
      throw Malformed.failure();
    }
    int sigLength = BigEndian.u16(msg, bodyEnd);
    if (bodyEnd + 2 + sigLength != msg.length) {
      throw Malformed.failure();
    }
    Signature verifier = Footer.verifier(suite, m, false);
    Footer.update(verifier, msg, 0, bodyEnd);
    Footer.verify(verifier, msg, bodyEnd + 2, sigLength);
  }
}
