package dev.mrkenvelope;

import dev.mrkenvelope.internal.EncryptionContexts;
import dev.mrkenvelope.internal.FrozenContext;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Writes and parses the message header (ESDK message format).
 *
 * <p>Version 2 (suites 0x0478, 0x0578), all integers big-endian:
 *
 * <pre>
 * 02 | u16 suiteId | messageId(32) | u16 aadLen | SerEC(stored) | u16 edkCount | EDK* |
 * u8 contentType(02) | u32 frameLength | commitKey(32) | headerTag(16)
 * </pre>
 *
 * Version 1 (all other suites):
 *
 * <pre>
 * 01 | 80 | u16 suiteId | messageId(16) | u16 aadLen | SerEC(stored) | u16 edkCount | EDK* |
 * u8 contentType | 00000000 | u8 ivLength(0C) | u32 frameLength | headerIv(12, zero) | headerTag(16)
 * </pre>
 *
 * Each EDK is {@code u16 len ‖ providerId ‖ u16 len ‖ providerInfo ‖ u16 len ‖ ciphertext}. The
 * header tag is AES-GCM over an empty plaintext with the derived key, the header IV (zero in v2)
 * and AAD {@code headerBody ‖ SerEC(required-only context)}.
 */
final class HeaderCodec {
  private HeaderCodec() {}

  /** The length of the authenticated header body (everything before the v1 IV / the tag). */
  static int bodyLength(
      AlgorithmSuite suite, int storedContextLength, List<EncryptedDataKey> edks) {
    int v = suite.messageFormatVersion();
    int size = (v == 1 ? 2 : 1) + 2 + suite.messageIdLength() + 2 + storedContextLength + 2;
    for (EncryptedDataKey edk : edks) {
      size += edk.encodedLength();
    }
    return size + 1 + (v == 1 ? 4 + 1 : 0) + 4 + (v == 2 ? 32 : 0);
  }

  /**
   * Writes the authenticated header body at the start of {@code out}, which has room for {@link
   * #bodyLength} bytes; returns the length written, which the caller checks against it.
   */
  static int writeBody(
      byte[] out,
      AlgorithmSuite suite,
      byte[] messageId,
      byte[] storedContext,
      List<EncryptedDataKey> edks,
      int frameLength,
      byte[] commitKey) {
    int v = suite.messageFormatVersion();
    int p = 0;
    out[p++] = (byte) v;
    if (v == 1) {
      out[p++] = (byte) 0x80;
    }
    BigEndian.putU16(out, p, suite.id());
    p += 2;
    System.arraycopy(messageId, 0, out, p, messageId.length);
    p += messageId.length;
    BigEndian.putU16(out, p, storedContext.length);
    System.arraycopy(storedContext, 0, out, p + 2, storedContext.length);
    p += 2 + storedContext.length;
    BigEndian.putU16(out, p, edks.size());
    p += 2;
    for (EncryptedDataKey edk : edks) {
      p = edk.writeTo(out, p);
    }
    out[p++] = MessageHeader.CONTENT_FRAMED;
    if (v == 1) {
      p += 4; // reserved, zero
      out[p++] = 12;
    }
    BigEndian.putU32(out, p, frameLength);
    p += 4;
    if (v == 2) {
      System.arraycopy(commitKey, 0, out, p, 32);
      p += 32;
    }
    return p;
  }

  /**
   * Parses a header, enforcing the commitment policy as soon as the suite is known and each limit
   * as soon as a field shows it is exceeded, before the bytes beyond it are read, anything is
   * allocated for them, or any keyring runs.
   *
   * <p>Memory: the header bytes are held once (the caller's array, or the stream's buffer) and
   * every field is read in place. EDKs are views over those bytes; for the caller's array, over one
   * copy of the EDK section, so that values handed back never alias the caller's array.
   *
   * @throws DecryptionFailedException if the header is malformed or truncated
   * @throws PolicyException if the commitment policy rejects the suite
   * @throws LimitExceededException if the header exceeds one of {@code limits}
   */
  static MessageHeader parse(MessageInput in, CommitmentPolicy policy, DecryptLimits limits) {
    int version = in.readU8();
    if (version != 1 && version != 2) {
      if (version == 'A') {
        throw Malformed.failure(
            "the ciphertext looks Base64-encoded; decode it to bytes before decrypting");
      }
      throw Malformed.failure();
    }
    if (version == 1 && in.readU8() != 0x80) {
      throw Malformed.failure();
    }
    int suiteId = in.readU16();
    AlgorithmSuite suite = AlgorithmSuite.forHeader(version, suiteId);
    if (suite == null) {
      throw Malformed.failure();
    }
    if (!policy.allowsDecrypt(suite)) {
      throw new PolicyException(
          "the message uses algorithm suite "
              + suite
              + ", which does not commit to its key; commitment policy "
              + policy
              + " rejects it. To read messages from old writers, build the client with"
              + " commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)");
    }
    int idLength = suite.messageIdLength();
    int idAt = in.take(idLength);
    byte[] messageId = Arrays.copyOfRange(in.array(), idAt, idAt + idLength);
    int aadLength = in.readU16();
    int aadAt = in.take(aadLength);
    Map<String, String> context = parseContext(in.array(), aadAt, aadLength);

    int edkCount = in.readU16();
    if (edkCount == 0) {
      throw Malformed.failure();
    }
    limits.checkEncryptedDataKeys(edkCount);
    // Each EDK takes at least its three length fields: fail now if even that cannot fit.
    limits.checkHeaderSize(in.position() + 6L * edkCount + trailerLength(version));
    int edkStart = in.position();
    for (int i = 0; i < edkCount * 3; i++) {
      in.take(in.readU16()); // provider ID, provider info, wrapped key; decoded below
    }
    int edkEnd = in.position();

    int contentType = in.readU8();
    if (contentType != MessageHeader.CONTENT_FRAMED
        && contentType != MessageHeader.CONTENT_NON_FRAMED) {
      throw Malformed.failure();
    }
    if (version == 1) {
      int reserved = in.take(4);
      if (BigEndian.u32(in.array(), reserved) != 0) {
        throw Malformed.failure();
      }
      if (in.readU8() != 12) {
        throw Malformed.failure();
      }
    }
    long frameLength = in.readU32();
    if (contentType == MessageHeader.CONTENT_FRAMED
        ? frameLength == 0 || frameLength > FrameCodec.MAX_FRAME_LENGTH
        : frameLength != 0) {
      throw Malformed.failure();
    }
    limits.checkFrameLength(frameLength);
    byte[] suiteData = null;
    if (version == 2) {
      int at = in.take(32);
      suiteData = Arrays.copyOfRange(in.array(), at, at + 32);
    }
    int bodyLength = in.position();
    int ivAt = version == 1 ? in.take(12) : -1;
    int tagAt = in.take(16);

    byte[] bytes = in.array(); // no more takes: the stream's buffer is final now
    List<EncryptedDataKey> edks =
        in.ownsArray()
            ? parseEdks(bytes, edkStart, edkCount)
            : parseEdks(Arrays.copyOfRange(bytes, edkStart, edkEnd), 0, edkCount);
    return new MessageHeader(
        suite,
        messageId,
        context,
        edks,
        contentType,
        (int) frameLength,
        suiteData,
        bytes,
        bodyLength,
        ivAt,
        tagAt);
  }

  /** Header bytes after the EDKs: content type, (v1: reserved, IV length), frame length, ... */
  private static int trailerLength(int version) {
    return version == 1 ? 1 + 4 + 1 + 4 + 12 + 16 : 1 + 4 + 32 + 16;
  }

  /**
   * Builds the EDKs from a section whose lengths were already checked. Consecutive EDKs with the
   * same provider ID share one {@code String}.
   */
  private static List<EncryptedDataKey> parseEdks(byte[] b, int p, int count) {
    EncryptedDataKey[] edks = new EncryptedDataKey[count];
    String previousId = null;
    int previousAt = 0;
    int previousLength = -1;
    for (int i = 0; i < count; i++) {
      int idLength = BigEndian.u16(b, p);
      int idAt = p + 2;
      String id;
      if (idLength == previousLength
          && Arrays.equals(b, idAt, idAt + idLength, b, previousAt, previousAt + idLength)) {
        id = previousId;
      } else {
        id = EncryptionContexts.decodeUtf8OrNull(b, idAt, idLength);
        if (id == null) {
          throw Malformed.failure();
        }
      }
      previousId = id;
      previousAt = idAt;
      previousLength = idLength;
      p = idAt + idLength;
      int infoLength = BigEndian.u16(b, p);
      int infoAt = p + 2;
      p = infoAt + infoLength;
      int ctLength = BigEndian.u16(b, p);
      int ctAt = p + 2;
      p = ctAt + ctLength;
      edks[i] = new EncryptedDataKey(id, b, idAt, idLength, infoAt, infoLength, ctAt, ctLength);
    }
    return Collections.unmodifiableList(Arrays.asList(edks));
  }

  /**
   * Parses {@code SerEC}. Tolerates what the header tag makes harmless (unsorted entries, a count
   * of zero); rejects duplicates, invalid UTF-8 and any length that overruns.
   */
  static Map<String, String> parseContext(byte[] b, int offset, int length) {
    if (length == 0) {
      return FrozenContext.of(Map.of());
    }
    if (length < 2) {
      throw Malformed.failure();
    }
    int end = offset + length;
    int count = BigEndian.u16(b, offset);
    if (count > (length - 2) / 4) { // each pair takes at least its two length fields
      throw Malformed.failure();
    }
    Map.Entry<String, String>[] pairs = FrozenContext.newPairs(count);
    int p = offset + 2;
    // Keys in strictly ascending byte order make these bytes the context's canonical
    // serialization, which the keyring's AAD then reuses instead of serializing again.
    boolean canonical = true;
    int prevKey = -1;
    for (int i = 0; i < count; i++) {
      String key = readString(b, p, end);
      int keyLength = BigEndian.u16(b, p);
      if (prevKey >= 0) {
        int prevLength = BigEndian.u16(b, prevKey);
        canonical &=
            Arrays.compareUnsigned(
                    b, prevKey + 2, prevKey + 2 + prevLength, b, p + 2, p + 2 + keyLength)
                < 0;
      }
      prevKey = p;
      p += 2 + keyLength;
      String value = readString(b, p, end);
      p += 2 + BigEndian.u16(b, p);
      pairs[i] = FrozenContext.pair(key, value);
    }
    if (p != end) {
      throw Malformed.failure();
    }
    if (canonical) { // strictly ascending: no key repeats
      return FrozenContext.adoptCanonical(pairs, b, offset, length);
    }
    Map<String, String> ec = FrozenContext.adopt(pairs);
    if (ec.size() != count) { // a repeated key
      throw Malformed.failure();
    }
    return ec;
  }

  private static String readString(byte[] b, int p, int end) {
    if (p + 2 > end) {
      throw Malformed.failure();
    }
    int len = BigEndian.u16(b, p);
    if (p + 2 + len > end) {
      throw Malformed.failure();
    }
    String s = EncryptionContexts.decodeUtf8OrNull(b, p + 2, len);
    if (s == null) {
      throw Malformed.failure();
    }
    return s;
  }
}
