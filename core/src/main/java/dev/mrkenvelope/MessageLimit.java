package dev.mrkenvelope;

/**
 * The caller's limits on what one message may make a decrypt read, hold and try; see {@link
 * LimitExceededException#limit()}. Each is set on {@link EnvelopeClient.Builder} and, except {@link
 * #ENCRYPTED_DATA_KEYS}, per call on {@link DecryptOptions}.
 */
public enum MessageLimit {
  /** The header's length in bytes, from the version byte to the end of the header tag. */
  HEADER_SIZE("maxHeaderSize"),
  /** The frame length the header announces (plaintext bytes per frame). */
  FRAME_LENGTH("maxFrameLength"),
  /** The plaintext bytes of the whole body: every frame, or the non-framed body. */
  BODY_SIZE("maxBodySize"),
  /** The number of encrypted data keys in the header (on encrypt: that the materials carry). */
  ENCRYPTED_DATA_KEYS("maxEncryptedDataKeys");

  private final String setting;

  MessageLimit(String setting) {
    this.setting = setting;
  }

  /** The name of the builder method that sets this limit, e.g. {@code maxHeaderSize}. */
  public String setting() {
    return setting;
  }
}
