package dev.mrkenvelope.conformance;

import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.util.List;

/**
 * Test-only keyring for known-answer tests: on decrypt it returns a given plaintext data key
 * whatever the encrypted data keys are (like the "static" keyring of the ESDK commitment vectors).
 * It cannot encrypt.
 */
final class FixedDataKeyKeyring implements Keyring {
  private final byte[] dataKey;
  private int calls;

  FixedDataKeyKeyring(byte[] dataKey) {
    this.dataKey = dataKey.clone();
  }

  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    throw new UnsupportedOperationException("FixedDataKeyKeyring only decrypts");
  }

  @Override
  public synchronized DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    calls++;
    return materials.hasPlaintextDataKey() ? materials : materials.withPlaintextDataKey(dataKey);
  }

  /** How often a materials manager asked this keyring for the data key. */
  synchronized int calls() {
    return calls;
  }
}
