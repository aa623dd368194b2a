package dev.mrkenvelope.aws;

import dev.mrkenvelope.EnvelopeException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A KMS call through a {@link KmsRouter} did not succeed in any allowed Region, or failed fast
 * with an error that every Region would give. The message names the key, every Region with its
 * outcome (KMS error code, timeout, breaker open, skipped) and a hint; {@link #attempts()} has the
 * same as data.
 *
 * <p>{@link #retryable()} is true when at least one Region failed in a transient way (throttling,
 * a server fault, a transport error, a timeout, an open breaker) and the call did not fail fast:
 * trying again later may succeed. It is false when a person has to change something (a key
 * policy, a disabled replica, a missing replica, a damaged ciphertext).
 *
 * <p>Keyrings throw it on encrypt; on decrypt it is the cause of the {@link
 * dev.mrkenvelope.NoDecryptableKeyException} the keyring contract requires.
 */
public final class KmsUnavailableException extends EnvelopeException {
  private static final long serialVersionUID = 1L;

  private final String keyId;
  private final String operation;
  private final boolean retryable;
  private final boolean failedFast;
  private final transient List<RegionAttempt> attempts;

  KmsUnavailableException(
      String keyId,
      String operation,
      boolean retryable,
      boolean failedFast,
      String summary,
      List<RegionAttempt> attempts) {
    super(message(keyId, operation, retryable, summary, attempts));
    this.keyId = keyId;
    this.operation = operation;
    this.retryable = retryable;
    this.failedFast = failedFast;
    this.attempts = List.copyOf(attempts);
  }

  private static String message(
      String keyId, String operation, boolean retryable, String summary, List<RegionAttempt> a) {
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

  /** The key as configured or as found in the encrypted data key. */
  public String keyId() {
    return keyId;
  }

  /** The KMS operation, e.g. {@code Decrypt}. */
  public String operation() {
    return operation;
  }

  /** Whether trying again later may succeed without anyone changing anything. */
  public boolean retryable() {
    return retryable;
  }

  /**
   * Whether the router stopped at an error that other Regions would give too (or, by default, an
   * access denial) instead of trying every Region.
   */
  public boolean failedFast() {
    return failedFast;
  }

  /** Every Region considered, in order, with its outcome. */
  public List<RegionAttempt> attempts() {
    return attempts == null ? List.of() : attempts;
  }

  /**
   * One Region of a failed call: what happened there and what to check. Immutable.
   */
  public static final class RegionAttempt {
    private final String region;
    private final String keyId;
    private final String outcome;
    private final String errorCode;
    private final String detail;
    private final String hint;

    RegionAttempt(
        String region,
        String keyId,
        String outcome,
        String errorCode,
        String detail,
        String hint) {
      this.region = Objects.requireNonNull(region);
      this.keyId = keyId;
      this.outcome = Objects.requireNonNull(outcome);
      this.errorCode = errorCode;
      this.detail = detail;
      this.hint = hint;
    }

    /** The Region, e.g. {@code eu-west-1}. */
    public String region() {
      return region;
    }

    /** The key ARN called (or that would have been called) in this Region. */
    public String keyId() {
      return keyId;
    }

    /**
     * What happened: {@code throttled}, {@code server_error}, {@code transport}, {@code timeout},
     * {@code key_state}, {@code not_found}, {@code access_denied}, {@code fail_fast}, {@code
     * rejected_response}, {@code breaker_open} or {@code saturated}.
     */
    public String outcome() {
      return outcome;
    }

    /** The KMS error code, e.g. {@code DisabledException}, when KMS answered with one. */
    public Optional<String> errorCode() {
      return Optional.ofNullable(errorCode);
    }

    /** The error message or timeout detail. */
    public String detail() {
      return detail == null ? "" : detail;
    }

    /** What a person can check or do. */
    public String hint() {
      return hint == null ? "" : hint;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(region).append(": ");
      sb.append(errorCode != null ? errorCode : outcome);
      if (detail != null && !detail.isEmpty()) {
        sb.append(" (").append(detail).append(')');
      }
      if (hint != null && !hint.isEmpty()) {
        sb.append(" -> ").append(hint);
      }
      return sb.toString();
    }
  }
}
