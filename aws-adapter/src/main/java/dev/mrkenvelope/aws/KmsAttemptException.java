package dev.mrkenvelope.aws;

import dev.mrkenvelope.EnvelopeException;

/**
 * One Region's part of a failed KMS call, as an exception: the cause the KMS keyrings give each
 * {@link dev.mrkenvelope.DataKeyUnwrapException} they attach to a {@link
 * dev.mrkenvelope.NoDecryptableKeyException}, so that {@link #retryable()} can be read per attempt.
 * The message is one line: key, Region, outcome, KMS error code, detail and hint.
 */
public final class KmsAttemptException extends EnvelopeException {
  private static final long serialVersionUID = 1L;

  private final transient RegionAttempt attempt;

  KmsAttemptException(String operation, RegionAttempt attempt) {
    super("KMS " + operation + " of key " + attempt.keyId() + " in " + attempt);
    this.attempt = attempt;
  }

  /** The attempt. */
  public RegionAttempt attempt() {
    return attempt;
  }

  /**
   * True if this Region failed in a transient way (throttling, a server fault, a network error, a
   * timeout, an open breaker, a full bulkhead), or was not reached before the call ended.
   */
  @Override
  public boolean retryable() {
    AttemptOutcome o = attempt == null ? AttemptOutcome.UNEXPECTED : attempt.outcome();
    return o.isTransient() || o == AttemptOutcome.NOT_TRIED || o == AttemptOutcome.ABANDONED;
  }
}
