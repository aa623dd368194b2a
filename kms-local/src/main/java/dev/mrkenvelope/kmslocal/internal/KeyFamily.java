package dev.mrkenvelope.kmslocal.internal;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * What a key shares with all its multi-Region relatives: key id, spec, usage, key material (every
 * version, so rotation on the primary reaches each replica at once) and the rotation settings. A
 * single-Region key is a family of one.
 *
 * <p>Thread safety: {@link #materials()} is a volatile, immutable list read lock-free on the data
 * path; {@link #keyPair()} is created once under the family's own monitor; every other mutable
 * field is read and written only while holding the store lock.
 */
final class KeyFamily {
  /** One version of symmetric key material and the opaque id KMS reports for it. */
  static final class Material {
    private final int version;
    private final SecretKey key;
    private final String materialId;
    private final Instant created = Instant.now();
    private final boolean onDemand;

    Material(int version, SecretKey key, String materialId, boolean onDemand) {
      this.version = version;
      this.key = key;
      this.materialId = materialId;
      this.onDemand = onDemand;
    }

    /** When this version was made: the key's creation, or the rotation that added it. */
    Instant created() {
      return created;
    }

    /** True for a version added by RotateKeyOnDemand (automatic rotations never come due here). */
    boolean onDemand() {
      return onDemand;
    }

    public int version() {
      return version;
    }

    public SecretKey key() {
      return key;
    }

    public String materialId() {
      return materialId;
    }
  }

  final String keyId;
  final KeySpec spec;
  final boolean multiRegion;
  private volatile KeyPair keyPair;
  private volatile List<Material> materials;

  // Volatile because RegionalKey.isPrimary() reads it without the lock; written under it.
  volatile String primaryRegion;

  // Guarded by the store lock.
  final Set<String> regions = new LinkedHashSet<>();
  boolean rotationEnabled;
  int rotationPeriodDays = 365;
  Instant nextRotation;
  int onDemandRotations;

  KeyFamily(String keyId, KeySpec spec, boolean multiRegion, Material first, String primaryRegion) {
    this.keyId = keyId;
    this.spec = spec;
    this.multiRegion = multiRegion;
    this.materials = first == null ? List.of() : List.of(first);
    this.primaryRegion = primaryRegion;
    regions.add(primaryRegion);
  }

  public List<Material> materials() {
    return materials;
  }

  /**
   * The key pair of an asymmetric key, shared by every replica. Generated on first use rather than
   * at CreateKey, since an RSA-4096 pair takes up to seconds and most test keys are never used.
   */
  KeyPair keyPair() {
    KeyPair k = keyPair;
    if (k == null) {
      synchronized (this) {
        k = keyPair;
        if (k == null) {
          k = spec.newKeyPair(new SecureRandom());
          keyPair = k;
        }
      }
    }
    return k;
  }

  /** The newest material; symmetric keys only. */
  Material current() {
    List<Material> m = materials;
    return m.get(m.size() - 1);
  }

  /** The material of one version, or null when the blob names a version this key never had. */
  Material material(int version) {
    List<Material> m = materials;
    return version < m.size() ? m.get(version) : null;
  }

  /** Appends a new version; caller holds the store lock. */
  void addMaterial(Material next) {
    List<Material> copy = new ArrayList<>(materials);
    copy.add(next);
    materials = Collections.unmodifiableList(copy);
  }
}
