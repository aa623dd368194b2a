package dev.mrkenvelope.testkit;

import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A decrypt-only keyring for known-answer tests: it answers every decrypt with one given plaintext
 * data key, whatever the encrypted data keys are (like the "static" keyring of the AWS Encryption
 * SDK's test vectors). A wrong key is caught by the message's authentication, as with any keyring.
 *
 * <p>Thread-safe.
 */
public final class FixedDataKeyKeyring implements Keyring {
  private final byte[] dataKey;
  private final AtomicInteger calls = new AtomicInteger();

  private FixedDataKeyKeyring(byte[] dataKey) {
    this.dataKey = dataKey.clone();
  }

  /**
   * A keyring that unwraps every message to {@code dataKey} (copied).
   *
   * @throws IllegalArgumentException if {@code dataKey} is empty
   */
  public static FixedDataKeyKeyring of(byte[] dataKey) {
    if (dataKey.length == 0) {
      throw new IllegalArgumentException(
          "dataKey must not be empty; pass the suite's data key bytes");
    }
    return new FixedDataKeyKeyring(dataKey);
  }

  /** Always fails: this keyring has no key to wrap with. */
  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    throw new UnsupportedOperationException(
        "FixedDataKeyKeyring only decrypts; encrypt with a RawAesKeyring or a KMS keyring");
  }

  /** Adds the fixed data key unless {@code materials} already has one. */
  @Override
  public DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    calls.incrementAndGet();
    return materials.hasPlaintextDataKey() ? materials : materials.withPlaintextDataKey(dataKey);
  }

  /** How often a materials manager asked this keyring for the data key. */
  public int calls() {
    return calls.get();
  }

  @Override
  public String toString() {
    return "FixedDataKeyKeyring";
  }
}
