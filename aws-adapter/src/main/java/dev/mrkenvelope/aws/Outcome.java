package dev.mrkenvelope.aws;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What one KMS attempt in one Region came to, and what the router does next: the classification
 * of DESIGN.md and ANCHORS.md §E.5, in one place.
 *
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>Signal</th><th>Outcome</th><th>Router</th><th>Breaker</th></tr>
 *   <tr><td>ThrottlingException (any throttling code or HTTP 429)</td><td>THROTTLED</td><td>next Region</td><td>counts</td></tr>
 *   <tr><td>KMSInternalException, KeyUnavailableException, DependencyTimeoutException, any 5xx</td><td>SERVER_ERROR</td><td>next Region</td><td>counts</td></tr>
 *   <tr><td>connection refused/reset, unknown host, other SDK client errors</td><td>TRANSPORT</td><td>next Region</td><td>counts</td></tr>
 *   <tr><td>attempt or socket timeout</td><td>TIMEOUT</td><td>next Region</td><td>counts</td></tr>
 *   <tr><td>DisabledException, KMSInvalidStateException (the replica's own state)</td><td>KEY_STATE</td><td>next Region</td><td>no</td></tr>
 *   <tr><td>NotFoundException</td><td>NOT_FOUND</td><td>skip Region</td><td>no</td></tr>
 *   <tr><td>AccessDeniedException</td><td>ACCESS_DENIED</td><td>fail fast, or next Region if opted in</td><td>no</td></tr>
 *   <tr><td>InvalidCiphertext, IncorrectKey, InvalidKeyUsage, InvalidGrantToken, Validation,
 *       credential errors, any other 4xx</td><td>FAIL_FAST</td><td>fail fast</td><td>no</td></tr>
 *   <tr><td>a response that fails our checks (KeyId echo, data key length): an integrity
 *       failure, as in the ESDK's MRK-aware keyrings</td><td>REJECTED</td><td>fail fast</td><td>no</td></tr>
 *   <tr><td>anything else an attempt throws (e.g. a custom client factory's bug); a JVM
 *       {@code Error} fails fast</td><td>UNEXPECTED</td><td>next Region</td><td>no</td></tr>
 * </table>
 */
enum Outcome {
  SUCCESS("success", "success"),
  THROTTLED("throttled", "throttled"),
  SERVER_ERROR("server_error", "server_error"),
  TRANSPORT("transport", "transport"),
  TIMEOUT("timeout", "timeout"),
  KEY_STATE("client_error", "key_state"),
  NOT_FOUND("client_error", "not_found"),
  ACCESS_DENIED("client_error", "access_denied"),
  FAIL_FAST("client_error", "fail_fast"),
  REJECTED("client_error", "rejected_response"),
  UNEXPECTED("client_error", "unexpected_error"),
  /** Not an attempt: the Region's circuit breaker was open, so it was skipped. */
  BREAKER_OPEN(null, "breaker_open"),
  /** Not an attempt: the router's executor had no thread left. */
  SATURATED(null, "saturated");

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

  /** The {@code outcome} tag of {@code mrkenvelope.kms.requests}; null for non-attempts. */
  final String metricTag;

  /** The {@code reason} tag of {@code mrkenvelope.kms.failovers}. */
  final String reason;

  Outcome(String metricTag, String reason) {
    this.metricTag = metricTag;
    this.reason = reason;
  }

  /** Whether this outcome counts toward the Region's circuit breaker. */
  boolean countsTowardBreaker() {
    return this == THROTTLED || this == SERVER_ERROR || this == TRANSPORT || this == TIMEOUT;
  }

  /** Whether retrying later (in any Region) may succeed without anyone changing anything. */
  boolean transientFailure() {
    return countsTowardBreaker() || this == BREAKER_OPEN || this == SATURATED;
  }

  /** Whether the router stops at this outcome instead of trying the next Region. */
  boolean failsFast(boolean failOverOnAccessDenied) {
    return this == FAIL_FAST
        || this == REJECTED
        || (this == ACCESS_DENIED && !failOverOnAccessDenied);
  }

  /** A failed attempt: its outcome, the KMS error code if there was one, and the message. */
  static final class Classified {
    final Outcome outcome;
    final String errorCode;
    final String message;

    Classified(Outcome outcome, String errorCode, String message) {
      this.outcome = outcome;
      this.errorCode = errorCode;
      this.message = message;
    }
  }

  /** Classifies what an attempt threw. */
  static Classified classify(Throwable t) {
    if (t instanceof RejectedResponseException) {
      return new Classified(REJECTED, null, t.getMessage());
    }
    if (t instanceof AwsServiceException) {
      AwsServiceException e = (AwsServiceException) t;
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String message =
          e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
              ? e.awsErrorDetails().errorMessage()
              : e.getMessage();
      int status = e.statusCode();
      return new Classified(classifyService(code, status, e.isThrottlingException()), code, message);
    }
    if (t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException) {
      return new Classified(TIMEOUT, null, t.getMessage());
    }
    if (t instanceof AbortedException) {
      return new Classified(TRANSPORT, null, "the call was aborted: " + t.getMessage());
    }
    if (t instanceof SdkClientException) {
      for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
        if (c instanceof SocketTimeoutException) {
          return new Classified(TIMEOUT, null, c.toString());
        }
        if (c instanceof InterruptedIOException || c instanceof IOException) {
          return new Classified(TRANSPORT, null, c.toString());
        }
      }
      return new Classified(TRANSPORT, null, t.getMessage());
    }
    if (t instanceof Error) {
      // Out of memory and the like: no other Region will fix it.
      return new Classified(FAIL_FAST, null, t.toString());
    }
    // Anything else (e.g. a custom client factory that threw): try the next Region, but do not
    // blame the Region's health for it.
    return new Classified(UNEXPECTED, null, t.toString());
  }

  static Outcome classifyService(String code, int status, boolean sdkSaysThrottling) {
    if (sdkSaysThrottling || status == 429 || (code != null && THROTTLING_CODES.contains(code))) {
      return THROTTLED;
    }
    if (code != null) {
      if (SERVER_CODES.contains(code)) {
        return SERVER_ERROR;
      }
      if (KEY_STATE_CODES.contains(code)) {
        return KEY_STATE;
      }
      if (code.equals("NotFoundException")) {
        return NOT_FOUND;
      }
      if (code.equals("AccessDeniedException")) {
        return ACCESS_DENIED;
      }
    }
    if (status >= 500) {
      return SERVER_ERROR;
    }
    return FAIL_FAST;
  }

  /** A short hint for a person, by outcome and error code. */
  static String hint(Outcome outcome, String errorCode, String region) {
    switch (outcome) {
      case THROTTLED:
        return "the request quota of " + region + " is exhausted (quotas are per account and"
            + " Region); reduce the call rate or request a quota increase";
      case SERVER_ERROR:
        return "KMS in " + region + " reported a server-side fault; it is usually transient";
      case TRANSPORT:
        return "KMS in " + region + " could not be reached: check the network path and endpoint, and"
            + " that the Region is enabled for the account (opt-in Regions)";
      case TIMEOUT:
        return "KMS in " + region + " did not answer in time; the Region may be degraded";
      case KEY_STATE:
        return "DisabledException".equals(errorCode)
            ? "the replica in " + region + " is disabled; replicas are enabled independently, run"
                + " EnableKey in " + region
            : "the replica in " + region + " is not usable in its current key state (pending"
                + " deletion, pending import, or still being created)";
      case NOT_FOUND:
        return "the key has no replica in " + region + ", or the Region is not enabled for the"
            + " account; ReplicateKey to it or remove " + region + " from regions(...)";
      case ACCESS_DENIED:
        return "check the key policy, grants and IAM permissions of the replica in " + region
            + "; policies are per replica";
      case FAIL_FAST:
        if ("InvalidCiphertextException".equals(errorCode)) {
          return "the wrapped data key is damaged, or the encryption context differs from the one"
              + " it was encrypted with";
        }
        if ("IncorrectKeyException".equals(errorCode)) {
          return "the data key was not encrypted under this key";
        }
        if ("InvalidKeyUsageException".equals(errorCode)) {
          return "the key is not a symmetric ENCRYPT_DECRYPT key";
        }
        if (errorCode != null
            && (errorCode.startsWith("UnrecognizedClient")
                || errorCode.startsWith("ExpiredToken")
                || errorCode.startsWith("InvalidSignature")
                || errorCode.startsWith("InvalidClientToken"))) {
          return "the credentials were rejected; refresh them";
        }
        return "the request was rejected the same way any Region would reject it";
      case REJECTED:
        return "the answer from " + region + " did not pass the keyring's integrity checks (the"
            + " KeyId echo or the data key length), so no other Region was asked; check that the"
            + " client factory's endpoint for " + region + " is really KMS in " + region;
      case UNEXPECTED:
        return "the attempt in " + region + " failed unexpectedly; check the client factory";
      case BREAKER_OPEN:
        return "skipped: the circuit breaker of " + region + " is open after repeated failures";
      case SATURATED:
        return "skipped: the router has no free thread; raise maxConcurrentAttempts";
      default:
        return "";
    }
  }
}
