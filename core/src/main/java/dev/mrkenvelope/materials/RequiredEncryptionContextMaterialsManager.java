package dev.mrkenvelope.materials;

import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.PolicyException;
import dev.mrkenvelope.internal.EncryptionContexts;
import dev.mrkenvelope.internal.WrappedManager;
import dev.mrkenvelope.keyring.Keyring;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A materials manager that requires some encryption context keys on every message, and keeps their
 * pairs out of the message: they are authenticated (bound to the header and, through the keyring,
 * to the wrapped data key) but not stored, so a reader must supply them again. It is the ESDK's
 * Required Encryption Context CMM, and writes the same bytes.
 *
 * <pre>{@code
 * MaterialsManager cmm = RequiredEncryptionContextMaterialsManager.builder()
 *     .keyring(keyring)                              // or .materialsManager(other)
 *     .requiredEncryptionContextKeys(Set.of("tenant"))
 *     .build();
 * EnvelopeClient client = EnvelopeClient.builder().materialsManager(cmm).build();
 * byte[] ct = client.encrypt(data, Map.of("tenant", "acme", "purpose", "invoice")).ciphertext();
 * // The message stores only "purpose"; "tenant" must be reproduced:
 * byte[] pt = client.decrypt(ct, Map.of("tenant", "acme")).plaintext();
 * }</pre>
 *
 * <ul>
 *   <li>Encrypt: the request's encryption context must contain every required key, or the call
 *       fails with a {@link PolicyException}; the wrapped manager is asked for materials that mark
 *       the keys required, and must return them so marked.
 *   <li>Decrypt: the reproduced encryption context must contain every required key, or the call
 *       fails with a {@link PolicyException} before any key is unwrapped; the request goes to the
 *       wrapped manager unchanged, and the materials it returns must hold every required key in
 *       their encryption context (so the pairs were authenticated). A wrong value fails the
 *       decryption: the header tag and the wrapped key do not authenticate.
 * </ul>
 *
 * <p>Works over any manager, for example a {@link CachingMaterialsManager} (whose entries are
 * scoped by the required keys). Error messages name keys, never values. Immutable and thread-safe
 * if the wrapped manager is.
 */
public final class RequiredEncryptionContextMaterialsManager implements MaterialsManager {
  private final MaterialsManager delegate;
  private final Set<String> requiredKeys;

  private RequiredEncryptionContextMaterialsManager(MaterialsManager delegate, Set<String> keys) {
    this.delegate = delegate;
    this.requiredKeys = keys;
  }

  /** Starts configuring a manager. */
  public static Builder builder() {
    return new Builder();
  }

  /** The keys every message must carry, authenticated but not stored. */
  public Set<String> requiredEncryptionContextKeys() {
    return requiredKeys;
  }

  /**
   * Asks the wrapped manager for materials that mark the required keys required.
   *
   * @throws PolicyException if the request's encryption context lacks a required key
   * @throws EnvelopeException if the wrapped manager returns materials without a required key
   */
  @Override
  public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest request) {
    Set<String> missing = missing(request.encryptionContext().keySet());
    if (!missing.isEmpty()) {
      throw new PolicyException(
          "the encryption context lacks the required key(s) "
              + missing
              + "; this materials"
              + " manager requires "
              + sorted(requiredKeys)
              + " in every encrypt: add them to the"
              + " context passed to encrypt");
    }
    Set<String> required = new HashSet<>(request.requiredEncryptionContextKeys());
    required.addAll(requiredKeys);
    EncryptionMaterialsRequest.Builder upstream =
        EncryptionMaterialsRequest.builder()
            .encryptionContext(request.encryptionContext())
            .requiredEncryptionContextKeys(required)
            .commitmentPolicy(request.commitmentPolicy());
    request.algorithmSuite().ifPresent(upstream::algorithmSuite);
    request.plaintextLength().ifPresent(upstream::plaintextLength);
    EncryptionMaterials m = delegate.getEncryptionMaterials(upstream.build());
    if (m == null || !m.requiredEncryptionContextKeys().containsAll(requiredKeys)) {
      throw new EnvelopeException(
          "the wrapped materials manager "
              + delegate.getClass().getName()
              + " returned materials"
              + " that do not mark "
              + sorted(requiredKeys)
              + " as required encryption context keys;"
              + " it must keep the request's requiredEncryptionContextKeys()");
    }
    return m;
  }

  /**
   * Passes the request on unchanged once the reproduced context holds every required key.
   *
   * @throws PolicyException if the reproduced encryption context lacks a required key
   * @throws EnvelopeException if the wrapped manager returns materials without a required pair
   */
  @Override
  public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest request) {
    Set<String> missing = missing(request.reproducedEncryptionContext().keySet());
    if (!missing.isEmpty()) {
      throw new PolicyException(
          "the reproduced encryption context lacks the required key(s) "
              + missing
              + "; messages"
              + " of this materials manager authenticate "
              + sorted(requiredKeys)
              + " without"
              + " storing them: pass them to decrypt(ciphertext, reproducedContext) or"
              + " DecryptOptions.withReproducedContext(...)");
    }
    DecryptionMaterials m = delegate.decryptMaterials(request);
    if (m == null || !m.encryptionContext().keySet().containsAll(requiredKeys)) {
      throw new EnvelopeException(
          "the wrapped materials manager "
              + delegate.getClass().getName()
              + " returned materials"
              + " whose encryption context lacks "
              + sorted(requiredKeys)
              + ", so they were not"
              + " authenticated; it must keep the reproduced pairs");
    }
    return m;
  }

  private Set<String> missing(Set<String> present) {
    Set<String> missing = new TreeSet<>(requiredKeys);
    missing.removeAll(present);
    return missing;
  }

  private static Set<String> sorted(Set<String> keys) {
    return new TreeSet<>(keys);
  }

  @Override
  public String toString() {
    return "RequiredEncryptionContextMaterialsManager{requiredKeys="
        + sorted(requiredKeys)
        + ", delegate="
        + delegate
        + "}";
  }

  /**
   * Configures a {@link RequiredEncryptionContextMaterialsManager}. Not thread-safe. Setters reject
   * bad values with {@link IllegalArgumentException}; {@link #build()} rejects missing or
   * conflicting settings with {@link IllegalStateException}.
   */
  public static final class Builder {
    private Keyring keyring;
    private MaterialsManager materialsManager;
    private Set<String> requiredKeys;

    private Builder() {}

    /** The keyring to use, through a {@link DefaultMaterialsManager}. */
    public Builder keyring(Keyring keyring) {
      this.keyring = Objects.requireNonNull(keyring, "keyring");
      return this;
    }

    /** The materials manager to wrap, instead of a keyring. */
    public Builder materialsManager(MaterialsManager materialsManager) {
      this.materialsManager = Objects.requireNonNull(materialsManager, "materialsManager");
      return this;
    }

    /**
     * Required: the encryption context keys every message must carry and every decrypt must
     * reproduce. Not empty; no key may start with {@code aws-crypto-} (reserved). Copied.
     */
    public Builder requiredEncryptionContextKeys(Set<String> keys) {
      Objects.requireNonNull(keys, "requiredEncryptionContextKeys");
      if (keys.isEmpty()) {
        throw new IllegalArgumentException(
            "requiredEncryptionContextKeys must not be empty; with no required keys use the"
                + " wrapped keyring or materials manager directly");
      }
      for (String k : keys) {
        Objects.requireNonNull(k, "required encryption context key");
        if (k.isEmpty() || k.startsWith(EncryptionContexts.RESERVED_PREFIX)) {
          throw new IllegalArgumentException(
              "required encryption context key '"
                  + k
                  + "' is not allowed: keys must be non-empty"
                  + " and must not start with '"
                  + EncryptionContexts.RESERVED_PREFIX
                  + "'");
        }
      }
      this.requiredKeys = Set.copyOf(keys);
      return this;
    }

    /**
     * Builds the manager.
     *
     * @throws IllegalStateException if neither or both of keyring and materials manager are set, or
     *     no required keys are set
     */
    public RequiredEncryptionContextMaterialsManager build() {
      MaterialsManager delegate = WrappedManager.of(keyring, materialsManager);
      if (requiredKeys == null) {
        throw new IllegalStateException(
            "requiredEncryptionContextKeys is required: set"
                + " requiredEncryptionContextKeys(Set.of(...))");
      }
      return new RequiredEncryptionContextMaterialsManager(delegate, requiredKeys);
    }
  }
}
