package dev.mrkenvelope;

import java.util.List;
import java.util.Map;

/**
 * A parsed message header, with the raw bytes it was parsed from (the header tag and the signature
 * cover those bytes, never a re-serialization).
 */
final class MessageHeader {
  static final int CONTENT_NON_FRAMED = 1;
  static final int CONTENT_FRAMED = 2;

  final AlgorithmSuite suite;
  final byte[] messageId;
  final Map<String, String> storedContext;
  final List<EncryptedDataKey> encryptedDataKeys;
  final int contentType;
  final int frameLength;
  /** The commit key of v2 headers, else {@code null}. */
  final byte[] suiteData;
  /** The IV the header tag was computed with: stored in v1, zero in v2. */
  final byte[] headerIv;
  final byte[] headerTag;
  /** The authenticated header body: from the version byte up to the IV (v1) or tag (v2). */
  final byte[] rawBody;
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
      byte[] headerIv,
      byte[] headerTag,
      byte[] rawBody,
      int totalLength) {
    this.suite = suite;
    this.messageId = messageId;
    this.storedContext = storedContext;
    this.encryptedDataKeys = encryptedDataKeys;
    this.contentType = contentType;
    this.frameLength = frameLength;
    this.suiteData = suiteData;
    this.headerIv = headerIv;
    this.headerTag = headerTag;
    this.rawBody = rawBody;
    this.totalLength = totalLength;
  }
}
