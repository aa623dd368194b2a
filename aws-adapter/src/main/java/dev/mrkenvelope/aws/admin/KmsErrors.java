package dev.mrkenvelope.aws.admin;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** KMS failures in words: the error code, and the fix an operator needs for it. */
final class KmsErrors {
  private KmsErrors() {}

  static boolean notFound(Throwable e) {
    return e instanceof NotFoundException;
  }

  /** The KMS error code, or a short name for client-side failures (timeout, transport). */
  static String code(Throwable e) {
    if (e instanceof AwsServiceException s
        && s.awsErrorDetails() != null
        && s.awsErrorDetails().errorCode() != null) {
      return s.awsErrorDetails().errorCode();
    }
    if (timeout(e)) {
      return "Timeout";
    }
    if (e instanceof SdkClientException) {
      return "TransportError";
    }
    return e.getClass().getSimpleName();
  }

  /** True for failures that say the Region did not answer (timeouts, connection failures). */
  static boolean unreachable(Throwable e) {
    return timeout(e) || (e instanceof SdkClientException && !(e instanceof AwsServiceException));
  }

  private static boolean timeout(Throwable e) {
    return e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException;
  }

  /** "Code: message", one line. */
  static String describe(Throwable e) {
    String m =
        e instanceof AwsServiceException s && s.awsErrorDetails() != null
            ? s.awsErrorDetails().errorMessage()
            : e.getMessage();
    return code(e) + (m == null ? "" : ": " + Tables.cut(m, 200));
  }

  /** What to do about a failed call in {@code region}, by error code. */
  static String fix(Throwable e, String region) {
    String code = code(e);
    switch (code) {
      case "AccessDeniedException":
        return "key policies are per replica: the policy of the replica in "
            + region
            + " (GetKeyPolicy there) or the caller's IAM policy must allow this call";
      case "DisabledException":
        return "the replica in "
            + region
            + " is disabled; if that was not a deliberate regional"
            + " kill-switch, EnableKey in "
            + region;
      case "KMSInvalidStateException":
        return "the replica in "
            + region
            + " is not usable (pending deletion or still being"
            + " created); CancelKeyDeletion then EnableKey there, or wait for Creating to end";
      case "NotFoundException":
        return "no replica of this key in "
            + region
            + ": ReplicateKey from the primary to "
            + region
            + " (MrkAdmin.apply with a spec listing it)";
      case "InvalidCiphertextException":
      case "IncorrectKeyException":
        return "the key in "
            + region
            + " is not a replica of the key that made the data key;"
            + " check the key IDs match";
      case "ThrottlingException":
        return "request quota exhausted in " + region + "; retry later or raise the quota";
      case "UnrecognizedClientException":
      case "InvalidClientTokenId":
        return region
            + " is not enabled for this account (opt-in Region) or the credentials"
            + " are not valid there; enable the Region";
      case "Timeout":
      case "TransportError":
        return region
            + " did not answer: check the network path to its KMS endpoint (VPC"
            + " endpoint, firewall, DNS) and the AWS Health Dashboard";
      default:
        return "see the KMS error above; retry once the cause in " + region + " is fixed";
    }
  }
}
