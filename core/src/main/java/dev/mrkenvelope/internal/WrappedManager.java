package dev.mrkenvelope.internal;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DefaultMaterialsManager;
import dev.mrkenvelope.materials.MaterialsManager;

/**
 * The one rule of every builder that takes a keyring or a materials manager (the client and the
 * managers that wrap another): exactly one of them. Not API: this package is not exported.
 */
public final class WrappedManager {
  private WrappedManager() {}

  /**
   * The manager to wrap: {@code materialsManager}, or a {@link DefaultMaterialsManager} over {@code
   * keyring}; exactly one of them must be set.
   *
   * @throws IllegalStateException if neither or both are set
   */
  public static MaterialsManager of(Keyring keyring, MaterialsManager materialsManager) {
    if ((keyring == null) == (materialsManager == null)) {
      throw new IllegalStateException(
          keyring == null
              ? "set a keyring(...) or a materialsManager(...) before build()"
              : "set either keyring(...) or materialsManager(...), not both");
    }
    return materialsManager != null ? materialsManager : DefaultMaterialsManager.create(keyring);
  }
}
