package dev.mrkenvelope.internal;

import dev.mrkenvelope.AlgorithmSuite;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * The footer signatures of the signing suites: ECDSA P-256/SHA-256 for 0x0214 and P-384/SHA-384
 * for the others, with the public key carried in the encryption context as the Base64 of its SEC 1
 * compressed point. JCA signs and verifies; Bouncy Castle decompresses points, which the JCA cannot.
 */
public final class Ecdsa {
  /** The encryption-context key that carries the verification key. */
  public static final String PUBLIC_KEY_FIELD = "aws-crypto-public-key";

  private static final Ecdsa P256 = new Ecdsa("secp256r1", "SHA256withECDSA", 32);
  private static final Ecdsa P384 = new Ecdsa("secp384r1", "SHA384withECDSA", 48);

  private final String curve;
  private final String jcaAlgorithm;
  private final int fieldLength;
  private final ECParameterSpec params;
  private final X9ECParameters bcParams;
  private final ThreadLocal<KeyPairGenerator> generator;
  private final ThreadLocal<Signature> signature;

  private Ecdsa(String curve, String jcaAlgorithm, int fieldLength) {
    this.curve = curve;
    this.jcaAlgorithm = jcaAlgorithm;
    this.fieldLength = fieldLength;
    try {
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
      ap.init(new ECGenParameterSpec(curve));
      this.params = ap.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM does not support " + curve, e);
    }
    this.bcParams = CustomNamedCurves.getByName(curve);
    this.generator =
        ThreadLocal.withInitial(
            () -> {
              try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(curve), SecureRandoms.get());
                return g;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
    this.signature =
        ThreadLocal.withInitial(
            () -> {
              try {
                return Signature.getInstance(jcaAlgorithm);
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** The signature scheme of {@code suite}, or {@code null} if it does not sign. */
  public static Ecdsa forSuite(AlgorithmSuite suite) {
    switch (suite) {
      case AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256:
        return P256;
      case AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384:
      case AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384:
      case AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384:
        return P384;
      default:
        return null;
    }
  }

  public String curve() {
    return curve;
  }

  /** A fresh key pair, as the ESDK makes for every signed message. */
  public KeyPair generateKeyPair() {
    return generator.get().generateKeyPair();
  }

  /** Base64 (standard, padded) of the SEC 1 compressed point of {@code key}. */
  public String encodePublicKey(PublicKey key) {
    ECPoint w = ((ECPublicKey) key).getW();
    byte[] out = new byte[1 + fieldLength];
    out[0] = (byte) (w.getAffineY().testBit(0) ? 0x03 : 0x02);
    byte[] x = w.getAffineX().toByteArray();
    // toByteArray may carry a sign byte or be short; right-align into the field width.
    int copy = Math.min(x.length, fieldLength);
    System.arraycopy(x, x.length - copy, out, 1 + fieldLength - copy, copy);
    return Base64.getEncoder().encodeToString(out);
  }

  /**
   * Decodes the value of {@code aws-crypto-public-key}.
   *
   * @return the public key, or {@code null} if it is not a valid compressed point on this curve
   */
  public PublicKey decodePublicKeyOrNull(String base64) {
    byte[] encoded;
    try {
      encoded = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (encoded.length != 1 + fieldLength || (encoded[0] != 0x02 && encoded[0] != 0x03)) {
      return null;
    }
    try {
      // decodePoint solves y^2 = x^3 + ax + b and checks the point lies on the curve.
      org.bouncycastle.math.ec.ECPoint p = bcParams.getCurve().decodePoint(encoded).normalize();
      if (p.isInfinity() || !p.isValid()) {
        return null;
      }
      BigInteger x = p.getAffineXCoord().toBigInteger();
      BigInteger y = p.getAffineYCoord().toBigInteger();
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
    } catch (RuntimeException | GeneralSecurityException e) {
      // Any failure to decode is an invalid key; BC signals some with unchecked exceptions.
      return null;
    }
  }

  /** A per-thread {@link Signature} initialised for signing. */
  public Signature signer(PrivateKey key) {
    Signature s = signature.get();
    try {
      s.initSign(key, SecureRandoms.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("signing key does not fit " + curve + ": " + e.getMessage(), e);
    }
    return s;
  }

  /** A per-thread {@link Signature} initialised for verification. */
  public Signature verifier(PublicKey key) {
    Signature s = signature.get();
    try {
      s.initVerify(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("verification key does not fit " + curve, e);
    }
    return s;
  }

  /** A new (not per-thread) {@link Signature}, for streams that live across calls. */
  public Signature newSignature() {
    try {
      return Signature.getInstance(jcaAlgorithm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
