package dev.mrkenvelope;

/**
 * The setting checks the client builder and the re-encrypter builder share, so that a rule has one
 * home; each caller keeps its own hint in the message.
 */
final class BuilderChecks {
  private BuilderChecks() {}

  /** A frame length to write with: positive; {@code hint} follows the value in the message. */
  static int checkFrameLength(int frameLength, String hint) {
    if (frameLength <= 0) {
      throw new IllegalArgumentException("frameLength must be positive: " + frameLength + hint);
    }
    return frameLength;
  }
}
