package dev.mrkenvelope;

/**
 * Which algorithm suites may be used to encrypt and which messages are accepted on decrypt, with
 * the semantics of the AWS Encryption SDK.
 *
 * <p>Key commitment (suites 0x0478 and 0x0578) binds a message to exactly one data key, so a
 * message cannot be crafted to decrypt to different plaintexts under different keys. The default,
 * {@link #REQUIRE_ENCRYPT_REQUIRE_DECRYPT}, writes and accepts only committing messages; the other
 * two exist to migrate from messages written by old ESDK versions.
 */
public enum CommitmentPolicy {
  /** Encrypt only with non-committing suites; decrypt any message. For old readers only. */
  FORBID_ENCRYPT_ALLOW_DECRYPT,
  /** Encrypt only with committing suites; still decrypt non-committing messages. */
  REQUIRE_ENCRYPT_ALLOW_DECRYPT,
  /** Encrypt and decrypt only committing messages. The default. */
  REQUIRE_ENCRYPT_REQUIRE_DECRYPT;

  /** Whether this policy lets a message be written with {@code suite}. */
  public boolean allowsEncrypt(AlgorithmSuite suite) {
    return this == FORBID_ENCRYPT_ALLOW_DECRYPT ? !suite.isCommitting() : suite.isCommitting();
  }

  /** Whether this policy accepts a message written with {@code suite}. */
  public boolean allowsDecrypt(AlgorithmSuite suite) {
    return this != REQUIRE_ENCRYPT_REQUIRE_DECRYPT || suite.isCommitting();
  }

  /** The suite used when none is requested: 0x0578 when committing, else 0x0378 (as ESDK-Java). */
  public AlgorithmSuite defaultSuite() {
    return this == FORBID_ENCRYPT_ALLOW_DECRYPT
        ? AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384
        : AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
  }
}
