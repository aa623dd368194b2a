package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.DecryptionFailedException;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.PolicyException;
import dev.mrkenvelope.internal.Ecdsa;
import dev.mrkenvelope.keyring.Keyring;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The materials manager every client uses unless told otherwise: it asks one keyring for a data
 * key, adds a fresh ECDSA key pair for signing suites (its public key goes into the encryption
 * context as {@code aws-crypto-public-key}), and on decrypt merges the caller's reproduced
 * encryption context as the ESDK does.
 *
 * <p>The request's encryption context must not contain {@code aws-crypto-public-key}, whatever the
 * suite. Required encryption context keys of the request are kept in the materials (so they are
 * authenticated but not stored).
 *
 * <p>Reproduced context: a pair present both in the message and in the reproduced context must have
 * equal values; a pair only in the reproduced context is a required pair, authenticated by the
 * header tag but not stored in the message.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * MaterialsManager cmm = DefaultMaterialsManager.create(keyring);
 * EnvelopeClient client = EnvelopeClient.builder().materialsManager(cmm).build();
 * }</pre>
 */
public final class DefaultMaterialsManager implements MaterialsManager {
  private final Keyring keyring;

  private DefaultMaterialsManager(Keyring keyring) {
    this.keyring = Objects.requireNonNull(keyring, "keyring");
  }

  /** A manager over {@code keyring}. */
  public static DefaultMaterialsManager create(Keyring keyring) {
    return new DefaultMaterialsManager(keyring);
  }

  /** The keyring this manager asks for data keys. */
  public Keyring keyring() {
    return keyring;
  }

  @Override
  public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest request) {
    CommitmentPolicy policy = request.commitmentPolicy();
    AlgorithmSuite suite = request.algorithmSuite().orElse(policy.defaultSuite());
    if (!policy.allowsEncrypt(suite)) {
      throw new PolicyException(
          "commitment policy " + policy + " does not allow encrypting with " + suite);
    }
    Map<String, String> ec = request.encryptionContext();
    // For every suite, not only signing ones: a caller-chosen value under this key would be read
    // back as a verification key (or make an unsigned message look malformed).
    if (ec.containsKey(Ecdsa.PUBLIC_KEY_FIELD)) {
      throw new IllegalArgumentException(
          "the encryption context must not contain '"
              + Ecdsa.PUBLIC_KEY_FIELD
              + "': the key is"
              + " reserved for the signing suites' public key; remove it from the context");
    }
    KeyPair signingPair = null;
    if (suite.isSigning()) {
      Ecdsa ecdsa = Ecdsa.forSuite(suite);
      signingPair = ecdsa.generateKeyPair();
      Map<String, String> withKey = new LinkedHashMap<>(ec);
      withKey.put(Ecdsa.PUBLIC_KEY_FIELD, ecdsa.encodePublicKey(signingPair.getPublic()));
      ec = withKey;
    }
    EncryptionMaterials start =
        EncryptionMaterials.create(
            suite,
            ec,
            request.requiredEncryptionContextKeys(),
            signingPair == null ? null : signingPair.getPrivate());
    EncryptionMaterials result = keyring.onEncrypt(start);
    if (result == null
        || !result.hasPlaintextDataKey()
        || result.encryptedDataKeys().isEmpty()
        || result.algorithmSuite() != suite) {
      throw new EnvelopeException(
          "keyring "
              + keyring.getClass().getName()
              + " returned materials without a data key or an encrypted data key; a keyring's"
              + " onEncrypt must generate or keep the data key and add at least one EDK");
    }
    return result;
  }

  @Override
  public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest request) {
    AlgorithmSuite suite = request.algorithmSuite();
    MaterialsChecks.checkDecryptAllowed(request);
    Map<String, String> stored = request.encryptionContext();
    Map<String, String> reproduced = request.reproducedEncryptionContext();
    Map<String, String> ec = reproduced.isEmpty() ? stored : new LinkedHashMap<>(stored);
    Set<String> required = reproduced.isEmpty() ? Set.of() : new HashSet<>();
    for (Map.Entry<String, String> e : reproduced.entrySet()) {
      String inMessage = stored.get(e.getKey());
      if (inMessage == null) {
        ec.put(e.getKey(), e.getValue());
        required.add(e.getKey());
      } else if (!inMessage.equals(e.getValue())) {
        throw new DecryptionFailedException(
            "Decryption failed: the reproduced encryption context does not match the message's"
                + " for key '"
                + e.getKey()
                + "'");
      }
    }
    PublicKey verificationKey = null;
    String encodedKey = stored.get(Ecdsa.PUBLIC_KEY_FIELD);
    if (suite.isSigning()) {
      if (encodedKey == null) {
        throw new DecryptionFailedException(
            "Decryption failed: a signed message lacks its verification key");
      }
      verificationKey = Ecdsa.forSuite(suite).decodePublicKeyOrNull(encodedKey);
      if (verificationKey == null) {
        throw new DecryptionFailedException(
            "Decryption failed: the message's verification key is not a valid point");
      }
    } else if (encodedKey != null) {
      throw new DecryptionFailedException(
          "Decryption failed: an unsigned message carries a verification key");
    }
    DecryptionMaterials start = DecryptionMaterials.create(suite, ec, required, verificationKey);
    DecryptionMaterials result = keyring.onDecrypt(start, request.encryptedDataKeys());
    if (result == null || !result.hasPlaintextDataKey()) {
      throw new EnvelopeException(
          "keyring "
              + keyring.getClass().getName()
              + " returned without a data key; onDecrypt must throw NoDecryptableKeyException"
              + " when it cannot unwrap any EDK");
    }
    return result;
  }
}
