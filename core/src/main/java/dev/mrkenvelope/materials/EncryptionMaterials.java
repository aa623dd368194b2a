package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.internal.FrozenContext;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a message is encrypted with: the algorithm suite, the full encryption context, the plaintext
 * data key, its wrapped copies, and the signing key for signing suites.
 *
 * <p>Immutable and thread-safe. Keyrings return a new instance from {@link
 * #withPlaintextDataKey(byte[])} and {@link #withEncryptedDataKey(EncryptedDataKey)}; byte arrays
 * are copied in and out.
 */
public final class EncryptionMaterials {
  private final AlgorithmSuite algorithmSuite;
  private final Map<String, String> encryptionContext;
  private final Set<String> requiredEncryptionContextKeys;
  private final byte[] plaintextDataKey;
  private final List<EncryptedDataKey> encryptedDataKeys;
  private final PrivateKey signingKey;

  private EncryptionMaterials(
      AlgorithmSuite algorithmSuite,
      Map<String, String> encryptionContext,
      Set<String> requiredEncryptionContextKeys,
      byte[] plaintextDataKey,
      List<EncryptedDataKey> encryptedDataKeys,
      PrivateKey signingKey) {
    this.algorithmSuite = algorithmSuite;
    this.encryptionContext = encryptionContext;
    this.requiredEncryptionContextKeys = requiredEncryptionContextKeys;
    this.plaintextDataKey = plaintextDataKey;
    this.encryptedDataKeys = encryptedDataKeys;
    this.signingKey = signingKey;
  }

  /**
   * Starts materials with no data key and no EDKs, as a materials manager hands them to a keyring.
   *
   * @param signingKey the private signing key; required for signing suites, {@code null} otherwise
   */
  public static EncryptionMaterials create(
      AlgorithmSuite algorithmSuite,
      Map<String, String> encryptionContext,
      Set<String> requiredEncryptionContextKeys,
      PrivateKey signingKey) {
    Objects.requireNonNull(algorithmSuite, "algorithmSuite");
    MaterialsChecks.checkSigningKey(algorithmSuite, signingKey, "signingKey");
    Map<String, String> ec = FrozenContext.of(encryptionContext);
    Set<String> required = Set.copyOf(requiredEncryptionContextKeys);
    if (!ec.keySet().containsAll(required)) {
      throw new IllegalArgumentException(
          "every required encryption context key must be in the encryption context: " + required);
    }
    return new EncryptionMaterials(algorithmSuite, ec, required, null, List.of(), signingKey);
  }

  /**
   * Returns these materials with a plaintext data key. Only the first keyring (the generator) sets
   * it.
   *
   * @throws IllegalStateException if a data key is already set
   * @throws IllegalArgumentException if the key length is not the suite's data key length
   * @throws IllegalStateException if the key is all zeros (something zeroed it before this copy)
   */
  public EncryptionMaterials withPlaintextDataKey(byte[] dataKey) {
    MaterialsChecks.checkNewDataKey(
        algorithmSuite,
        plaintextDataKey,
        dataKey,
        "a keyring may only generate one when hasPlaintextDataKey() is false");
    byte[] copy = dataKey.clone();
    MaterialsChecks.checkNotAllZeros(copy); // the copy: what is checked is what is used
    return new EncryptionMaterials(
        algorithmSuite,
        encryptionContext,
        requiredEncryptionContextKeys,
        copy,
        encryptedDataKeys,
        signingKey);
  }

  /** Returns these materials with one more encrypted data key. */
  public EncryptionMaterials withEncryptedDataKey(EncryptedDataKey edk) {
    Objects.requireNonNull(edk, "edk");
    EncryptedDataKey[] more =
        encryptedDataKeys.toArray(new EncryptedDataKey[encryptedDataKeys.size() + 1]);
    more[more.length - 1] = edk;
    List<EncryptedDataKey> edks = List.of(more);
    return new EncryptionMaterials(
        algorithmSuite,
        encryptionContext,
        requiredEncryptionContextKeys,
        plaintextDataKey,
        edks,
        signingKey);
  }

  public AlgorithmSuite algorithmSuite() {
    return algorithmSuite;
  }

  /**
   * The full encryption context: the caller's pairs, {@code aws-crypto-public-key} for signing
   * suites, and the required pairs. Keyrings bind this to the wrapped key.
   */
  public Map<String, String> encryptionContext() {
    return encryptionContext;
  }

  /** Keys of {@link #encryptionContext()} that are authenticated but not stored in the message. */
  public Set<String> requiredEncryptionContextKeys() {
    return requiredEncryptionContextKeys;
  }

  public boolean hasPlaintextDataKey() {
    return plaintextDataKey != null;
  }

  /** A copy of the plaintext data key. The caller should zero it after use. */
  public Optional<byte[]> plaintextDataKey() {
    return plaintextDataKey == null ? Optional.empty() : Optional.of(plaintextDataKey.clone());
  }

  public List<EncryptedDataKey> encryptedDataKeys() {
    return encryptedDataKeys;
  }

  public Optional<PrivateKey> signingKey() {
    return Optional.ofNullable(signingKey);
  }

  /**
   * The suite, the encryption context's keys (never its values, which often identify tenants), the
   * required keys, the number of EDKs and whether a data key is present (never the key).
   */
  @Override
  public String toString() {
    return "EncryptionMaterials{suite="
        + algorithmSuite
        + ", encryptionContextKeys="
        + new TreeSet<>(encryptionContext.keySet())
        + ", requiredEncryptionContextKeys="
        + new TreeSet<>(requiredEncryptionContextKeys)
        + ", edks="
        + encryptedDataKeys.size()
        + ", dataKey="
        + (plaintextDataKey == null ? "absent" : "present")
        + "}";
  }
}
