package dev.mrkenvelope;

import dev.mrkenvelope.internal.Untrusted;

/**
 * No keyring could unwrap any of the message's encrypted data keys. Each attempt that was made is
 * attached as a {@linkplain #getSuppressed() suppressed} {@link DataKeyUnwrapException} naming the
 * provider, the key, the region where there is one, and the reason.
 *
 * <p>{@link #getMessage()} lists the attempts too, one per line (key, region, outcome and the KMS
 * error code where there is one, as each attempt's message says; the first {@value
 * #LISTED_ATTEMPTS}, then how many more), so a service that logs only the message has what it needs
 * to act. {@link #retryable()} says whether every attempt failed for a transient reason.
 *
 * <p>A {@link DecryptionFailedException}, so that one {@code catch} covers every way a message can
 * fail to decrypt (a flipped bit in a wrapped key surfaces here); catch this type first to tell a
 * key or access problem from a damaged message.
 */
public class NoDecryptableKeyException extends DecryptionFailedException {
  private static final long serialVersionUID = 1L;

  /** How many attempts {@link #getMessage()} lists before it only counts the rest. */
  public static final int LISTED_ATTEMPTS = 10;

  public NoDecryptableKeyException(String message) {
    super(message);
  }

  public NoDecryptableKeyException(String message, Throwable cause) {
    super(message);
    initCause(cause);
  }

  /**
   * The message given at construction, then one line per attempt: {@code " - "} and the attempt's
   * own message (escaped: it may quote the message's provider info), at most {@value
   * #LISTED_ATTEMPTS} lines and then {@code " - and N more"}.
   */
  @Override
  public String getMessage() {
    String message = super.getMessage();
    Throwable[] attempts = getSuppressed();
    if (attempts.length == 0) {
      return message;
    }
    StringBuilder sb = new StringBuilder(message);
    sb.append(" [")
        .append(attempts.length)
        .append(attempts.length == 1 ? " attempt]" : " attempts]");
    int listed = Math.min(attempts.length, LISTED_ATTEMPTS);
    for (int i = 0; i < listed; i++) {
      sb.append("\n  - ").append(line(attempts[i]));
    }
    if (attempts.length > listed) {
      sb.append("\n  - and ").append(attempts.length - listed).append(" more");
    }
    return sb.toString();
  }

  private static String line(Throwable attempt) {
    String m = attempt.getMessage();
    if (attempt instanceof DataKeyUnwrapException) {
      return Untrusted.text(m);
    }
    // A keyring's own failure (e.g. a bug, or an exception from a child keyring): name its type.
    String type = attempt.getClass().getSimpleName();
    return Untrusted.text(m == null ? type : type + ": " + m);
  }

  /**
   * True when at least one attempt was made and every attempt failed for a transient reason
   * (throttling, a server fault, a network problem, a timeout): each attempt, or its cause, is an
   * {@link EnvelopeException} whose {@link EnvelopeException#retryable()} is true. Then the same
   * call may succeed later without anyone changing keys, policies or the message.
   */
  @Override
  public boolean retryable() {
    Throwable[] attempts = getSuppressed();
    if (attempts.length == 0) {
      return false;
    }
    for (Throwable a : attempts) {
      if (!isRetryable(a) && !isRetryable(a.getCause())) {
        return false;
      }
    }
    return true;
  }

  private static boolean isRetryable(Throwable t) {
    return t instanceof EnvelopeException && ((EnvelopeException) t).retryable();
  }
}
