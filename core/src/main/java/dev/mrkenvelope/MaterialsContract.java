package dev.mrkenvelope;

import dev.mrkenvelope.internal.EncryptionContexts;
import dev.mrkenvelope.internal.FrozenContext;
import dev.mrkenvelope.internal.Untrusted;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.DecryptionMaterialsRequest;
import dev.mrkenvelope.materials.EncryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterialsRequest;
import dev.mrkenvelope.materials.MaterialsManager;
import java.util.Map;
import java.util.Objects;

/**
 * How a client gets its materials: it asks its materials manager, then checks the answer against
 * the contract a materials manager must meet before the client uses it. A materials manager is a
 * plug-in (the caller's, or a cache in front of a keyring), so the client checks what it returns
 * rather than trusting it: the configured suite, a data key with at least one encrypted copy, the
 * EDK limit, and, on decrypt, exactly the authenticated encryption context.
 */
final class MaterialsContract {
  private final MaterialsManager manager;
  private final AlgorithmSuite suite;
  private final CommitmentPolicy policy;
  private final int maxEncryptedDataKeys;

  MaterialsContract(
      MaterialsManager manager,
      AlgorithmSuite suite,
      CommitmentPolicy policy,
      int maxEncryptedDataKeys) {
    this.manager = manager;
    this.suite = suite;
    this.policy = policy;
    this.maxEncryptedDataKeys = maxEncryptedDataKeys;
  }

  /** Materials to encrypt {@code length} bytes (-1: unknown) bound to {@code encryptionContext}. */
  EncryptionMaterials forEncrypt(Map<String, String> encryptionContext, long length) {
    Objects.requireNonNull(encryptionContext, "encryptionContext");
    // Check the copy the message will carry, not the caller's map, which may still change.
    Map<String, String> frozen = FrozenContext.of(encryptionContext);
    EncryptionContexts.validateForEncrypt(frozen);
    EncryptionMaterials m =
        manager.getEncryptionMaterials(
            EncryptionMaterialsRequest.builder()
                .encryptionContext(frozen)
                .algorithmSuite(suite)
                .commitmentPolicy(policy)
                .plaintextLength(length)
                .build());
    return checkEncryption(m, suite, policy, maxEncryptedDataKeys);
  }

  /** Materials to decrypt the message whose header is {@code h}. */
  DecryptionMaterials forDecrypt(MessageHeader h, Map<String, String> reproducedContext) {
    DecryptionMaterials m =
        manager.decryptMaterials(
            DecryptionMaterialsRequest.builder()
                .algorithmSuite(h.suite)
                .encryptedDataKeys(h.encryptedDataKeys)
                .encryptionContext(h.storedContext)
                .reproducedEncryptionContext(reproducedContext)
                .commitmentPolicy(policy)
                .build());
    return checkDecryption(m, h, reproducedContext);
  }

  /**
   * Returns {@code m} if it may encrypt a message with {@code suite} under {@code policy} and at
   * most {@code maxEdks} encrypted data keys.
   */
  private static EncryptionMaterials checkEncryption(
      EncryptionMaterials m, AlgorithmSuite suite, CommitmentPolicy policy, int maxEdks) {
    if (m.algorithmSuite() != suite) {
      throw new PolicyException(
          "the materials manager returned suite "
              + m.algorithmSuite()
              + " but the client is"
              + " configured for "
              + suite
              + "; fix the materials manager");
    }
    if (!policy.allowsEncrypt(m.algorithmSuite())) {
      throw new PolicyException(
          "commitment policy " + policy + " does not allow encrypting with " + m.algorithmSuite());
    }
    int edks = m.encryptedDataKeys().size();
    if (edks == 0 || !m.hasPlaintextDataKey()) {
      throw new EnvelopeException(
          "the materials manager returned no data key or no encrypted data key");
    }
    if (edks > maxEdks) {
      throw new LimitExceededException(
          MessageLimit.ENCRYPTED_DATA_KEYS,
          maxEdks,
          "the keyring produced "
              + edks
              + " encrypted data keys, more than maxEncryptedDataKeys("
              + maxEdks
              + "); raise the limit or use fewer keyrings");
    }
    if (edks > 0xFFFF) {
      throw new PolicyException("the message format allows at most 65535 encrypted data keys");
    }
    return m;
  }

  /**
   * Returns {@code m} if it decrypts the message whose header is {@code h}, with the context that
   * header and {@code reproducedContext} authenticate.
   */
  private static DecryptionMaterials checkDecryption(
      DecryptionMaterials m, MessageHeader h, Map<String, String> reproducedContext) {
    if (m.algorithmSuite() != h.suite || !m.hasPlaintextDataKey()) {
      throw new EnvelopeException(
          "the materials manager returned materials for another suite or without a data key");
    }
    checkContext(h.storedContext, reproducedContext, m);
    return m;
  }

  /**
   * The context a caller gets back must be exactly what was authenticated: the pairs stored in the
   * header (covered by its raw bytes) and the required pairs (appended to the header tag's AAD). A
   * materials manager is a plug-in, so check it rather than trust it.
   */
  private static void checkContext(
      Map<String, String> stored, Map<String, String> reproduced, DecryptionMaterials m) {
    Map<String, String> ec = m.encryptionContext();
    if (ec == stored && reproduced.isEmpty()) {
      return; // the header's own context handed back: every check below compares it with itself
    }
    for (Map.Entry<String, String> e : stored.entrySet()) {
      if (!e.getValue().equals(ec.get(e.getKey()))) {
        throw new EnvelopeException(
            "the materials manager changed the message's encryption context (key '"
                + Untrusted.text(e.getKey())
                + "'); a materials manager must keep every stored pair");
      }
    }
    for (String key : ec.keySet()) {
      if (!stored.containsKey(key) && !m.requiredEncryptionContextKeys().contains(key)) {
        throw new EnvelopeException(
            "the materials manager added encryption context key '"
                + Untrusted.text(key)
                + "' without marking it"
                + " required, so it would not be authenticated");
      }
    }
    for (Map.Entry<String, String> e : reproduced.entrySet()) {
      if (!e.getValue().equals(ec.get(e.getKey()))) {
        throw new DecryptionFailedException(
            "Decryption failed: the reproduced encryption context does not match the message's"
                + " for key '"
                + Untrusted.text(e.getKey())
                + "'");
      }
    }
  }
}
