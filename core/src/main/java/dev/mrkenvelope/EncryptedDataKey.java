package dev.mrkenvelope;

import dev.mrkenvelope.internal.Untrusted;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One wrapped copy of a message's data key, as stored in the message header: the provider ID (a raw
 * keyring's namespace, or {@code aws-kms}), the provider info (key name and wrapping parameters, or
 * a KMS key ARN) and the wrapped key bytes.
 *
 * <p>Immutable and thread-safe; byte arrays are copied in and out.
 */
public final class EncryptedDataKey {
  private final String providerId;
  // The three fields are ranges of one array: for a parsed header, of the header bytes (no copy
  // per field); otherwise of one private copy made by of(). The provider ID's UTF-8 bytes are kept
  // so that writing a header does not encode it again.
  private final byte[] bytes;
  private final int idOffset;
  private final int idLength;
  private final int infoOffset;
  private final int infoLength;
  private final int ciphertextOffset;
  private final int ciphertextLength;

  /**
   * An EDK over ranges of {@code bytes}: for the parser, an array it owns and never modifies (the
   * header bytes), so that parsing copies no field. {@code providerId} is the decoded ID range.
   */
  EncryptedDataKey(
      String providerId,
      byte[] bytes,
      int idOffset,
      int idLength,
      int infoOffset,
      int infoLength,
      int ciphertextOffset,
      int ciphertextLength) {
    this.providerId = providerId;
    this.bytes = bytes;
    this.idOffset = idOffset;
    this.idLength = idLength;
    this.infoOffset = infoOffset;
    this.infoLength = infoLength;
    this.ciphertextOffset = ciphertextOffset;
    this.ciphertextLength = ciphertextLength;
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
    byte[] id = providerId.getBytes(StandardCharsets.UTF_8);
    checkLength("providerId", id.length);
    checkLength("providerInfo", providerInfo.length);
    checkLength("ciphertext", ciphertext.length);
    byte[] all = new byte[id.length + providerInfo.length + ciphertext.length];
    System.arraycopy(id, 0, all, 0, id.length);
    System.arraycopy(providerInfo, 0, all, id.length, providerInfo.length);
    int ct = id.length + providerInfo.length;
    System.arraycopy(ciphertext, 0, all, ct, ciphertext.length);
    return new EncryptedDataKey(
        providerId, all, 0, id.length, id.length, providerInfo.length, ct, ciphertext.length);
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
    return Arrays.copyOfRange(bytes, infoOffset, infoOffset + infoLength);
  }

  /** The wrapped data key; a copy. */
  public byte[] ciphertext() {
    return Arrays.copyOfRange(bytes, ciphertextOffset, ciphertextOffset + ciphertextLength);
  }

  /** The provider info read as UTF-8 (KMS key ARNs, RSA key names). */
  public String providerInfoUtf8() {
    return new String(bytes, infoOffset, infoLength, StandardCharsets.UTF_8);
  }

  /**
   * Writes {@code u16 len ‖ providerId ‖ u16 len ‖ providerInfo ‖ u16 len ‖ ciphertext} at {@code
   * p}; returns the end.
   */
  int writeTo(byte[] out, int p) {
    p = putPrefixed(out, p, idOffset, idLength);
    p = putPrefixed(out, p, infoOffset, infoLength);
    return putPrefixed(out, p, ciphertextOffset, ciphertextLength);
  }

  private int putPrefixed(byte[] out, int p, int offset, int length) {
    BigEndian.putU16(out, p, length);
    System.arraycopy(bytes, offset, out, p + 2, length);
    return p + 2 + length;
  }

  /** The bytes {@link #writeTo} writes. */
  int encodedLength() {
    return 6 + idLength + infoLength + ciphertextLength;
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
        && Arrays.equals(
            bytes,
            infoOffset,
            infoOffset + infoLength,
            other.bytes,
            other.infoOffset,
            other.infoOffset + other.infoLength)
        && Arrays.equals(
            bytes,
            ciphertextOffset,
            ciphertextOffset + ciphertextLength,
            other.bytes,
            other.ciphertextOffset,
            other.ciphertextOffset + other.ciphertextLength);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * providerId.hashCode() + hash(infoOffset, infoLength))
        + hash(ciphertextOffset, ciphertextLength);
  }

  /** {@link Arrays#hashCode(byte[])} of a range, so hash codes do not depend on the layout. */
  private int hash(int offset, int length) {
    int h = 1;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return "EncryptedDataKey{providerId="
        + Untrusted.text(providerId)
        + ", providerInfo="
        + Untrusted.text(providerInfoUtf8())
        + ", ciphertext="
        + ciphertextLength
        + " bytes}";
  }
}
