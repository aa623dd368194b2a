package dev.mrkenvelope.aws;

import dev.mrkenvelope.EnvelopeException;
import java.util.List;

/**
 * A KMS call through a {@link KmsRouter} did not succeed. The message names the key, the operation,
 * every Region with its outcome (KMS error code, timeout, breaker open, not tried) and a hint;
 * {@link #attempts()} has the same as data. Catch a subtype to tell the two cases apart:
 *
 * <ul>
 *   <li>{@link KmsUnavailableException}: no Region could give an answer in time (throttling, server
 *       faults, network, timeouts, open breakers); {@link #retryable()} is true.
 *   <li>{@link KmsRejectedException}: KMS (or the SDK, for missing credentials) said no in a way
 *       that trying again will not change (an access denial, a damaged ciphertext, a disabled or
 *       missing replica); a person has to act; {@link #retryable()} is false.
 * </ul>
 *
 * <p>Keyrings throw it on encrypt; on decrypt it is the cause of the {@link
 * dev.mrkenvelope.NoDecryptableKeyException} the keyring contract requires.
 */
public abstract class KmsCallException extends EnvelopeException {
  private static final long serialVersionUID = 1L;

  private final String keyId;
  private final String operation;
  private final boolean failedFast;
  private final transient List<RegionAttempt> attempts;

  KmsCallException(
      String keyId,
      String operation,
      boolean failedFast,
      String summary,
      List<RegionAttempt> attempts,
      boolean retryable) {
    super(message(Untrusted.escape(keyId), operation, summary, attempts, retryable));
    this.keyId = Untrusted.escape(keyId);
    this.operation = operation;
    this.failedFast = failedFast;
    this.attempts = List.copyOf(attempts);
  }

  private static String message(
      String keyId, String operation, String summary, List<RegionAttempt> a, boolean retryable) {
    StringBuilder sb =
        new StringBuilder("KMS ")
            .append(operation)
            .append(" for key ")
            .append(keyId)
            .append(' ')
            .append(summary)
            .append(retryable ? " (retryable)" : " (not retryable)");
    for (RegionAttempt r : a) {
      sb.append("\n  - ").append(r);
    }
    return sb.toString();
  }

  /** The key as configured or as found in the encrypted data key (escaped). */
  public String keyId() {
    return keyId;
  }

  /** The KMS operation, e.g. {@code Decrypt}. */
  public String operation() {
    return operation;
  }

  /**
   * Whether the router stopped at an answer that settles the call (an access denial by default, a
   * damaged ciphertext, bad credentials) instead of trying every Region.
   */
  public boolean failedFast() {
    return failedFast;
  }

  /** Every Region considered, in the order the router considered them, with its outcome. */
  public List<RegionAttempt> attempts() {
    return attempts == null ? List.of() : attempts;
  }
}
