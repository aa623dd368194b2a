package dev.mrkenvelope.kmslocal.internal;

import java.util.List;

/** The key specs kms-local implements, with their usage and algorithms. Immutable. */
enum KeySpec {
  SYMMETRIC_DEFAULT("ENCRYPT_DECRYPT", null, 0, null),
  ECC_NIST_P256("SIGN_VERIFY", "ECDSA_SHA_256", 32, "secp256r1"),
  ECC_NIST_P384("SIGN_VERIFY", "ECDSA_SHA_384", 48, "secp384r1");

  final String usage;
  final String signingAlgorithm;
  final int digestLength;
  final String curve;

  KeySpec(String usage, String signingAlgorithm, int digestLength, String curve) {
    this.usage = usage;
    this.signingAlgorithm = signingAlgorithm;
    this.digestLength = digestLength;
    this.curve = curve;
  }

  boolean symmetric() {
    return this == SYMMETRIC_DEFAULT;
  }

  List<String> encryptionAlgorithms() {
    return symmetric() ? List.of("SYMMETRIC_DEFAULT") : List.of();
  }

  List<String> signingAlgorithms() {
    return symmetric() ? List.of() : List.of(signingAlgorithm);
  }

  /** The JCA name for signing a message (RAW) with this key. */
  String jcaRaw() {
    return this == ECC_NIST_P256 ? "SHA256withECDSA" : "SHA384withECDSA";
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
            + " is not supported by kms-local; use SYMMETRIC_DEFAULT, ECC_NIST_P256 or"
            + " ECC_NIST_P384.");
  }
}
