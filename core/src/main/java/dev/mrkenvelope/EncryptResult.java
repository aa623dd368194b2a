package dev.mrkenvelope;

import java.util.List;
import java.util.Map;

/**
 * The result of {@link EnvelopeClient#encrypt(byte[], Map)}: the message and what it was written
 * with.
 *
 * <p>Immutable apart from the ciphertext array, which is handed over without a copy (messages can
 * be large): the caller owns it.
 */
public final class EncryptResult {
  private final byte[] ciphertext;
  private final Map<String, String> encryptionContext;
  private final AlgorithmSuite algorithmSuite;
  private final List<EncryptedDataKey> encryptedDataKeys;

  EncryptResult(
      byte[] ciphertext,
      Map<String, String> encryptionContext,
      AlgorithmSuite algorithmSuite,
      List<EncryptedDataKey> encryptedDataKeys) {
    this.ciphertext = ciphertext;
    this.encryptionContext = encryptionContext;
    this.algorithmSuite = algorithmSuite;
    this.encryptedDataKeys = encryptedDataKeys;
  }

  /** The complete message, in the ESDK message format. Not copied: the caller owns the array. */
  public byte[] ciphertext() {
    return ciphertext;
  }

  /**
   * The full encryption context the message is bound to: the caller's pairs plus {@code
   * aws-crypto-public-key} for signing suites (and any required pairs a materials manager added).
   */
  public Map<String, String> encryptionContext() {
    return encryptionContext;
  }

  public AlgorithmSuite algorithmSuite() {
    return algorithmSuite;
  }

  public List<EncryptedDataKey> encryptedDataKeys() {
    return encryptedDataKeys;
  }
}
