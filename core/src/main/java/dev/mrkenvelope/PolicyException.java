package dev.mrkenvelope;

/**
 * A configured policy forbids the operation: the commitment policy does not allow the message's
 * algorithm suite, the message has more encrypted data keys than {@code maxEncryptedDataKeys}, or
 * the suite is otherwise not allowed. The message names the policy and the setting to change.
 */
public class PolicyException extends EnvelopeException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }
}
