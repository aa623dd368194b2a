package dev.mrkenvelope;

/**
 * The limits one decrypt applies: the client's, with any {@link DecryptOptions} override. Each
 * check throws {@link LimitExceededException} naming the setting to raise. Immutable.
 */
final class DecryptLimits {
  final int maxHeaderSize;
  final int maxFrameLength;
  final long maxBodySize;
  final int maxEncryptedDataKeys;

  DecryptLimits(int maxHeaderSize, int maxFrameLength, long maxBodySize, int maxEncryptedDataKeys) {
    this.maxHeaderSize = maxHeaderSize;
    this.maxFrameLength = maxFrameLength;
    this.maxBodySize = maxBodySize;
    this.maxEncryptedDataKeys = maxEncryptedDataKeys;
  }

  /** These limits with the overrides {@code options} carries; {@code this} when it has none. */
  DecryptLimits with(DecryptOptions options) {
    if (!options.hasLimits()) {
      return this;
    }
    return new DecryptLimits(
        options.maxHeaderSize().orElse(maxHeaderSize),
        options.maxFrameLength().orElse(maxFrameLength),
        options.maxBodySize().orElse(maxBodySize),
        maxEncryptedDataKeys);
  }

  /** The header would need at least {@code bytes} bytes. */
  void checkHeaderSize(long bytes) {
    if (bytes > maxHeaderSize) {
      throw new LimitExceededException(
          MessageLimit.HEADER_SIZE,
          maxHeaderSize,
          "the message header needs at least " + bytes + " bytes, more than maxHeaderSize("
              + maxHeaderSize + "); raise maxHeaderSize on the client builder or on DecryptOptions"
              + " if such messages are expected");
    }
  }

  /** A frame, or a non-framed body (held whole like one frame), of {@code frameLength} bytes. */
  void checkFrameLength(long frameLength) {
    if (frameLength > maxFrameLength) {
      throw new LimitExceededException(
          MessageLimit.FRAME_LENGTH,
          maxFrameLength,
          "the message announces frames (or a non-framed body) of " + frameLength
              + " bytes, more than maxFrameLength("
              + maxFrameLength + "); raise maxFrameLength on the client builder or on"
              + " DecryptOptions if such messages are expected");
    }
  }

  /** The body would carry at least {@code bytes} plaintext bytes. */
  void checkBodySize(long bytes) {
    if (bytes > maxBodySize) {
      throw new LimitExceededException(
          MessageLimit.BODY_SIZE,
          maxBodySize,
          "the message body holds more than maxBodySize(" + maxBodySize + ") plaintext bytes"
              + " (at least " + bytes + "); raise maxBodySize on the client builder or on"
              + " DecryptOptions if such messages are expected");
    }
  }

  void checkEncryptedDataKeys(int count) {
    if (count > maxEncryptedDataKeys) {
      throw new LimitExceededException(
          MessageLimit.ENCRYPTED_DATA_KEYS,
          maxEncryptedDataKeys,
          "the message has " + count + " encrypted data keys, more than maxEncryptedDataKeys("
              + maxEncryptedDataKeys + "); raise the limit on the client builder if such messages"
              + " are expected");
    }
  }
}
