package dev.mrkenvelope.aws;

import java.util.List;

/**
 * KMS said no, or the request could not be made at all, in a way that trying again will not change:
 * an access denial (key policy, grant, IAM), a damaged ciphertext or wrong encryption context, a
 * disabled or missing replica in every Region tried, credentials that cannot be loaded or are
 * rejected, an answer that failed the keyring's integrity checks. A person has to change something,
 * so {@link #retryable()} is false; the message and {@link #attempts()} say what. See {@link
 * KmsCallException}.
 */
public final class KmsRejectedException extends KmsCallException {
  private static final long serialVersionUID = 1L;

  KmsRejectedException(
      String keyId,
      String operation,
      boolean failedFast,
      String summary,
      List<RegionAttempt> attempts) {
    super(keyId, operation, failedFast, summary, attempts, false);
  }
}
