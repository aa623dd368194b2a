package dev.mrkenvelope.kmslocal.internal;

import static dev.mrkenvelope.kmslocal.internal.Checks.dryRun;
import static dev.mrkenvelope.kmslocal.internal.Checks.encryptionAlgorithm;
import static dev.mrkenvelope.kmslocal.internal.Checks.requireSymmetricAlgorithm;
import static dev.mrkenvelope.kmslocal.internal.Checks.requireUsable;
import static dev.mrkenvelope.kmslocal.internal.Checks.requireUsage;
import static dev.mrkenvelope.kmslocal.internal.Responses.object;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;

/**
 * Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext) and GenerateRandom: the data path,
 * which reads volatile key state without the store lock.
 */
final class SymmetricCryptoOperations extends OperationGroup {
  SymmetricCryptoOperations(KmsStore store, Access access) {
    super(store, access);
  }

  ObjectNode encrypt(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    byte[] plaintext = req.requiredBlob("Plaintext", 1, 4096);
    Map<String, String> ec = req.stringMap("EncryptionContext");
    String algorithm = encryptionAlgorithm(req, "EncryptionAlgorithm");
    Sealed sealed = seal(k, "Encrypt", "Encrypt", algorithm, ec, req, plaintext);
    return object()
        .put("CiphertextBlob", sealed.blob)
        .put("KeyId", k.arn)
        .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
  }

  ObjectNode generateDataKey(String region, JsonRequest req, boolean withPlaintext) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    Map<String, String> ec = req.stringMap("EncryptionContext");
    String keySpec = req.enumValue("KeySpec", null, "AES_256", "AES_128");
    Integer bytes = req.integer("NumberOfBytes");
    if ((keySpec == null) == (bytes == null)) {
      throw KmsError.of(
          "ValidationException", "Please specify either number of bytes or key spec.");
    }
    int length =
        bytes != null
            ? req.intInRange("NumberOfBytes", 0, 1, 1024)
            : keySpec.equals("AES_256") ? 32 : 16;
    String op = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
    byte[] dataKey = store.randomBytes(length);
    Sealed sealed = seal(k, op, op, null, ec, req, dataKey);
    ObjectNode out = object().put("CiphertextBlob", sealed.blob);
    if (withPlaintext) {
      out.put("Plaintext", dataKey);
    }
    return out.put("KeyId", k.arn).put("KeyMaterialId", sealed.material.materialId());
  }

  /** A ciphertext blob and the key material version that sealed it. */
  private static final class Sealed {
    final byte[] blob;
    final KeyFamily.Material material;

    Sealed(byte[] blob, KeyFamily.Material material) {
      this.blob = blob;
      this.material = material;
    }
  }

  /**
   * The shared second half of Encrypt, GenerateDataKey and ReEncrypt: check {@code k} for {@code
   * usageOp} and authorize {@code action}, then seal {@code plaintext} under the key's current
   * material.
   */
  private Sealed seal(
      RegionalKey k,
      String usageOp,
      String action,
      String algorithm,
      Map<String, String> ec,
      JsonRequest req,
      byte[] plaintext) {
    requireUsage(k, "ENCRYPT_DECRYPT", usageOp);
    requireSymmetricAlgorithm(k, algorithm);
    access.authorizeWithContext(k, action, ec, req);
    requireUsable(k);
    dryRun(req);
    KeyFamily.Material m = k.family.current();
    return new Sealed(
        CiphertextBlob.encrypt(k.keyId(), m.version(), m.key(), plaintext, ec, store.random), m);
  }

  /** The shared first half of Decrypt and ReEncrypt: find the key, check it, authenticate. */
  private static final class Opened {
    final RegionalKey key;
    final KeyFamily.Material material;
    final byte[] plaintext;

    Opened(RegionalKey key, KeyFamily.Material material, byte[] plaintext) {
      this.key = key;
      this.material = material;
      this.plaintext = plaintext;
    }
  }

  private Opened open(
      String region,
      JsonRequest req,
      byte[] blob,
      Map<String, String> ec,
      String requestedKeyId,
      String algorithm,
      String action,
      boolean dryRun) {
    CiphertextBlob.Parsed parsed = CiphertextBlob.parse(blob);
    RegionalKey k;
    if (requestedKeyId != null) {
      k = store.resolve(region, requestedKeyId, true);
      if (!k.keyId().equals(parsed.keyId())) {
        throw KmsError.of(
            "IncorrectKeyException",
            "The key ID in the request does not identify a CMK that can perform this operation.");
      }
    } else {
      k = store.region(region).keys.get(parsed.keyId());
      if (k == null) {
        throw KmsError.accessDenied(
            "The ciphertext refers to a customer master key that does not exist, does not exist in"
                + " this region, or you are not allowed to access.");
      }
    }
    requireUsage(k, "ENCRYPT_DECRYPT", action);
    requireSymmetricAlgorithm(k, algorithm);
    access.authorizeWithContext(k, action, ec, req);
    requireUsable(k);
    dryRun(dryRun);
    KeyFamily.Material m = k.family.material(parsed.materialVersion());
    if (m == null) {
      throw KmsError.invalidCiphertext();
    }
    return new Opened(k, m, parsed.decrypt(m.key(), ec));
  }

  ObjectNode decrypt(String region, JsonRequest req) {
    byte[] blob = req.requiredBlob("CiphertextBlob", 1, 6144);
    Opened o =
        open(
            region,
            req,
            blob,
            req.stringMap("EncryptionContext"),
            req.string("KeyId"),
            encryptionAlgorithm(req, "EncryptionAlgorithm"),
            "Decrypt",
            req.bool("DryRun"));
    return object()
        .put("KeyId", o.key.arn)
        .put("Plaintext", o.plaintext)
        .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        .put("KeyMaterialId", o.material.materialId());
  }

  ObjectNode reEncrypt(String region, JsonRequest req) {
    byte[] blob = req.requiredBlob("CiphertextBlob", 1, 6144);
    RegionalKey dest = store.resolve(region, req, "DestinationKeyId");
    Map<String, String> destEc = req.stringMap("DestinationEncryptionContext");
    String destAlgorithm = encryptionAlgorithm(req, "DestinationEncryptionAlgorithm");
    Opened o =
        open(
            region,
            req,
            blob,
            req.stringMap("SourceEncryptionContext"),
            req.string("SourceKeyId"),
            encryptionAlgorithm(req, "SourceEncryptionAlgorithm"),
            "ReEncryptFrom",
            false);
    Sealed sealed;
    try {
      sealed = seal(dest, "ReEncrypt", "ReEncryptTo", destAlgorithm, destEc, req, o.plaintext);
    } finally {
      Arrays.fill(o.plaintext, (byte) 0);
    }
    return object()
        .put("CiphertextBlob", sealed.blob)
        .put("SourceKeyId", o.key.arn)
        .put("KeyId", dest.arn)
        .put("SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        .put("DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        .put("SourceKeyMaterialId", o.material.materialId())
        .put("DestinationKeyMaterialId", sealed.material.materialId());
  }

  ObjectNode generateRandom(JsonRequest req) {
    if (req.has("CustomKeyStoreId") || req.has("Recipient")) {
      throw KmsError.unsupported(
          "GenerateRandom with CustomKeyStoreId or Recipient is not supported by kms-local; omit them.");
    }
    if (!req.has("NumberOfBytes")) {
      throw KmsError.missing("NumberOfBytes");
    }
    return object()
        .put("Plaintext", store.randomBytes(req.intInRange("NumberOfBytes", 0, 1, 1024)));
  }
}
