package dev.mrkenvelope.aws;

/**
 * What happened in one Region during a routed KMS call, as reported by {@link
 * RegionAttempt#outcome()}, and what the {@link KmsRouter} does next. This is the one
 * classification table of the library:
 *
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>Signal</th><th>Outcome</th><th>Router</th><th>Counts toward the Region's breaker</th><th>Retryable</th></tr>
 *   <tr><td>ThrottlingException (any throttling code, HTTP 429)</td><td>THROTTLED</td>
 *       <td>next Region</td><td>counts</td><td>yes</td></tr>
 *   <tr><td>KMSInternalException, KeyUnavailableException, DependencyTimeoutException, any 5xx</td>
 *       <td>SERVER_ERROR</td><td>next Region</td><td>counts</td><td>yes</td></tr>
 *   <tr><td>connection refused or reset, unknown host, other I/O errors</td><td>TRANSPORT</td>
 *       <td>next Region</td><td>counts</td><td>yes</td></tr>
 *   <tr><td>attempt or socket timeout</td><td>TIMEOUT</td><td>next Region</td><td>counts</td>
 *       <td>yes</td></tr>
 *   <tr><td>DisabledException, KMSInvalidStateException (the replica's own state)</td>
 *       <td>KEY_STATE</td><td>next Region; fail fast with {@code failOverOnKeyState(false)}</td>
 *       <td>no</td><td>no</td></tr>
 *   <tr><td>NotFoundException</td><td>NOT_FOUND</td><td>next Region</td><td>no</td><td>no</td></tr>
 *   <tr><td>AccessDeniedException</td><td>ACCESS_DENIED</td><td>fail fast; next Region with
 *       {@code failOverOnAccessDenied(true)}</td><td>no</td><td>no</td></tr>
 *   <tr><td>credentials that cannot be loaded; UnrecognizedClient, InvalidSignature,
 *       ExpiredToken, InvalidClientTokenId</td><td>CREDENTIALS</td><td>fail fast</td><td>no</td>
 *       <td>no</td></tr>
 *   <tr><td>InvalidCiphertext, IncorrectKey, InvalidKeyUsage, Validation, any other 4xx; a JVM
 *       {@code Error}</td><td>INVALID_REQUEST</td><td>fail fast</td><td>no</td><td>no</td></tr>
 *   <tr><td>an answer that fails the keyring's checks (KeyId echo, data key length): an
 *       integrity failure</td><td>REJECTED_RESPONSE</td><td>fail fast</td><td>no</td>
 *       <td>no</td></tr>
 *   <tr><td>anything else (e.g. a custom client's bug)</td><td>UNEXPECTED</td><td>next
 *       Region</td><td>no</td><td>no</td></tr>
 * </table>
 *
 * <p>A Region skipped for an open breaker ({@link #BREAKER_OPEN}) or a full bulkhead ({@link
 * #BUSY}) is transient too. With hedging, the router applies this table to the attempts in the
 * order the Regions were tried, so that the outcome never depends on which attempt answers first.
 */
public enum AttemptOutcome {
  /** KMS answered and the answer passed every check. */
  SUCCESS,
  /**
   * KMS throttled the request (per account and Region quota). Transient; counts toward the breaker.
   */
  THROTTLED,
  /** A KMS server-side fault (HTTP 5xx). Transient; counts toward the breaker. */
  SERVER_ERROR,
  /** KMS could not be reached: connection refused or reset, unknown host. Transient; counts. */
  TRANSPORT,
  /** No answer within the attempt timeout. Transient; counts toward the breaker. */
  TIMEOUT,
  /**
   * The replica is disabled or in a state that forbids the call (DisabledException,
   * KMSInvalidStateException).
   */
  KEY_STATE,
  /** The key has no replica in the Region (NotFoundException). */
  NOT_FOUND,
  /** The key policy, a grant or IAM denied the call in this Region (AccessDeniedException). */
  ACCESS_DENIED,
  /**
   * The credentials could not be loaded, or KMS rejected them (UnrecognizedClientException,
   * InvalidSignatureException, ExpiredTokenException): a configuration problem of this process.
   */
  CREDENTIALS,
  /**
   * KMS refused the request itself (InvalidCiphertextException, IncorrectKeyException,
   * InvalidKeyUsageException, ValidationException and other client errors); every Region would.
   */
  INVALID_REQUEST,
  /**
   * KMS answered, but the answer failed the keyring's checks (the KeyId echo, the data key length).
   */
  REJECTED_RESPONSE,
  /** The attempt failed in a way the router does not recognise (e.g. a custom client's bug). */
  UNEXPECTED,
  /** Not attempted: the Region's circuit breaker was open. Transient. */
  BREAKER_OPEN,
  /**
   * Not attempted: all of the Region's slots ({@code maxConcurrentAttemptsPerRegion}) stayed in use
   * while the call waited, and it moved on. Transient.
   */
  BUSY,
  /** Attempted, but the call ended (decided by another Region) before this Region answered. */
  ABANDONED,
  /** Not attempted: the call ended before it reached this Region. */
  NOT_TRIED;

  /** Whether trying again later, with nothing changed, may give a different answer. */
  public boolean isTransient() {
    switch (this) {
      case THROTTLED:
      case SERVER_ERROR:
      case TRANSPORT:
      case TIMEOUT:
      case BREAKER_OPEN:
      case BUSY:
        return true;
      default:
        return false;
    }
  }

  /** Whether this outcome counts toward the Region's circuit breaker. */
  boolean countsTowardBreaker() {
    return this == THROTTLED || this == SERVER_ERROR || this == TRANSPORT || this == TIMEOUT;
  }

  /** The {@code outcome} tag of {@code mrkenvelope.kms.requests}; null when nothing was sent. */
  String metricTag() {
    switch (this) {
      case SUCCESS:
        return "success";
      case THROTTLED:
        return "throttled";
      case SERVER_ERROR:
        return "server_error";
      case TRANSPORT:
        return "transport";
      case TIMEOUT:
        return "timeout";
      case BREAKER_OPEN:
      case BUSY:
      case ABANDONED:
      case NOT_TRIED:
        return null;
      default:
        return "client_error";
    }
  }

  /** The {@code reason} tag of {@code mrkenvelope.kms.failovers}: the constant in lower case. */
  String reason() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
