package dev.mrkenvelope.kmslocal.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.List;

/** The key specs kms-local implements, with their usage and algorithms. Immutable. */
enum KeySpec {
  SYMMETRIC_DEFAULT("ENCRYPT_DECRYPT", null, null),
  ECC_NIST_P256(
      "SIGN_VERIFY", new ECGenParameterSpec("secp256r1"), List.of(SigningAlgorithm.ECDSA_SHA_256)),
  ECC_NIST_P384(
      "SIGN_VERIFY", new ECGenParameterSpec("secp384r1"), List.of(SigningAlgorithm.ECDSA_SHA_384)),
  ECC_NIST_P521(
      "SIGN_VERIFY", new ECGenParameterSpec("secp521r1"), List.of(SigningAlgorithm.ECDSA_SHA_512)),
  RSA_2048("SIGN_VERIFY", rsa(2048), Rsa.ALGORITHMS),
  RSA_3072("SIGN_VERIFY", rsa(3072), Rsa.ALGORITHMS),
  RSA_4096("SIGN_VERIFY", rsa(4096), Rsa.ALGORITHMS);

  /** Holder so the enum constants can share one list (constants cannot see static fields). */
  private static final class Rsa {
    // The order KMS lists them in KeyMetadata and GetPublicKey.
    static final List<SigningAlgorithm> ALGORITHMS =
        List.of(
            SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256,
            SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384,
            SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_512,
            SigningAlgorithm.RSASSA_PSS_SHA_256,
            SigningAlgorithm.RSASSA_PSS_SHA_384,
            SigningAlgorithm.RSASSA_PSS_SHA_512);
  }

  final String usage;
  private final AlgorithmParameterSpec keyGen;
  private final List<SigningAlgorithm> signing;

  KeySpec(String usage, AlgorithmParameterSpec keyGen, List<SigningAlgorithm> signing) {
    this.usage = usage;
    this.keyGen = keyGen;
    this.signing = signing == null ? List.of() : signing;
  }

  private static RSAKeyGenParameterSpec rsa(int bits) {
    return new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4);
  }

  boolean symmetric() {
    return this == SYMMETRIC_DEFAULT;
  }

  boolean rsa() {
    return keyGen instanceof RSAKeyGenParameterSpec;
  }

  List<String> encryptionAlgorithms() {
    return symmetric() ? List.of("SYMMETRIC_DEFAULT") : List.of();
  }

  List<String> signingAlgorithms() {
    List<String> names = new ArrayList<>(signing.size());
    signing.forEach(a -> names.add(a.name()));
    return names;
  }

  boolean supports(SigningAlgorithm algorithm) {
    return signing.contains(algorithm);
  }

  /**
   * A new key pair for an asymmetric spec. RSA-4096 takes up to seconds, which is why key families
   * call this lazily, on the first use of the key.
   */
  KeyPair newKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(rsa() ? "RSA" : "EC");
      g.initialize(keyGen, random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("key generation failed for " + this, e);
    }
  }

  static KeySpec parse(String spec) {
    for (KeySpec s : values()) {
      if (s.name().equals(spec)) {
        return s;
      }
    }
    throw KmsError.unsupported(
        "KeySpec "
            + spec
            + " is not supported by kms-local; use SYMMETRIC_DEFAULT, ECC_NIST_P256, ECC_NIST_P384,"
            + " ECC_NIST_P521, RSA_2048, RSA_3072 or RSA_4096.");
  }
}
