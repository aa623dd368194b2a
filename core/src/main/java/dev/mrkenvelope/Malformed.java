package dev.mrkenvelope;

/** The one place that builds the deliberately vague decrypt errors. */
final class Malformed {
  static final String MESSAGE =
      "Decryption failed: the ciphertext is not an authentic message for these keys and context"
          + " (it may be truncated, tampered with, or not an ESDK-format message)";

  private Malformed() {}

  static DecryptionFailedException failure() {
    return new DecryptionFailedException(MESSAGE);
  }

  static DecryptionFailedException failure(String detail) {
    return new DecryptionFailedException("Decryption failed: " + detail);
  }
}
