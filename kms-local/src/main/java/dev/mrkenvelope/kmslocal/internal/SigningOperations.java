package dev.mrkenvelope.kmslocal.internal;

import static dev.mrkenvelope.kmslocal.internal.Checks.dryRun;
import static dev.mrkenvelope.kmslocal.internal.Checks.requireUsable;
import static dev.mrkenvelope.kmslocal.internal.Checks.requireUsage;
import static dev.mrkenvelope.kmslocal.internal.Responses.array;
import static dev.mrkenvelope.kmslocal.internal.Responses.object;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Sign, Verify and GetPublicKey for asymmetric SIGN_VERIFY keys; replicas share the key pair. */
final class SigningOperations extends OperationGroup {
  SigningOperations(KmsStore store, Access access) {
    super(store, access);
  }

  /** A checked Sign or Verify request: the key, the algorithm and the digest to sign. */
  private static final class SigningInput {
    final RegionalKey key;
    final SigningAlgorithm algorithm;
    final byte[] digest;

    SigningInput(RegionalKey key, SigningAlgorithm algorithm, byte[] digest) {
      this.key = key;
      this.algorithm = algorithm;
      this.digest = digest;
    }
  }

  private SigningInput signingInput(String region, JsonRequest req, String op) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    byte[] message = req.requiredBlob("Message", 1, 4096);
    String type = req.enumValue("MessageType", "RAW", "RAW", "DIGEST", "EXTERNAL_MU");
    String name = req.requiredString("SigningAlgorithm");
    req.enumValue("SigningAlgorithm", null, SigningAlgorithm.MODEL_VALUES);
    requireUsage(k, "SIGN_VERIFY", op);
    KeySpec spec = k.family.spec;
    SigningAlgorithm algorithm = SigningAlgorithm.find(name);
    if (algorithm == null || !spec.supports(algorithm)) {
      throw KmsError.of(
          "InvalidKeyUsageException",
          "Algorithm "
              + name
              + " is incompatible with key spec "
              + spec
              + "; use one of "
              + spec.signingAlgorithms()
              + ".");
    }
    if (type.equals("EXTERNAL_MU")) {
      throw KmsError.validation(
          "MessageType", "EXTERNAL_MU is valid only for ML_DSA keys; use RAW or DIGEST");
    }
    boolean digest = type.equals("DIGEST");
    if (digest && message.length != algorithm.digestLength) {
      throw KmsError.of(
          "ValidationException", "Digest is invalid length for algorithm " + name + ".");
    }
    access.authorize(k, op, req);
    requireUsable(k);
    dryRun(req);
    return new SigningInput(k, algorithm, digest ? message : algorithm.digest(message));
  }

  ObjectNode sign(String region, JsonRequest req) {
    SigningInput in = signingInput(region, req, "Sign");
    byte[] signature =
        in.algorithm.sign(in.key.family.keyPair().getPrivate(), in.digest, store.random);
    return object()
        .put("KeyId", in.key.arn)
        .put("Signature", signature)
        .put("SigningAlgorithm", in.algorithm.name());
  }

  ObjectNode verify(String region, JsonRequest req) {
    byte[] signature = req.requiredBlob("Signature", 1, 6144);
    SigningInput in = signingInput(region, req, "Verify");
    if (!in.algorithm.verify(in.key.family.keyPair().getPublic(), in.digest, signature)) {
      throw KmsError.of("KMSInvalidSignatureException", null);
    }
    return object()
        .put("KeyId", in.key.arn)
        .put("SignatureValid", true)
        .put("SigningAlgorithm", in.algorithm.name());
  }

  ObjectNode getPublicKey(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    KeySpec spec = k.family.spec;
    if (spec.symmetric()) {
      throw KmsError.unsupported(k.arn + " key spec " + spec + " has no public key.");
    }
    access.authorize(k, "GetPublicKey", req);
    requireUsable(k);
    ObjectNode out =
        object()
            .put("KeyId", k.arn)
            .put("PublicKey", k.family.keyPair().getPublic().getEncoded())
            .put("CustomerMasterKeySpec", spec.name())
            .put("KeySpec", spec.name())
            .put("KeyUsage", spec.usage);
    out.set("SigningAlgorithms", array(spec.signingAlgorithms()));
    return out;
  }
}
