package dev.mrkenvelope.aws;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.EnumSet;
import java.util.Set;
import software.amazon.awssdk.services.kms.model.KeySpec;

/**
 * The KMS asymmetric key specs {@link MrkSigner} signs with, the signing algorithms KMS allows for
 * each, and what their public keys must look like.
 */
enum SigningKeyType {
  ECC_NIST_P256(KeySpec.ECC_NIST_P256, "secp256r1", 256, EnumSet.of(SignatureScheme.ECDSA_SHA_256)),
  ECC_NIST_P384(KeySpec.ECC_NIST_P384, "secp384r1", 384, EnumSet.of(SignatureScheme.ECDSA_SHA_384)),
  ECC_NIST_P521(KeySpec.ECC_NIST_P521, "secp521r1", 521, EnumSet.of(SignatureScheme.ECDSA_SHA_512)),
  RSA_2048(KeySpec.RSA_2048, null, 2048, rsaSchemes()),
  RSA_3072(KeySpec.RSA_3072, null, 3072, rsaSchemes()),
  RSA_4096(KeySpec.RSA_4096, null, 4096, rsaSchemes());

  final KeySpec spec;

  /** The JCA curve name, or null for RSA. */
  private final String curve;

  /** The curve's field size, or the RSA modulus length, in bits. */
  final int bits;

  final Set<SignatureScheme> schemes;

  SigningKeyType(KeySpec spec, String curve, int bits, Set<SignatureScheme> schemes) {
    this.spec = spec;
    this.curve = curve;
    this.bits = bits;
    this.schemes = schemes;
  }

  private static Set<SignatureScheme> rsaSchemes() {
    return EnumSet.complementOf(
        EnumSet.of(
            SignatureScheme.ECDSA_SHA_256,
            SignatureScheme.ECDSA_SHA_384,
            SignatureScheme.ECDSA_SHA_512));
  }

  /** The type of a KMS key spec, or null if {@link MrkSigner} cannot sign with it. */
  static SigningKeyType of(KeySpec spec) {
    for (SigningKeyType t : values()) {
      if (t.spec == spec) {
        return t;
      }
    }
    return null;
  }

  boolean isEc() {
    return curve != null;
  }

  /**
   * The longest signature a key of this type makes: the modulus length for RSA; for ECDSA, DER
   * {@code SEQUENCE {INTEGER r, INTEGER s}} with both integers at their longest (a sign byte
   * included) and P-521's two-byte sequence length.
   */
  int maxSignatureLength() {
    int n = (bits + 7) / 8;
    return isEc() ? 3 + 2 * (2 + n + 1) : n;
  }

  /** Why {@code key} is not a public key of this type, or null if it is one. */
  String mismatch(PublicKey key) {
    if (isEc()) {
      if (!(key instanceof ECPublicKey)) {
        return "it is a " + key.getAlgorithm() + " key, not an EC key";
      }
      ECParameterSpec p = ((ECPublicKey) key).getParams();
      BigInteger order = expectedOrder();
      if (!p.getOrder().equals(order) || p.getCurve().getField().getFieldSize() != bits) {
        return "its curve is not " + curve;
      }
      return null;
    }
    if (!(key instanceof RSAPublicKey)) {
      return "it is a " + key.getAlgorithm() + " key, not an RSA key";
    }
    int actual = ((RSAPublicKey) key).getModulus().bitLength();
    return actual == bits ? null : "its modulus has " + actual + " bits, not " + bits;
  }

  private BigInteger expectedOrder() {
    try {
      AlgorithmParameters a = AlgorithmParameters.getInstance("EC");
      a.init(new ECGenParameterSpec(curve));
      return a.getParameterSpec(ECParameterSpec.class).getOrder();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM does not support the curve " + curve, e);
    }
  }

  /** The JCA key algorithm: {@code EC} or {@code RSA}. */
  String keyAlgorithm() {
    return isEc() ? "EC" : "RSA";
  }
}
