package dev.mrkenvelope.testkit;

import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A keyring that passes every call on to another keyring and keeps the plaintext data key and the
 * verification key of the last decrypt, so a test can check a message with independent code (a
 * plain JCA implementation of the format, say) against the keys the library really used.
 *
 * <p>For tests only: it holds a data key in memory. Thread-safe; "last" is the last decrypt to
 * finish.
 */
public final class CapturingKeyring implements Keyring {
  private final Keyring delegate;
  private volatile DecryptionMaterials last;

  private CapturingKeyring(Keyring delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** Captures what {@code delegate} unwraps. */
  public static CapturingKeyring capturing(Keyring delegate) {
    return new CapturingKeyring(delegate);
  }

  /** A copy of the data key of the last decrypt; empty before the first. */
  public Optional<byte[]> lastDataKey() {
    DecryptionMaterials m = last;
    return m == null ? Optional.empty() : m.plaintextDataKey();
  }

  /** The verification key of the last decrypt; empty before the first or for an unsigned suite. */
  public Optional<PublicKey> lastVerificationKey() {
    DecryptionMaterials m = last;
    return m == null ? Optional.empty() : m.verificationKey();
  }

  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    return delegate.onEncrypt(materials);
  }

  @Override
  public DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    DecryptionMaterials m = delegate.onDecrypt(materials, encryptedDataKeys);
    last = m;
    return m;
  }

  @Override
  public Optional<String> keyIdentity() {
    return delegate.keyIdentity();
  }

  @Override
  public String toString() {
    return "CapturingKeyring(" + delegate + ")";
  }
}
