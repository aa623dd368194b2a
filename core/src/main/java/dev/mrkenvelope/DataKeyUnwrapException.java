package dev.mrkenvelope;

import dev.mrkenvelope.internal.Untrusted;
import java.util.Optional;

/**
 * One failed attempt to unwrap an encrypted data key: which provider and key were tried, in which
 * region (for KMS keyrings), and why it failed. Attached as a suppressed exception to {@link
 * NoDecryptableKeyException}; thrown on its own only inside keyrings. Its message escapes the parts
 * that may come from a message (control characters, line separators; long values cut); the
 * accessors return the values as given.
 *
 * <p>Carries no stack trace of its own (its cause, if any, keeps its trace): a message can name a
 * reader's key in many EDKs, and one trace per failed attempt would let a sender make a reader hold
 * megabytes of traces per message.
 */
public class DataKeyUnwrapException extends EnvelopeException {
  private static final long serialVersionUID = 1L;

  private final String providerId;
  private final String keyId;
  private final String region;
  private final String reason;

  /**
   * @param providerId the EDK provider ID (a raw keyring's namespace, or {@code aws-kms})
   * @param keyId the key name or key ARN tried
   * @param region the AWS region of the attempt, or {@code null} for raw keyrings
   * @param reason why it failed, for a person to act on
   * @param cause the underlying exception, or {@code null}
   */
  public DataKeyUnwrapException(
      String providerId, String keyId, String region, String reason, Throwable cause) {
    super(
        "provider '"
            + Untrusted.text(providerId)
            + "', key '"
            + Untrusted.text(keyId)
            + "'"
            + (region == null ? "" : ", region " + Untrusted.text(region))
            + ": "
            + Untrusted.text(reason),
        cause,
        false);
    this.providerId = providerId;
    this.keyId = keyId;
    this.region = region;
    this.reason = reason;
  }

  public String providerId() {
    return providerId;
  }

  public String keyId() {
    return keyId;
  }

  public Optional<String> region() {
    return Optional.ofNullable(region);
  }

  public String reason() {
    return reason;
  }
}
