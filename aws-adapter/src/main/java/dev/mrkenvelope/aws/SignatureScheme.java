package dev.mrkenvelope.aws;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The KMS signing algorithms {@link MrkSigner} supports, as the JCA names them, so that signatures
 * KMS makes verify locally.
 *
 * <p>What KMS produces: ECDSA signatures are DER {@code SEQUENCE {INTEGER r, INTEGER s}} (the JCA
 * {@code SHAxxxwithECDSA} format); RSASSA-PSS uses MGF1 with the message's hash and a salt as long
 * as that hash (trailer field 1); RSASSA-PKCS1-v1_5 is the classic {@code DigestInfo} padding. With
 * {@code MessageType=DIGEST} KMS skips only the hashing, so a signature of a digest verifies as a
 * signature of the message the digest came from.
 */
enum SignatureScheme {
  ECDSA_SHA_256(SigningAlgorithmSpec.ECDSA_SHA_256, "SHA-256", 32, "SHA256withECDSA", false),
  ECDSA_SHA_384(SigningAlgorithmSpec.ECDSA_SHA_384, "SHA-384", 48, "SHA384withECDSA", false),
  ECDSA_SHA_512(SigningAlgorithmSpec.ECDSA_SHA_512, "SHA-512", 64, "SHA512withECDSA", false),
  RSASSA_PSS_SHA_256(SigningAlgorithmSpec.RSASSA_PSS_SHA_256, "SHA-256", 32, "RSASSA-PSS", true),
  RSASSA_PSS_SHA_384(SigningAlgorithmSpec.RSASSA_PSS_SHA_384, "SHA-384", 48, "RSASSA-PSS", true),
  RSASSA_PSS_SHA_512(SigningAlgorithmSpec.RSASSA_PSS_SHA_512, "SHA-512", 64, "RSASSA-PSS", true),
  RSASSA_PKCS1_V1_5_SHA_256(
      SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, "SHA-256", 32, "SHA256withRSA", false),
  RSASSA_PKCS1_V1_5_SHA_384(
      SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384, "SHA-384", 48, "SHA384withRSA", false),
  RSASSA_PKCS1_V1_5_SHA_512(
      SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_512, "SHA-512", 64, "SHA512withRSA", false);

  final SigningAlgorithmSpec spec;
  final String digestAlgorithm;
  final int digestLength;
  private final String jcaName;
  private final boolean pss;

  SignatureScheme(
      SigningAlgorithmSpec spec,
      String digestAlgorithm,
      int digestLength,
      String jcaName,
      boolean pss) {
    this.spec = spec;
    this.digestAlgorithm = digestAlgorithm;
    this.digestLength = digestLength;
    this.jcaName = jcaName;
    this.pss = pss;
  }

  /** The scheme of a KMS algorithm, or null if {@link MrkSigner} does not support it. */
  static SignatureScheme of(SigningAlgorithmSpec spec) {
    for (SignatureScheme s : values()) {
      if (s.spec == spec) {
        return s;
      }
    }
    return null;
  }

  boolean isEcdsa() {
    return jcaName.endsWith("withECDSA");
  }

  /** A fresh (not thread-safe) JCA {@code Signature} set up to verify with {@code key}. */
  Signature verifier(PublicKey key) throws GeneralSecurityException {
    Signature s = Signature.getInstance(jcaName);
    if (pss) {
      MGF1ParameterSpec mgf1 = new MGF1ParameterSpec(digestAlgorithm);
      s.setParameter(new PSSParameterSpec(digestAlgorithm, "MGF1", mgf1, digestLength, 1));
    }
    s.initVerify(key);
    return s;
  }

  /** The hash KMS expects as a {@code DIGEST} message for this algorithm. */
  byte[] digest(byte[] message) {
    try {
      return MessageDigest.getInstance(digestAlgorithm).digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(digestAlgorithm + " is missing from this JVM", e);
    }
  }
}
