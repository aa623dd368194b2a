package dev.mrkenvelope.benchmarks;

import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.security.PublicKey;
import java.util.List;

/**
 * Set-up only: delegates to a keyring and keeps the last unwrapped data key and verification key,
 * so the floor can be checked against a message the library really wrote.
 */
final class CapturingKeyring implements Keyring {
  private final Keyring delegate;
  byte[] dataKey;
  PublicKey verificationKey;

  CapturingKeyring(Keyring delegate) {
    this.delegate = delegate;
  }

  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    return delegate.onEncrypt(materials);
  }

  @Override
  public DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    DecryptionMaterials m = delegate.onDecrypt(materials, encryptedDataKeys);
    dataKey = m.plaintextDataKey().orElseThrow();
    verificationKey = m.verificationKey().orElse(null);
    return m;
  }
}
