package dev.mrkenvelope;

import dev.mrkenvelope.internal.EncryptionContexts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and parses the message header (ESDK-FORMAT §2).
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

  /** Serializes the authenticated header body (everything before the v1 IV / the tag). */
  static byte[] writeBody(
      AlgorithmSuite suite,
      byte[] messageId,
      byte[] storedContext,
      List<EncryptedDataKey> edks,
      int frameLength,
      byte[] commitKey) {
    int v = suite.messageFormatVersion();
    byte[][] providerIds = new byte[edks.size()][];
    int size = (v == 1 ? 2 : 1) + 2 + messageId.length + 2 + storedContext.length + 2;
    for (int i = 0; i < edks.size(); i++) {
      EncryptedDataKey edk = edks.get(i);
      providerIds[i] = edk.providerId().getBytes(StandardCharsets.UTF_8);
      if (providerIds[i].length > 0xFFFF) {
        throw new IllegalArgumentException("EDK provider ID longer than 65535 bytes");
      }
      size += 6 + providerIds[i].length + edk.providerInfoUnsafe().length
          + edk.ciphertextUnsafe().length;
    }
    size += 1 + (v == 1 ? 4 + 1 : 0) + 4 + (v == 2 ? 32 : 0);

    byte[] out = new byte[size];
    int p = 0;
    out[p++] = (byte) v;
    if (v == 1) {
      out[p++] = (byte) 0x80;
    }
    Body.putU16(out, p, suite.id());
    p += 2;
    System.arraycopy(messageId, 0, out, p, messageId.length);
    p += messageId.length;
    p = putPrefixed(out, p, storedContext);
    Body.putU16(out, p, edks.size());
    p += 2;
    for (int i = 0; i < edks.size(); i++) {
      EncryptedDataKey edk = edks.get(i);
      p = putPrefixed(out, p, providerIds[i]);
      p = putPrefixed(out, p, edk.providerInfoUnsafe());
      p = putPrefixed(out, p, edk.ciphertextUnsafe());
    }
    out[p++] = MessageHeader.CONTENT_FRAMED;
    if (v == 1) {
      p += 4; // reserved, zero
      out[p++] = 12;
    }
    Body.putU32(out, p, frameLength);
    p += 4;
    if (v == 2) {
      System.arraycopy(commitKey, 0, out, p, 32);
      p += 32;
    }
    if (p != size) {
      throw new AssertionError("header size mismatch");
    }
    return out;
  }

  private static int putPrefixed(byte[] out, int p, byte[] b) {
    Body.putU16(out, p, b.length);
    System.arraycopy(b, 0, out, p + 2, b.length);
    return p + 2 + b.length;
  }

  /**
   * Parses a header, enforcing the commitment policy as soon as the suite is known and the EDK
   * limit as soon as the count is read, before anything else is allocated or any keyring runs.
   *
   * @param maxEncryptedDataKeys the limit, or 0 for none
   * @throws DecryptionFailedException if the header is malformed or truncated
   * @throws PolicyException if the policy or the EDK limit rejects the message
   */
  static MessageHeader parse(MessageInput in, CommitmentPolicy policy, int maxEncryptedDataKeys) {
    int start = in.position();
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
    byte[] messageId = in.readBytes(suite.messageIdLength());
    int aadLength = in.readU16();
    Map<String, String> context = parseContext(in.readBytes(aadLength));

    int edkCount = in.readU16();
    if (edkCount == 0) {
      throw Malformed.failure();
    }
    if (maxEncryptedDataKeys > 0 && edkCount > maxEncryptedDataKeys) {
      throw new PolicyException(
          "the message has "
              + edkCount
              + " encrypted data keys, more than maxEncryptedDataKeys("
              + maxEncryptedDataKeys
              + "); raise the limit on the client if such messages are expected");
    }
    List<EncryptedDataKey> edks = new ArrayList<>(Math.min(edkCount, 16));
    for (int i = 0; i < edkCount; i++) {
      byte[] providerId = in.readBytes(in.readU16());
      byte[] providerInfo = in.readBytes(in.readU16());
      byte[] ciphertext = in.readBytes(in.readU16());
      String pid = EncryptionContexts.decodeUtf8OrNull(providerId, 0, providerId.length);
      if (pid == null) {
        throw Malformed.failure();
      }
      edks.add(EncryptedDataKey.ofOwned(pid, providerInfo, ciphertext));
    }

    int contentType = in.readU8();
    if (contentType != MessageHeader.CONTENT_FRAMED
        && contentType != MessageHeader.CONTENT_NON_FRAMED) {
      throw Malformed.failure();
    }
    if (version == 1) {
      byte[] reserved = in.readBytes(4);
      if ((reserved[0] | reserved[1] | reserved[2] | reserved[3]) != 0) {
        throw Malformed.failure();
      }
      if (in.readU8() != 12) {
        throw Malformed.failure();
      }
    }
    long frameLength = in.readU32();
    if (contentType == MessageHeader.CONTENT_FRAMED
        ? frameLength == 0 || frameLength > Body.MAX_FRAME_LENGTH
        : frameLength != 0) {
      throw Malformed.failure();
    }
    byte[] suiteData = version == 2 ? in.readBytes(32) : null;
    byte[] rawBody = in.copyConsumed(start);
    byte[] headerIv = version == 1 ? in.readBytes(12) : new byte[12];
    byte[] headerTag = in.readBytes(16);
    return new MessageHeader(
        suite,
        messageId,
        context,
        Collections.unmodifiableList(edks),
        contentType,
        (int) frameLength,
        suiteData,
        headerIv,
        headerTag,
        rawBody,
        in.position() - start);
  }

  /**
   * Parses {@code SerEC}. Tolerates what the header tag makes harmless (unsorted entries, a count
   * of zero); rejects duplicates, invalid UTF-8 and any length that overruns.
   */
  static Map<String, String> parseContext(byte[] b) {
    if (b.length == 0) {
      return Map.of();
    }
    if (b.length < 2) {
      throw Malformed.failure();
    }
    int count = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    Map<String, String> ec = new LinkedHashMap<>(Math.max(4, Math.min(count, b.length / 4) * 2));
    int p = 2;
    for (int i = 0; i < count; i++) {
      String key = readString(b, p);
      p += 2 + ((b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF));
      String value = readString(b, p);
      p += 2 + ((b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF));
      if (ec.putIfAbsent(key, value) != null) {
        throw Malformed.failure();
      }
    }
    if (p != b.length) {
      throw Malformed.failure();
    }
    return Collections.unmodifiableMap(ec);
  }

  private static String readString(byte[] b, int p) {
    if (p + 2 > b.length) {
      throw Malformed.failure();
    }
    int len = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    if (p + 2 + len > b.length) {
      throw Malformed.failure();
    }
    String s = EncryptionContexts.decodeUtf8OrNull(b, p + 2, len);
    if (s == null) {
      throw Malformed.failure();
    }
    return s;
  }
}
