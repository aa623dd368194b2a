package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.internal.FrozenContext;
import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a message is decrypted with: its algorithm suite, the full authenticated encryption context,
 * the unwrapped data key (once a keyring has found it) and the verification key for signing suites.
 *
 * <p>Immutable and thread-safe; byte arrays are copied in and out.
 */
public final class DecryptionMaterials {
  private final AlgorithmSuite algorithmSuite;
  private final Map<String, String> encryptionContext;
  private final Set<String> requiredEncryptionContextKeys;
  private final byte[] plaintextDataKey;
  private final PublicKey verificationKey;

  private DecryptionMaterials(
      AlgorithmSuite algorithmSuite,
      Map<String, String> encryptionContext,
      Set<String> requiredEncryptionContextKeys,
      byte[] plaintextDataKey,
      PublicKey verificationKey) {
    this.algorithmSuite = algorithmSuite;
    this.encryptionContext = encryptionContext;
    this.requiredEncryptionContextKeys = requiredEncryptionContextKeys;
    this.plaintextDataKey = plaintextDataKey;
    this.verificationKey = verificationKey;
  }

  /**
   * Starts materials with no data key, as a materials manager hands them to a keyring.
   *
   * @param verificationKey the public key from {@code aws-crypto-public-key}; required for signing
   *     suites, {@code null} otherwise
   */
  public static DecryptionMaterials create(
      AlgorithmSuite algorithmSuite,
      Map<String, String> encryptionContext,
      Set<String> requiredEncryptionContextKeys,
      PublicKey verificationKey) {
    Objects.requireNonNull(algorithmSuite, "algorithmSuite");
    MaterialsChecks.checkSigningKey(algorithmSuite, verificationKey, "verificationKey");
    return new DecryptionMaterials(
        algorithmSuite,
        FrozenContext.of(encryptionContext),
        Set.copyOf(requiredEncryptionContextKeys),
        null,
        verificationKey);
  }

  /**
   * Returns these materials with the unwrapped data key.
   *
   * @throws IllegalStateException if a data key is already set
   * @throws IllegalArgumentException if the key length is not the suite's data key length
   */
  public DecryptionMaterials withPlaintextDataKey(byte[] dataKey) {
    MaterialsChecks.checkNewDataKey(
        algorithmSuite,
        plaintextDataKey,
        dataKey,
        "a keyring must return the materials unchanged when hasPlaintextDataKey() is true");
    return new DecryptionMaterials(
        algorithmSuite,
        encryptionContext,
        requiredEncryptionContextKeys,
        dataKey.clone(),
        verificationKey);
  }

  public AlgorithmSuite algorithmSuite() {
    return algorithmSuite;
  }

  /**
   * The full authenticated encryption context: the pairs stored in the message plus the required
   * pairs the caller reproduced. Keyrings bind this to the wrapped key.
   */
  public Map<String, String> encryptionContext() {
    return encryptionContext;
  }

  /** Keys of {@link #encryptionContext()} that were authenticated but not stored in the message. */
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

  public Optional<PublicKey> verificationKey() {
    return Optional.ofNullable(verificationKey);
  }

  /**
   * The suite, the encryption context's keys (never its values, which often identify tenants), the
   * required keys and whether a data key is present (never the key).
   */
  @Override
  public String toString() {
    return "DecryptionMaterials{suite="
        + algorithmSuite
        + ", encryptionContextKeys="
        + new TreeSet<>(encryptionContext.keySet())
        + ", requiredEncryptionContextKeys="
        + new TreeSet<>(requiredEncryptionContextKeys)
        + ", dataKey="
        + (plaintextDataKey == null ? "absent" : "present")
        + "}";
  }
}
