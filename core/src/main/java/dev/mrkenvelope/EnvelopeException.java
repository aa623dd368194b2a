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

  /**
   * For subtypes created in large numbers whose stack trace would say nothing useful (one per
   * failed key attempt): {@code writableStackTrace=false} skips capturing it, which makes the
   * exception cheap to create and to keep.
   */
  protected EnvelopeException(String message, Throwable cause, boolean writableStackTrace) {
    super(message, cause, true, writableStackTrace);
  }

  /**
   * Whether trying the same call again later may succeed without anyone changing anything: true
   * only for failures that are transient by nature (throttling, a server fault, a network problem,
   * a timeout). False by default; subtypes that can tell override it. A caller deciding whether to
   * retry reads this instead of walking causes and suppressed exceptions.
   */
  public boolean retryable() {
    return false;
  }
}
