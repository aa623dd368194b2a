package dev.mrkenvelope;

/**
 * The root of every exception mrk-envelope throws on purpose. Unchecked, as in the AWS SDK v2.
 *
 * <p>Catch a subtype to react to a specific failure: {@link DecryptionFailedException} for a
 * message that is not authentic, {@link NoDecryptableKeyException} when no keyring could unwrap a
 * data key, {@link PolicyException} when a configured policy forbids the operation.
 */
public class EnvelopeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EnvelopeException(String message) {
    super(message);
  }

  public EnvelopeException(String message, Throwable cause) {
    super(message, cause);
  }
}
