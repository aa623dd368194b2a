package dev.mrkenvelope;

import java.util.List;
import java.util.Map;

/**
 * A parsed message header over the bytes it was parsed from (the header tag and the signature cover
 * those bytes, never a re-serialization). The header occupies {@code bytes[0, totalLength)}: the
 * caller's message array for the one-shot API, the stream's header buffer otherwise.
 */
final class MessageHeader {
  static final int CONTENT_NON_FRAMED = 1;
  static final int CONTENT_FRAMED = 2;

  /** The header IV of v2 messages. Never written to. */
  private static final byte[] ZERO_IV = new byte[12];

  final AlgorithmSuite suite;
  final byte[] messageId;
  final Map<String, String> storedContext;
  final List<EncryptedDataKey> encryptedDataKeys;
  final int contentType;
  final int frameLength;

  /** The commit key of v2 headers, else {@code null}. */
  final byte[] suiteData;

  /** The array holding the header from offset 0. */
  final byte[] bytes;

  /** The authenticated header body: {@code bytes[0, bodyLength)}, up to the IV (v1) or tag (v2). */
  final int bodyLength;

  /** Where the IV the header tag was computed with is: stored in v1, zero in v2. */
  final byte[] ivArray;

  final int ivOffset;
  final int tagOffset;

  /** Total header length on the wire, body plus (v1 IV and) tag. */
  final int totalLength;

  MessageHeader(
      AlgorithmSuite suite,
      byte[] messageId,
      Map<String, String> storedContext,
      List<EncryptedDataKey> encryptedDataKeys,
      int contentType,
      int frameLength,
      byte[] suiteData,
      byte[] bytes,
      int bodyLength,
      int ivOffset,
      int tagOffset) {
    this.suite = suite;
    this.messageId = messageId;
    this.storedContext = storedContext;
    this.encryptedDataKeys = encryptedDataKeys;
    this.contentType = contentType;
    this.frameLength = frameLength;
    this.suiteData = suiteData;
    this.bytes = bytes;
    this.bodyLength = bodyLength;
    this.ivArray = ivOffset < 0 ? ZERO_IV : bytes;
    this.ivOffset = Math.max(ivOffset, 0);
    this.tagOffset = tagOffset;
    this.totalLength = tagOffset + 16;
  }
}
