package dev.mrkenvelope.aws;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import software.amazon.awssdk.services.kms.model.SignResponse;

/**
 * Verifies signatures with a signing key's cached public key (JCA, no KMS request), and checks what
 * KMS {@code Sign} answered before {@link MrkSigner} returns it. Immutable.
 */
final class LocalVerifier {
  private final SignatureScheme scheme;
  private final SigningKeyType type;
  private final SigningPublicKey fetched;
  private final PublicKey publicKey;

  LocalVerifier(
      SignatureScheme scheme, SigningKeyType type, SigningPublicKey fetched, PublicKey publicKey) {
    this.scheme = scheme;
    this.type = type;
    this.fetched = fetched;
    this.publicKey = publicKey;
  }

  /** Whether {@code signature} is valid over {@code message}; a malformed one is invalid. */
  boolean verify(byte[] message, byte[] signature) {
    if (signature.length == 0 || signature.length > type.maxSignatureLength()) {
      return false;
    }
    try {
      Signature s = scheme.verifier(publicKey);
      s.update(message);
      return s.verify(signature);
    } catch (SignatureException e) {
      return false; // a malformed signature is an invalid one
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "this JVM cannot verify " + scheme.spec + " signatures: " + e.getMessage(), e);
    }
  }

  /**
   * The signature in a {@code Sign} answer, once its key, algorithm and length are as requested
   * and, when the message is known, it verifies.
   *
   * @param originalMessage the message signed, or null for a caller's digest
   * @throws RejectedResponseException if the answer is not what was asked for
   */
  byte[] checkedSignature(SignResponse r, String arn, byte[] originalMessage) {
    SigningPublicKey.checkKeyId("Sign", r.keyId(), arn);
    if (r.signingAlgorithm() != scheme.spec) {
      throw new RejectedResponseException(
          "Sign answered with SigningAlgorithm "
              + r.signingAlgorithmAsString()
              + ", not the"
              + " requested "
              + scheme.spec);
    }
    byte[] signature = r.signature() == null ? new byte[0] : r.signature().asByteArray();
    if (signature.length == 0 || signature.length > type.maxSignatureLength()) {
      throw new RejectedResponseException(
          "Sign returned a "
              + signature.length
              + "-byte signature; a "
              + type.spec
              + " key makes at most "
              + type.maxSignatureLength());
    }
    // JCA verifies messages, not digests: signDigest's answers are checked by the key and
    // algorithm echo only.
    if (originalMessage != null && !verify(originalMessage, signature)) {
      throw new RejectedResponseException(
          "the signature Sign returned for "
              + arn
              + " does not verify with the public key of "
              + fetched.keyArn
              + "; the replica's key material differs from the cached public key");
    }
    return signature;
  }
}
