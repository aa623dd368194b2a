package dev.mrkenvelope.materials;

import dev.mrkenvelope.keyring.Keyring;

/** The one rule of the builders of managers that wrap a keyring or another manager. */
final class WrappedManager {
  private WrappedManager() {}

  /**
   * The manager to wrap: {@code materialsManager}, or a {@link DefaultMaterialsManager} over {@code
   * keyring}; exactly one of them must be set.
   *
   * @throws IllegalStateException if neither or both are set
   */
  static MaterialsManager of(Keyring keyring, MaterialsManager materialsManager) {
    if ((keyring == null) == (materialsManager == null)) {
      throw new IllegalStateException(
          keyring == null
              ? "set a keyring(...) or a materialsManager(...) before build()"
              : "set either keyring(...) or materialsManager(...), not both");
    }
    return materialsManager != null ? materialsManager : DefaultMaterialsManager.create(keyring);
  }
}
