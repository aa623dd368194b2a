package dev.mrkenvelope;

import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.DecryptionMaterialsRequest;
import dev.mrkenvelope.materials.EncryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterialsRequest;
import dev.mrkenvelope.materials.MaterialsManager;
import java.util.Arrays;
import java.util.Set;

/**
 * Marks some encryption-context keys as required (authenticated, not stored) on the materials
 * another manager returns; {@link Reencrypter}'s encrypting side for {@code requiredContextKeys}.
 * The wrapped manager and its keyring saw the full context, as they would under the ESDK's
 * required-context manager, so the data keys are wrapped exactly as for a plain message.
 */
final class RequiredContextMaterialsManager implements MaterialsManager {
  private final MaterialsManager delegate;
  private final Set<String> requiredKeys;

  RequiredContextMaterialsManager(MaterialsManager delegate, Set<String> requiredKeys) {
    this.delegate = delegate;
    this.requiredKeys = requiredKeys;
  }

  @Override
  public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest request) {
    EncryptionMaterials m = delegate.getEncryptionMaterials(request);
    EncryptionMaterials marked =
        EncryptionMaterials.create(
            m.algorithmSuite(), m.encryptionContext(), requiredKeys, m.signingKey().orElse(null));
    byte[] dataKey =
        m.plaintextDataKey()
            .orElseThrow(() -> new EnvelopeException("the materials manager returned no data key"));
    try {
      marked = marked.withPlaintextDataKey(dataKey);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
    for (EncryptedDataKey edk : m.encryptedDataKeys()) {
      marked = marked.withEncryptedDataKey(edk);
    }
    return marked;
  }

  @Override
  public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest request) {
    return delegate.decryptMaterials(request);
  }
}
