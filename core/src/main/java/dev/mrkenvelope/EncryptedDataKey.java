package dev.mrkenvelope;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One wrapped copy of a message's data key, as stored in the message header: the provider ID (a
 * raw keyring's namespace, or {@code aws-kms}), the provider info (key name and wrapping
 * parameters, or a KMS key ARN) and the wrapped key bytes.
 *
 * <p>Immutable and thread-safe; byte arrays are copied in and out.
 */
public final class EncryptedDataKey {
  private final String providerId;
  private final byte[] providerInfo;
  private final byte[] ciphertext;

  private EncryptedDataKey(String providerId, byte[] providerInfo, byte[] ciphertext) {
    this.providerId = providerId;
    this.providerInfo = providerInfo;
    this.ciphertext = ciphertext;
  }

  /**
   * Creates an EDK.
   *
   * @throws IllegalArgumentException if any part is longer than the format's 65535-byte limit
   */
  public static EncryptedDataKey of(String providerId, byte[] providerInfo, byte[] ciphertext) {
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(providerInfo, "providerInfo");
    Objects.requireNonNull(ciphertext, "ciphertext");
    checkLength("providerId", providerId.getBytes(StandardCharsets.UTF_8).length);
    checkLength("providerInfo", providerInfo.length);
    checkLength("ciphertext", ciphertext.length);
    return new EncryptedDataKey(providerId, providerInfo.clone(), ciphertext.clone());
  }

  /** Wraps arrays the caller hands over and will not modify (parser and keyrings only). */
  static EncryptedDataKey ofOwned(String providerId, byte[] providerInfo, byte[] ciphertext) {
    return new EncryptedDataKey(providerId, providerInfo, ciphertext);
  }

  private static void checkLength(String what, int length) {
    if (length > 0xFFFF) {
      throw new IllegalArgumentException(
          what + " is " + length + " bytes; the message format allows at most 65535");
    }
  }

  public String providerId() {
    return providerId;
  }

  /** The provider info; a copy. */
  public byte[] providerInfo() {
    return providerInfo.clone();
  }

  /** The wrapped data key; a copy. */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** The provider info read as UTF-8 (KMS key ARNs, RSA key names). */
  public String providerInfoUtf8() {
    return new String(providerInfo, StandardCharsets.UTF_8);
  }

  byte[] providerInfoUnsafe() {
    return providerInfo;
  }

  byte[] ciphertextUnsafe() {
    return ciphertext;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EncryptedDataKey)) {
      return false;
    }
    EncryptedDataKey other = (EncryptedDataKey) o;
    return providerId.equals(other.providerId)
        && Arrays.equals(providerInfo, other.providerInfo)
        && Arrays.equals(ciphertext, other.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * providerId.hashCode() + Arrays.hashCode(providerInfo))
        + Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "EncryptedDataKey{providerId=" + providerId + ", providerInfo=" + providerInfoUtf8()
        + ", ciphertext=" + ciphertext.length + " bytes}";
  }
}
