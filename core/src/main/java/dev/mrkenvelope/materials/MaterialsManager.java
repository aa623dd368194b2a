package dev.mrkenvelope.materials;

/**
 * Supplies the materials {@link dev.mrkenvelope.EnvelopeClient} encrypts and decrypts with. The
 * usual implementation is {@link DefaultMaterialsManager} over a keyring; {@link
 * CachingMaterialsManager} reuses data keys within limits.
 *
 * <p>Implementations must be thread-safe: one manager serves every thread of a client.
 */
public interface MaterialsManager {

  /**
   * Returns materials with a plaintext data key and at least one encrypted data key.
   *
   * @throws dev.mrkenvelope.EnvelopeException if no materials can be produced
   */
  EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest request);

  /**
   * Returns materials with the unwrapped data key.
   *
   * @throws dev.mrkenvelope.NoDecryptableKeyException if no encrypted data key can be unwrapped
   */
  DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest request);
}
