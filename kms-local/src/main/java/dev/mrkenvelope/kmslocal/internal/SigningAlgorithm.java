package dev.mrkenvelope.kmslocal.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * The KMS signing algorithms kms-local implements. Every signature is made over a digest: a RAW
 * message is hashed here first, a DIGEST message is used as given, so both message types produce
 * the same signature format KMS returns (DER ECDSA, PKCS#1 v1.5, PSS with the salt as long as the
 * digest). Immutable and thread-safe.
 */
enum SigningAlgorithm {
  ECDSA_SHA_256(Scheme.ECDSA, "SHA-256", 32),
  ECDSA_SHA_384(Scheme.ECDSA, "SHA-384", 48),
  ECDSA_SHA_512(Scheme.ECDSA, "SHA-512", 64),
  RSASSA_PKCS1_V1_5_SHA_256(Scheme.PKCS1, "SHA-256", 32),
  RSASSA_PKCS1_V1_5_SHA_384(Scheme.PKCS1, "SHA-384", 48),
  RSASSA_PKCS1_V1_5_SHA_512(Scheme.PKCS1, "SHA-512", 64),
  RSASSA_PSS_SHA_256(Scheme.PSS, "SHA-256", 32),
  RSASSA_PSS_SHA_384(Scheme.PSS, "SHA-384", 48),
  RSASSA_PSS_SHA_512(Scheme.PSS, "SHA-512", 64);

  /** Every SigningAlgorithmSpec value of the KMS model, implemented or not (for validation). */
  static final String[] MODEL_VALUES = {
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
    "ECDSA_SHA_256",
    "ECDSA_SHA_384",
    "ECDSA_SHA_512",
    "SM2DSA",
    "ML_DSA_SHAKE_256",
    "ED25519_SHA_512",
    "ED25519_PH_SHA_512"
  };

  private enum Scheme {
    ECDSA,
    PKCS1,
    PSS
  }

  private final Scheme scheme;
  private final String digestName;
  final int digestLength;

  SigningAlgorithm(Scheme scheme, String digestName, int digestLength) {
    this.scheme = scheme;
    this.digestName = digestName;
    this.digestLength = digestLength;
  }

  /** The algorithm of a model value, or null for one kms-local does not implement. */
  static SigningAlgorithm find(String name) {
    for (SigningAlgorithm a : values()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    return null;
  }

  byte[] digest(byte[] message) {
    try {
      return MessageDigest.getInstance(digestName).digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(digestName + " is missing from this JDK", e);
    }
  }

  /** Signs a digest of {@link #digestLength} bytes. */
  byte[] sign(PrivateKey key, byte[] digest, SecureRandom random) {
    try {
      switch (scheme) {
        case ECDSA:
          return jca("NONEwithECDSA", key, random, digest);
        case PKCS1:
          return jca("NONEwithRSA", key, random, digestInfo(digest));
        default:
          RSAPrivateKey rsa = (RSAPrivateKey) key;
          int bits = rsa.getModulus().bitLength();
          byte[] em = Pss.encode(digest, digestName, bits - 1, random);
          // Raw RSA with the private key; the JDK uses the CRT form, ~4x faster than modPow on d.
          Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
          raw.init(Cipher.ENCRYPT_MODE, rsa);
          return raw.doFinal(unsigned(new BigInteger(1, em), (bits + 7) / 8));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(name() + " signing failed", e);
    }
  }

  /** True when {@code signature} is valid for the digest; malformed signatures are just invalid. */
  boolean verify(PublicKey key, byte[] digest, byte[] signature) {
    try {
      switch (scheme) {
        case ECDSA:
          return jcaVerify("NONEwithECDSA", key, digest, signature);
        case PKCS1:
          return jcaVerify("NONEwithRSA", key, digestInfo(digest), signature);
        default:
          RSAPublicKey rsa = (RSAPublicKey) key;
          BigInteger s = new BigInteger(1, signature);
          int bits = rsa.getModulus().bitLength();
          if (signature.length != (bits + 7) / 8 || s.compareTo(rsa.getModulus()) >= 0) {
            return false;
          }
          BigInteger m = s.modPow(rsa.getPublicExponent(), rsa.getModulus());
          int emBits = bits - 1;
          return Pss.verify(digest, unsigned(m, (emBits + 7) / 8), digestName, emBits);
      }
    } catch (SignatureException | IllegalArgumentException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(name() + " verification failed", e);
    }
  }

  private static byte[] jca(String name, PrivateKey key, SecureRandom random, byte[] input)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance(name);
    s.initSign(key, random);
    s.update(input);
    return s.sign();
  }

  private static boolean jcaVerify(String name, PublicKey key, byte[] input, byte[] signature)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance(name);
    s.initVerify(key);
    s.update(input);
    return s.verify(signature);
  }

  /** The DER DigestInfo that PKCS#1 v1.5 signs: AlgorithmIdentifier prefix plus the digest. */
  private byte[] digestInfo(byte[] digest) {
    // SEQUENCE { SEQUENCE { OID sha-2 variant, NULL }, OCTET STRING digest } (RFC 8017 §9.2)
    byte[] prefix = {
      0x30,
      (byte) (0x11 + digestLength),
      0x30,
      0x0d,
      0x06,
      0x09,
      0x60,
      (byte) 0x86,
      0x48,
      0x01,
      0x65,
      0x03,
      0x04,
      0x02,
      oidLastByte(),
      0x05,
      0x00,
      0x04,
      (byte) digestLength
    };
    byte[] out = Arrays.copyOf(prefix, prefix.length + digest.length);
    System.arraycopy(digest, 0, out, prefix.length, digest.length);
    return out;
  }

  private byte oidLastByte() {
    return digestLength == 32 ? (byte) 1 : digestLength == 48 ? (byte) 2 : (byte) 3;
  }

  /** A non-negative integer as exactly {@code length} big-endian bytes. */
  static byte[] unsigned(BigInteger v, int length) {
    byte[] b = v.toByteArray();
    if (b.length == length) {
      return b;
    }
    byte[] out = new byte[length];
    int n = Math.min(b.length, length);
    System.arraycopy(b, b.length - n, out, length - n, n);
    return out;
  }
}
