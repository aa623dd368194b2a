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
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * The footer signatures of the signing suites: ECDSA P-256/SHA-256 for 0x0214 and P-384/SHA-384 for
 * the others, with the public key carried in the encryption context as the Base64 of its SEC 1
 * compressed point. JCA signs and verifies. Compressed points are decoded by the JCA provider when
 * it can (native providers such as ACCP take a compressed point inside an X.509 key, several times
 * faster), otherwise by Bouncy Castle, since the JDK's own provider cannot.
 */
public final class Ecdsa {
  /** The encryption-context key that carries the verification key. */
  public static final String PUBLIC_KEY_FIELD = "aws-crypto-public-key";

  /** DER of the id-ecPublicKey OID (1.2.840.10045.2.1); declared before the curves use it. */
  private static final byte[] EC_PUBLIC_KEY_OID = {6, 7, 42, -122, 72, -50, 61, 2, 1};

  private static final Ecdsa P256 =
      new Ecdsa(
          "secp256r1", "SHA256withECDSA", 32, new byte[] {6, 8, 42, -122, 72, -50, 61, 3, 1, 7});
  private static final Ecdsa P384 =
      new Ecdsa("secp384r1", "SHA384withECDSA", 48, new byte[] {6, 5, 43, -127, 4, 0, 34});

  private final String curve;
  private final String jcaAlgorithm;
  private final int fieldLength;
  private final ECParameterSpec params;
  private final X9ECParameters bcParams;
  private final ThreadLocal<KeyPairGenerator> generator;
  private final ThreadLocal<Signature> signature;

  /** An X.509 SubjectPublicKeyInfo up to (not including) the compressed point. */
  private final byte[] compressedSpkiPrefix;

  /** Whether the last seen default EC KeyFactory provider decodes compressed points. */
  private volatile ProviderSupport nativeDecode;

  /** A provider and whether it decoded this curve's compressed generator correctly. */
  private static final class ProviderSupport {
    final java.security.Provider provider;
    final boolean decodesCompressed;

    ProviderSupport(java.security.Provider provider, boolean decodesCompressed) {
      this.provider = provider;
      this.decodesCompressed = decodesCompressed;
    }
  }

  private Ecdsa(String curve, String jcaAlgorithm, int fieldLength, byte[] curveOid) {
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
    this.compressedSpkiPrefix = spkiPrefix(curveOid, 1 + fieldLength);
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
    KeyFactory factory;
    try {
      factory = KeyFactory.getInstance("EC");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no EC KeyFactory", e);
    }
    if (decodesCompressed(factory)) {
      try {
        // The provider solves for y and rejects an x that is not on the curve.
        return factory.generatePublic(new X509EncodedKeySpec(spki(encoded)));
      } catch (GeneralSecurityException | RuntimeException e) {
        return null;
      }
    }
    return decodeWithBouncyCastle(encoded, factory);
  }

  private PublicKey decodeWithBouncyCastle(byte[] encoded, KeyFactory factory) {
    try {
      // decodePoint solves y^2 = x^3 + ax + b and checks the point lies on the curve.
      org.bouncycastle.math.ec.ECPoint p = bcParams.getCurve().decodePoint(encoded).normalize();
      if (p.isInfinity() || !p.isValid()) {
        return null;
      }
      BigInteger x = p.getAffineXCoord().toBigInteger();
      BigInteger y = p.getAffineYCoord().toBigInteger();
      return factory.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
    } catch (RuntimeException | GeneralSecurityException e) {
      // Any failure to decode is an invalid key; BC signals some with unchecked exceptions.
      return null;
    }
  }

  /**
   * Whether {@code factory}'s provider decodes compressed points: probed once per provider with
   * this curve's generator, so installing a provider later (or removing it) is noticed.
   */
  private boolean decodesCompressed(KeyFactory factory) {
    ProviderSupport known = nativeDecode;
    if (known != null && known.provider == factory.getProvider()) {
      return known.decodesCompressed;
    }
    boolean ok;
    try {
      ECPoint g = params.getGenerator();
      byte[] compressed = new byte[1 + fieldLength];
      compressed[0] = (byte) (g.getAffineY().testBit(0) ? 0x03 : 0x02);
      byte[] x = g.getAffineX().toByteArray();
      int copy = Math.min(x.length, fieldLength);
      System.arraycopy(x, x.length - copy, compressed, 1 + fieldLength - copy, copy);
      PublicKey k = factory.generatePublic(new X509EncodedKeySpec(spki(compressed)));
      ok = k instanceof ECPublicKey && ((ECPublicKey) k).getW().equals(g);
    } catch (GeneralSecurityException | RuntimeException e) {
      ok = false; // e.g. SunEC: "Only uncompressed point format supported"
    }
    nativeDecode = new ProviderSupport(factory.getProvider(), ok);
    return ok;
  }

  /** Whether the current default EC provider decodes compressed points (for tests). */
  boolean decodesWithProvider() {
    try {
      return decodesCompressed(KeyFactory.getInstance("EC"));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private byte[] spki(byte[] compressedPoint) {
    byte[] der =
        Arrays.copyOf(compressedSpkiPrefix, compressedSpkiPrefix.length + compressedPoint.length);
    System.arraycopy(compressedPoint, 0, der, compressedSpkiPrefix.length, compressedPoint.length);
    return der;
  }

  /** SEQUENCE { SEQUENCE { id-ecPublicKey, curve }, BIT STRING { 0 unused bits, point } }. */
  private static byte[] spkiPrefix(byte[] curveOid, int pointLength) {
    int algIdLength = EC_PUBLIC_KEY_OID.length + curveOid.length;
    int bitStringLength = 1 + pointLength;
    int bodyLength = 2 + algIdLength + 2 + bitStringLength;
    byte[] p = new byte[2 + 2 + algIdLength + 3];
    int i = 0;
    p[i++] = 0x30;
    p[i++] = (byte) bodyLength;
    p[i++] = 0x30;
    p[i++] = (byte) algIdLength;
    System.arraycopy(EC_PUBLIC_KEY_OID, 0, p, i, EC_PUBLIC_KEY_OID.length);
    i += EC_PUBLIC_KEY_OID.length;
    System.arraycopy(curveOid, 0, p, i, curveOid.length);
    i += curveOid.length;
    p[i++] = 0x03;
    p[i++] = (byte) bitStringLength;
    p[i] = 0x00;
    return p;
  }

  /** A per-thread {@link Signature} initialised for signing. */
  public Signature signer(PrivateKey key) {
    Signature s = signature.get();
    try {
      s.initSign(key, SecureRandoms.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "signing key does not fit " + curve + ": " + e.getMessage(), e);
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
