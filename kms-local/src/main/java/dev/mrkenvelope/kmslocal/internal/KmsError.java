package dev.mrkenvelope.kmslocal.internal;

/**
 * A KMS error as it goes on the wire: the {@code __type} code, the HTTP status and an optional
 * message. Internal control flow only; it never reaches users of the Java API.
 *
 * <p>Immutable and thread-safe. It carries no stack trace, because errors are an ordinary, frequent
 * outcome here (fault injection, negative tests) and stack capture would cost more than the request
 * itself.
 */
public final class KmsError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final int status;

  private KmsError(String code, int status, String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
  }

  /** An error with the status real KMS sends for {@code code} (400 unless a server fault). */
  public static KmsError of(String code, String message) {
    return new KmsError(code, statusFor(code), message);
  }

  /** An error with an explicit status, for fault injection of e.g. 502/504. */
  public static KmsError of(String code, int status, String message) {
    return new KmsError(code, status, message);
  }

  /**
   * The status real KMS uses: the three server faults are 5xx (so SDK retries run, unlike
   * LocalStack's uniform 400); every other code, throttling included, is 400.
   */
  public static int statusFor(String code) {
    switch (code) {
      case "KMSInternalException":
      case "KeyUnavailableException":
      case "InternalFailure":
        return 500;
      case "DependencyTimeoutException":
      case "ServiceUnavailable":
      case "ServiceUnavailableException":
        return 503;
      default:
        return 400;
    }
  }

  public static KmsError validation(String member, String constraint) {
    return of(
        "ValidationException",
        "1 validation error detected: Value at '"
            + lowerCamel(member)
            + "' failed to satisfy constraint: "
            + constraint);
  }

  public static KmsError missing(String member) {
    return of(
        "ValidationException",
        "1 validation error detected: Value null at '"
            + lowerCamel(member)
            + "' failed to satisfy constraint: Member must not be null");
  }

  public static KmsError notFound(String message) {
    return of("NotFoundException", message);
  }

  public static KmsError invalidState(String message) {
    return of("KMSInvalidStateException", message);
  }

  public static KmsError unsupported(String message) {
    return of("UnsupportedOperationException", message);
  }

  public static KmsError invalidCiphertext() {
    return of("InvalidCiphertextException", null);
  }

  public static KmsError accessDenied(String message) {
    return of("AccessDeniedException", message);
  }

  private static String lowerCamel(String member) {
    return Character.toLowerCase(member.charAt(0)) + member.substring(1);
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
