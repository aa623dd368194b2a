package dev.mrkenvelope.aws;

import java.util.Objects;
import java.util.Optional;

/**
 * One Region of a routed KMS call that did not succeed: what happened there and what to check. Text
 * that came from outside the process (KMS error messages, key IDs from a message) is escaped.
 * Immutable.
 */
public final class RegionAttempt {
  private final String region;
  private final String keyId;
  private final AttemptOutcome outcome;
  private final String errorCode;
  private final String detail;
  private final String hint;

  RegionAttempt(
      String region, String keyId, AttemptOutcome outcome, String errorCode, String detail) {
    this.region = Objects.requireNonNull(region, "region");
    this.keyId = Untrusted.escape(keyId);
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.errorCode = Untrusted.escape(errorCode);
    this.detail = Untrusted.escape(detail);
    this.hint = FailureClassifier.hint(outcome, errorCode, region);
  }

  /** The Region, e.g. {@code eu-west-1}. */
  public String region() {
    return region;
  }

  /** The key ARN called (or that would have been called) in this Region. */
  public String keyId() {
    return keyId;
  }

  /** What happened. */
  public AttemptOutcome outcome() {
    return outcome;
  }

  /** The KMS error code, e.g. {@code DisabledException}, when KMS answered with one. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** The error message or timeout detail, escaped; empty if none. */
  public String detail() {
    return detail == null ? "" : detail;
  }

  /** What a person can check or do. */
  public String hint() {
    return hint;
  }

  /** One line: the Region, the outcome, the KMS error code, the detail and the hint. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(region).append(": ").append(outcome);
    if (errorCode != null) {
      sb.append(' ').append(errorCode);
    }
    if (detail != null && !detail.isEmpty()) {
      sb.append(" (").append(detail).append(')');
    }
    if (!hint.isEmpty()) {
      sb.append(" -> ").append(hint);
    }
    return sb.toString();
  }
}
