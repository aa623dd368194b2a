package dev.mrkenvelope;

/**
 * No keyring could unwrap any of the message's encrypted data keys. Each attempt that was made is
 * attached as a {@linkplain #getSuppressed() suppressed} {@link DataKeyUnwrapException} naming the
 * provider, the key, the region where there is one, and the reason.
 *
 * <p>A {@link DecryptionFailedException}, so that one {@code catch} covers every way a message can
 * fail to decrypt (a flipped bit in a wrapped key surfaces here); catch this type first to tell a
 * key or access problem from a damaged message.
 */
public class NoDecryptableKeyException extends DecryptionFailedException {
  private static final long serialVersionUID = 1L;

  public NoDecryptableKeyException(String message) {
    super(message);
  }

  public NoDecryptableKeyException(String message, Throwable cause) {
    super(message);
    initCause(cause);
  }
}
