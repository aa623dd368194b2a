package dev.mrkenvelope;

import dev.mrkenvelope.internal.AesGcm;
import dev.mrkenvelope.internal.Ecdsa;
import dev.mrkenvelope.internal.EncryptionContexts;
import dev.mrkenvelope.internal.SecureRandoms;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whole-message encryption and decryption over byte arrays. The layout is documented on {@link
 * HeaderCodec} (header), {@link Body} (frames) and here (footer: {@code u16 length ‖ DER ECDSA
 * signature} over every header and body byte, present only for signing suites).
 */
final class MessageCrypto {
  private static final int HEADER_TAG_LENGTH = 16;
  private static final int MAX_SIGNATURE_LENGTH = 2 + 104;

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

  /** Writes the header (body, v1 IV, tag) for {@code m}, returning it with the derived key. */
  static HeaderAndKey writeHeader(EncryptionMaterials m, int frameLength) {
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
    byte[] body =
        HeaderCodec.writeBody(
            suite,
            messageId,
            EncryptionContexts.serialize(parts[0]),
            m.encryptedDataKeys(),
            frameLength,
            dk.commitKey);
    byte[] aad = concat(body, EncryptionContexts.serialize(parts[1]));
    int ivLength = suite.messageFormatVersion() == 1 ? 12 : 0;
    byte[] header = Arrays.copyOf(body, body.length + ivLength + HEADER_TAG_LENGTH);
    // The header IV is all zeros; the tag is GCM over an empty plaintext.
    AesGcm.encrypt(
        dk.encryptionKey, new byte[12], aad, new byte[0], 0, 0, header, body.length + ivLength);
    return new HeaderAndKey(header, messageId, dk.encryptionKey);
  }

  /** A written header and the key its body is encrypted with. */
  static final class HeaderAndKey {
    final byte[] header;
    final byte[] messageId;
    final SecretKeySpec key;

    HeaderAndKey(byte[] header, byte[] messageId, SecretKeySpec key) {
      this.header = header;
      this.messageId = messageId;
      this.key = key;
    }
  }

  static byte[] encrypt(EncryptionMaterials m, byte[] plaintext, int frameLength) {
    AlgorithmSuite suite = m.algorithmSuite();
    HeaderAndKey hk = writeHeader(m, frameLength);
    byte[] header = hk.header;

    long len = plaintext.length;
    long regularFrames = len == 0 ? 0 : (len - 1) / frameLength;
    int finalLength = (int) (len - regularFrames * frameLength);
    long bodySize = regularFrames * (4 + 12 + frameLength + 16L) + (4 + 4 + 12 + 4 + finalLength + 16L);
    long total = header.length + bodySize + (suite.isSigning() ? MAX_SIGNATURE_LENGTH : 0);
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "a " + len + "-byte plaintext does not fit in one byte[] message; use encryptingStream");
    }
    byte[] out = new byte[(int) total];
    System.arraycopy(header, 0, out, 0, header.length);
    int p = header.length;
    int in = 0;
    byte[] iv = new byte[12];
    byte[] aad = Body.aad(hk.messageId, Body.FRAME_LABEL, 0, frameLength);
    int seqAt = hk.messageId.length + Body.FRAME_LABEL.length;
    long seq = 1;
    for (; seq <= regularFrames; seq++) {
      Body.putU32(out, p, seq);
      Body.putU32(iv, 8, seq);
      System.arraycopy(iv, 0, out, p + 4, 12);
      Body.putU32(aad, seqAt, seq);
      p += 16;
      p += AesGcm.encrypt(hk.key, iv, aad, plaintext, in, frameLength, out, p);
      in += frameLength;
    }
    Body.putU32(out, p, Body.FINAL_FRAME_MARKER);
    Body.putU32(out, p + 4, seq);
    Body.putU32(iv, 8, seq);
    System.arraycopy(iv, 0, out, p + 8, 12);
    Body.putU32(out, p + 20, finalLength);
    p += 24;
    byte[] finalAad = Body.aad(hk.messageId, Body.FINAL_FRAME_LABEL, seq, finalLength);
    p += AesGcm.encrypt(hk.key, iv, finalAad, plaintext, in, finalLength, out, p);

    if (!suite.isSigning()) {
      return out;
    }
    Ecdsa ecdsa = Ecdsa.forSuite(suite);
    Signature signer = ecdsa.signer(m.signingKey().orElseThrow());
    try {
      signer.update(out, 0, p);
      byte[] sig = signer.sign();
      Body.putU16(out, p, sig.length);
      System.arraycopy(sig, 0, out, p + 2, sig.length);
      return Arrays.copyOf(out, p + 2 + sig.length);
    } catch (SignatureException e) {
      throw new EnvelopeException("signing the message failed: " + e.getMessage(), e);
    }
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
    byte[] aad = concat(h.rawBody, EncryptionContexts.serialize(required));
    if (AesGcm.decrypt(dk.encryptionKey, h.headerIv, 0, aad, h.headerTag, 0, 16, new byte[0], 0)
        < 0) {
      throw Malformed.failure();
    }
    return dk.encryptionKey;
  }

  /** Decrypts the body and checks the footer of a whole message whose header is {@code h}. */
  static byte[] decryptBody(byte[] msg, MessageHeader h, DecryptionMaterials m, SecretKeySpec key) {
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
        long marker = Body.u32(msg, p);
        if (marker == Body.FINAL_FRAME_MARKER) {
          if (msg.length - p < 24 || Body.u32(msg, p + 4) != seq) {
            throw Malformed.failure();
          }
          long len = Body.u32(msg, p + 20);
          if (len > frameLength || len + 16 > msg.length - p - 24) {
            throw Malformed.failure();
          }
          p += 24 + (int) len + 16;
          plaintextLength += len;
          break;
        }
        if (marker != seq || seq >= Body.MAX_FRAMES || frameLength + 32 > msg.length - p) {
          throw Malformed.failure();
        }
        p += 16 + (int) frameLength + 16;
        plaintextLength += frameLength;
        seq++;
      }
      bodyEnd = p;
    } else {
      if (msg.length - start < 20) {
        throw Malformed.failure();
      }
      long len = Body.u64(msg, start + 12);
      if (len < 0 || len > Body.MAX_NON_FRAMED_LENGTH || len + 16 > msg.length - start - 20) {
        throw Malformed.failure();
      }
      plaintextLength = len;
      bodyEnd = start + 20 + (int) len + 16;
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
    if (h.contentType == MessageHeader.CONTENT_FRAMED) {
      int frameLength = h.frameLength;
      byte[] aad = Body.aad(h.messageId, Body.FRAME_LABEL, 0, frameLength);
      int seqAt = h.messageId.length + Body.FRAME_LABEL.length;
      int p = start;
      int o = 0;
      long seq = 1;
      while (Body.u32(msg, p) != Body.FINAL_FRAME_MARKER) {
        Body.putU32(aad, seqAt, seq);
        if (AesGcm.decrypt(key, msg, p + 4, aad, msg, p + 16, frameLength + 16, out, o) < 0) {
          throw Malformed.failure();
        }
        p += 32 + frameLength;
        o += frameLength;
        seq++;
      }
      int len = (int) Body.u32(msg, p + 20);
      byte[] finalAad = Body.aad(h.messageId, Body.FINAL_FRAME_LABEL, seq, len);
      if (AesGcm.decrypt(key, msg, p + 8, finalAad, msg, p + 24, len + 16, out, o) < 0) {
        throw Malformed.failure();
      }
    } else {
      byte[] aad = Body.aad(h.messageId, Body.SINGLE_BLOCK_LABEL, 1, plaintextLength);
      if (AesGcm.decrypt(key, msg, start, aad, msg, start + 20, (int) plaintextLength + 16, out, 0)
          < 0) {
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
    int sigLength = ((msg[bodyEnd] & 0xFF) << 8) | (msg[bodyEnd + 1] & 0xFF);
    if (bodyEnd + 2 + sigLength != msg.length) {
      throw Malformed.failure();
    }
    Signature verifier = Ecdsa.forSuite(suite).verifier(m.verificationKey().orElseThrow());
    boolean ok;
    try {
      verifier.update(msg, 0, bodyEnd);
      ok = verifier.verify(msg, bodyEnd + 2, sigLength);
    } catch (SignatureException e) {
      ok = false; // malformed DER
    }
    if (!ok) {
      throw Malformed.failure("the message signature does not verify");
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    if (b.length == 0) {
      return a;
    }
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
