package dev.mrkenvelope;

/**
 * The limits one decrypt applies: the client's, with any {@link DecryptOptions} override. Each
 * check throws {@link LimitExceededException} naming the setting to raise. Immutable. Also the one
 * home of the rules for the limit settings themselves, shared by the client builder and {@link
 * DecryptOptions}.
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

  /** A header size limit, on the client builder or on {@link DecryptOptions}: positive. */
  static int checkMaxHeaderSize(int maxHeaderSize) {
    return positive(
        MessageLimit.HEADER_SIZE, maxHeaderSize, EnvelopeClient.DEFAULT_MAX_HEADER_SIZE);
  }

  /** A frame length limit, on the client builder or on {@link DecryptOptions}: positive. */
  static int checkMaxFrameLength(int maxFrameLength) {
    return positive(
        MessageLimit.FRAME_LENGTH, maxFrameLength, EnvelopeClient.DEFAULT_MAX_FRAME_LENGTH);
  }

  private static int positive(MessageLimit limit, int value, int defaultValue) {
    if (value < 1) {
      throw new IllegalArgumentException(
          limit.setting()
              + " must be positive: "
              + value
              + " (the default is "
              + defaultValue
              + " bytes)");
    }
    return value;
  }

  /** A body size limit, on the client builder or on {@link DecryptOptions}: not negative. */
  static long checkMaxBodySize(long maxBodySize) {
    if (maxBodySize < 0) {
      throw new IllegalArgumentException(
          "maxBodySize must not be negative: "
              + maxBodySize
              + " (the default, Long.MAX_VALUE, means no limit)");
    }
    return maxBodySize;
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
      throw exceeded(
          MessageLimit.HEADER_SIZE,
          maxHeaderSize,
          "the message header needs at least " + bytes + " bytes");
    }
  }

  /** A frame, or a non-framed body (held whole like one frame), of {@code frameLength} bytes. */
  void checkFrameLength(long frameLength) {
    if (frameLength > maxFrameLength) {
      throw exceeded(
          MessageLimit.FRAME_LENGTH,
          maxFrameLength,
          "the message announces frames (or a non-framed body) of " + frameLength + " bytes");
    }
  }

  /** The body would carry at least {@code bytes} plaintext bytes. */
  void checkBodySize(long bytes) {
    if (bytes > maxBodySize) {
      throw exceeded(
          MessageLimit.BODY_SIZE,
          maxBodySize,
          "the message body holds at least " + bytes + " plaintext bytes");
    }
  }

  void checkEncryptedDataKeys(int count) {
    if (count > maxEncryptedDataKeys) {
      throw exceeded(
          MessageLimit.ENCRYPTED_DATA_KEYS,
          maxEncryptedDataKeys,
          "the message has " + count + " encrypted data keys");
    }
  }

  /** "what, more than setting(max); raise setting ... if such messages are expected". */
  private static LimitExceededException exceeded(MessageLimit limit, long max, String what) {
    String where =
        limit == MessageLimit.ENCRYPTED_DATA_KEYS
            ? "on the client builder"
            : "on the client builder or on DecryptOptions";
    return new LimitExceededException(
        limit,
        max,
        what
            + ", more than "
            + limit.setting()
            + "("
            + max
            + "); raise "
            + limit.setting()
            + " "
            + where
            + " if such messages are expected");
  }
}
