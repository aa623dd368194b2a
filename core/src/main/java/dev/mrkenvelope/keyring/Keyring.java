package dev.mrkenvelope.keyring;

import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.util.List;
import java.util.Optional;

/**
 * Wraps and unwraps data keys. The service-provider interface behind {@link RawAesKeyring}, {@link
 * RawRsaKeyring}, {@link MultiKeyring} and the AWS KMS keyrings of {@code mrk-envelope-aws}.
 *
 * <p>Implementations must be thread-safe and must write, for interoperability, exactly what the AWS
 * Encryption SDK's keyring of the same kind writes into the encrypted data key.
 */
public interface Keyring {

  /**
   * Generates a data key if {@code materials} has none, then adds an encrypted data key wrapping
   * it.
   *
   * @return new materials with the data key and one more EDK
   * @throws dev.mrkenvelope.EnvelopeException if the key cannot be generated or wrapped
   */
  EncryptionMaterials onEncrypt(EncryptionMaterials materials);

  /**
   * Unwraps the first of {@code encryptedDataKeys} this keyring can, unless {@code materials}
   * already has a data key (then it is returned unchanged).
   *
   * @return new materials with the data key
   * @throws dev.mrkenvelope.NoDecryptableKeyException if no EDK could be unwrapped; each attempt is
   *     attached as a suppressed {@link dev.mrkenvelope.DataKeyUnwrapException}
   */
  DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys);

  /**
   * An identity for the wrapping key behind this keyring, when two keyrings can stand for the same
   * key: for example two KMS keyrings configured with replicas of one multi-Region key, which reach
   * the same key material through the same router. {@link MultiKeyring} refuses two children (or a
   * child and the generator) with equal identities, because the second adds no redundancy.
   *
   * @return empty (the default) when this keyring cannot be a duplicate of another
   */
  default Optional<String> keyIdentity() {
    return Optional.empty();
  }
}
