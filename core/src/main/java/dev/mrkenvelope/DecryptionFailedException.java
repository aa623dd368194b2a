package dev.mrkenvelope;

/**
 * The ciphertext is not an authentic message for the keys and context given: it was tampered with,
 * truncated, malformed, fails its key commitment or signature, or has trailing bytes.
 *
 * <p>On purpose one type with a vague message and no parser cause, so that errors do not turn into
 * an oracle about the message or its keys. No plaintext was released when this is thrown.
 */
public class DecryptionFailedException extends EnvelopeException {
  private static final long serialVersionUID = 1L;

  public DecryptionFailedException(String message) {
    super(message);
  }
}
