package dev.mrkenvelope.aws;

/**
 * Thrown inside a KMS attempt when KMS answered but the answer fails a keyring's checks (the {@code
 * KeyId} echo, the data key length): an integrity failure, {@link
 * AttemptOutcome#REJECTED_RESPONSE}. The router fails the call fast, asks no other Region, and the
 * answer is discarded.
 */
final class RejectedResponseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RejectedResponseException(String message) {
    super(message);
  }
}
