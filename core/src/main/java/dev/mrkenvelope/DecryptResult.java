package dev.mrkenvelope;

import java.util.List;
import java.util.Map;

/**
 * The result of {@link EnvelopeClient#decrypt(byte[])}: the authenticated plaintext and what the
 * message was written with.
 *
 * <p>Immutable apart from the plaintext array, which is handed over without a copy: the caller owns
 * it.
 */
public final class DecryptResult {
  private final byte[] plaintext;
  private final Map<String, String> encryptionContext;
  private final AlgorithmSuite algorithmSuite;
  private final List<EncryptedDataKey> encryptedDataKeys;

  DecryptResult(
      byte[] plaintext,
      Map<String, String> encryptionContext,
      AlgorithmSuite algorithmSuite,
      List<EncryptedDataKey> encryptedDataKeys) {
    this.plaintext = plaintext;
    this.encryptionContext = encryptionContext;
    this.algorithmSuite = algorithmSuite;
    this.encryptedDataKeys = encryptedDataKeys;
  }

  /** The plaintext, released only after the whole message authenticated. Not copied. */
  public byte[] plaintext() {
    return plaintext;
  }

  /**
   * The authenticated encryption context: the pairs stored in the message (including {@code
   * aws-crypto-public-key} for signing suites) plus any reproduced required pairs. Check the pairs
   * your application relies on before trusting the plaintext.
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
