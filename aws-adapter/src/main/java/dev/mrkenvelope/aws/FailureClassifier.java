package dev.mrkenvelope.aws;

import static dev.mrkenvelope.aws.AttemptOutcome.ACCESS_DENIED;
import static dev.mrkenvelope.aws.AttemptOutcome.CREDENTIALS;
import static dev.mrkenvelope.aws.AttemptOutcome.INVALID_REQUEST;
import static dev.mrkenvelope.aws.AttemptOutcome.KEY_STATE;
import static dev.mrkenvelope.aws.AttemptOutcome.NOT_FOUND;
import static dev.mrkenvelope.aws.AttemptOutcome.REJECTED_RESPONSE;
import static dev.mrkenvelope.aws.AttemptOutcome.SERVER_ERROR;
import static dev.mrkenvelope.aws.AttemptOutcome.THROTTLED;
import static dev.mrkenvelope.aws.AttemptOutcome.TIMEOUT;
import static dev.mrkenvelope.aws.AttemptOutcome.TRANSPORT;
import static dev.mrkenvelope.aws.AttemptOutcome.UNEXPECTED;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns what a KMS attempt threw into an {@link AttemptOutcome}, and holds the router's rules for
 * each outcome: the classification table in the {@link AttemptOutcome} documentation, which this
 * class implements and every other document links to.
 */
final class FailureClassifier {
  private static final Set<String> THROTTLING_CODES =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "RequestThrottledException",
          "TooManyRequestsException",
          "RequestLimitExceeded",
          "RequestThrottled",
          "SlowDown");
  private static final Set<String> SERVER_CODES =
      Set.of(
          "KMSInternalException",
          "KeyUnavailableException",
          "DependencyTimeoutException",
          "InternalFailure",
          "ServiceUnavailable",
          "PriorRequestNotComplete",
          "RequestTimeout",
          "RequestTimeoutException");
  private static final Set<String> KEY_STATE_CODES =
      Set.of("DisabledException", "KMSInvalidStateException");
  private static final Set<String> CREDENTIAL_CODES =
      Set.of(
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "ExpiredTokenException",
          "ExpiredToken",
          "InvalidClientTokenId",
          "IncompleteSignature",
          "MissingAuthenticationToken");
  private static final int TOO_MANY_REQUESTS = 429;
  private static final int SERVER_ERRORS = 500;

  private FailureClassifier() {}

  /** A failed attempt: its outcome, the KMS error code if KMS gave one, and the message. */
  static final class Classified {
    final AttemptOutcome outcome;
    final String errorCode;

    /** Raw: {@link RegionAttempt} escapes it. */
    final String message;

    Classified(AttemptOutcome outcome, String errorCode, String message) {
      this.outcome = outcome;
      this.errorCode = errorCode;
      this.message = message;
    }
  }

  /** The router's rules, as configured. */
  static final class Rules {
    final boolean failOverOnAccessDenied;
    final boolean failOverOnKeyState;

    Rules(boolean failOverOnAccessDenied, boolean failOverOnKeyState) {
      this.failOverOnAccessDenied = failOverOnAccessDenied;
      this.failOverOnKeyState = failOverOnKeyState;
    }

    /** Whether the call stops at this outcome instead of trying the next Region. */
    /**
     * Whether a success in a later Region may decide a call while an earlier Region's attempt is
     * still in flight: only if no answer that Region could still give would be honoured as a
     * refusal. Access denied and a key-state answer may be deliberate per replica, so they must be
     * set to fail over; the other fail-fast answers (invalid request, credentials, a rejected
     * response) say the request or this process is wrong, which the success elsewhere disproves.
     */
    boolean laterSuccessDecides() {
      return failOverOnAccessDenied && failOverOnKeyState;
    }

    boolean failsFast(AttemptOutcome o) {
      switch (o) {
        case CREDENTIALS:
        case INVALID_REQUEST:
        case REJECTED_RESPONSE:
          return true;
        case ACCESS_DENIED:
          return !failOverOnAccessDenied;
        case KEY_STATE:
          return !failOverOnKeyState;
        default:
          return false;
      }
    }
  }

  /** Classifies what an attempt threw. */
  static Classified classify(Throwable t) {
    if (t instanceof RejectedResponseException) {
      return new Classified(REJECTED_RESPONSE, null, t.getMessage());
    }
    if (t instanceof AwsServiceException) {
      AwsServiceException e = (AwsServiceException) t;
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String message =
          e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
              ? e.awsErrorDetails().errorMessage()
              : e.getMessage();
      return new Classified(
          classifyService(code, e.statusCode(), e.isThrottlingException()), code, message);
    }
    if (t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException) {
      return new Classified(TIMEOUT, null, t.getMessage());
    }
    if (isCredentialFailure(t)) {
      return new Classified(CREDENTIALS, null, t.getMessage());
    }
    if (t instanceof AbortedException) {
      return new Classified(TRANSPORT, null, "the call was aborted: " + t.getMessage());
    }
    if (t instanceof SdkClientException) {
      for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
        if (c instanceof SocketTimeoutException) {
          return new Classified(TIMEOUT, null, c.toString());
        }
        if (c instanceof IOException) {
          return new Classified(TRANSPORT, null, c.toString());
        }
      }
      return new Classified(TRANSPORT, null, t.getMessage());
    }
    if (t instanceof Error) {
      // Out of memory and the like: no other Region will fix it.
      return new Classified(INVALID_REQUEST, null, t.toString());
    }
    return new Classified(UNEXPECTED, null, t.toString());
  }

  /**
   * Whether the SDK could not sign the request for lack of credentials: the credentials chain (or a
   * custom provider) failed before anything was sent.
   */
  private static boolean isCredentialFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
        return true;
      }
    }
    return false;
  }

  static AttemptOutcome classifyService(String code, int status, boolean sdkSaysThrottling) {
    if (sdkSaysThrottling
        || status == TOO_MANY_REQUESTS
        || (code != null && THROTTLING_CODES.contains(code))) {
      return THROTTLED;
    }
    if (code != null) {
      if (SERVER_CODES.contains(code)) {
        return SERVER_ERROR;
      }
      if (KEY_STATE_CODES.contains(code)) {
        return KEY_STATE;
      }
      if (CREDENTIAL_CODES.contains(code)) {
        return CREDENTIALS;
      }
      if (code.equals("NotFoundException")) {
        return NOT_FOUND;
      }
      if (code.equals("AccessDeniedException")) {
        return ACCESS_DENIED;
      }
    }
    return status >= SERVER_ERRORS ? SERVER_ERROR : INVALID_REQUEST;
  }

  /** A short hint for a person, by outcome and error code. */
  static String hint(AttemptOutcome outcome, String errorCode, String region) {
    switch (outcome) {
      case THROTTLED:
        return "the request quota of "
            + region
            + " is exhausted (quotas are per account and"
            + " Region); reduce the call rate or request a quota increase";
      case SERVER_ERROR:
        return "KMS in " + region + " reported a server-side fault; it is usually transient";
      case TRANSPORT:
        return "KMS in "
            + region
            + " could not be reached: check the network path and endpoint,"
            + " and that the Region is enabled for the account (opt-in Regions)";
      case TIMEOUT:
        return "KMS in " + region + " did not answer in time; the Region may be degraded";
      case KEY_STATE:
        return "DisabledException".equals(errorCode)
            ? "the replica in "
                + region
                + " is disabled; replicas are enabled independently, run"
                + " EnableKey in "
                + region
            : "the replica in "
                + region
                + " is not usable in its current key state (pending"
                + " deletion, pending import, or still being created)";
      case NOT_FOUND:
        return "the key has no replica in "
            + region
            + ", or the Region is not enabled for the"
            + " account; ReplicateKey to it or remove "
            + region
            + " from regions(...)";
      case ACCESS_DENIED:
        return "check the key policy, grants and IAM permissions of the replica in "
            + region
            + "; policies are per replica";
      case CREDENTIALS:
        return "no valid AWS credentials: check the credentials provider chain (environment,"
            + " profile, container or instance role) or the provider set with clientCustomizer;"
            + " no Region was blamed and no retry will help until they are fixed";
      case INVALID_REQUEST:
        return invalidRequestHint(errorCode);
      case REJECTED_RESPONSE:
        return "the answer from "
            + region
            + " did not pass the keyring's integrity checks (the"
            + " KeyId echo or the data key length), so no other Region was asked; check that the"
            + " endpoint for "
            + region
            + " is really KMS in "
            + region;
      case UNEXPECTED:
        return "the attempt in " + region + " failed unexpectedly; check the client factory";
      case BREAKER_OPEN:
        return "skipped: the circuit breaker of " + region + " is open after repeated failures";
      case BUSY:
        return "not sent: every one of the router's slots in "
            + region
            + " stayed in use (maxConcurrentAttemptsPerRegion); the Region is slow or overloaded";
      case ABANDONED:
        return "still in flight when another Region decided the call";
      case NOT_TRIED:
        return "not tried: the call stopped earlier";
      default:
        return "";
    }
  }

  private static String invalidRequestHint(String errorCode) {
    if ("InvalidCiphertextException".equals(errorCode)) {
      return "the wrapped data key is damaged, or the encryption context differs from the one it"
          + " was encrypted with";
    }
    if ("IncorrectKeyException".equals(errorCode)) {
      return "the data key was not encrypted under this key";
    }
    if ("InvalidKeyUsageException".equals(errorCode)) {
      return "the key is not a symmetric ENCRYPT_DECRYPT key";
    }
    return "the request was rejected the same way any Region would reject it";
  }
}
