package dev.mrkenvelope.aws;

import java.util.List;

/**
 * No allowed Region gave a usable answer in time, and at least one failed in a transient way
 * (throttling, a server fault, a network error, a timeout, an open circuit breaker, a full
 * bulkhead): trying again later may succeed with nothing changed, so {@link #retryable()} is true.
 * See {@link KmsCallException} for the message and {@link #attempts()}.
 */
public final class KmsUnavailableException extends KmsCallException {
  private static final long serialVersionUID = 1L;

  KmsUnavailableException(
      String keyId, String operation, String summary, List<RegionAttempt> attempts) {
    super(keyId, operation, false, summary, attempts, true);
  }

  /** Always true: the failure was transient. */
  @Override
  public boolean retryable() {
    return true;
  }
}
