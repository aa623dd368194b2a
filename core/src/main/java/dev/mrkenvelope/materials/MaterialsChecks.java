package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.PolicyException;

/** The invariants encryption and decryption materials share, and the managers' common checks. */
final class MaterialsChecks {
  private MaterialsChecks() {}

  /** A signing suite needs its key; any other suite must have none. */
  static void checkSigningKey(AlgorithmSuite suite, Object key, String what) {
    if (suite.isSigning() != (key != null)) {
      throw new IllegalArgumentException(
          suite.isSigning()
              ? "suite " + suite + " signs: a " + what + " is required"
              : "suite " + suite + " does not sign: pass no " + what);
    }
  }

  /** A data key is set once, with the suite's length. */
  static void checkNewDataKey(AlgorithmSuite suite, byte[] existing, byte[] dataKey, String fix) {
    if (existing != null) {
      throw new IllegalStateException("the plaintext data key is already set; " + fix);
    }
    if (dataKey.length != suite.dataKeyLength()) {
      throw new IllegalArgumentException(
          "data key is "
              + dataKey.length
              + " bytes; suite "
              + suite
              + " needs "
              + suite.dataKeyLength());
    }
  }

  /**
   * A data key to encrypt with must not be all zeros: a random key is that with probability 2^-128
   * at most, so it means something zeroed the key before the materials copied it, and a message
   * under it would be readable by anyone.
   */
  static void checkNotAllZeros(byte[] dataKey) {
    int any = 0;
    for (byte b : dataKey) {
      any |= b;
    }
    if (any == 0) {
      throw new IllegalStateException(
          "the data key to encrypt with is all zeros, so something zeroed it before the materials"
              + " copied it (a keyring must hand over a key it no longer changes); refusing to"
              + " encrypt under a key anyone can guess");
    }
  }

  /** The request's commitment policy must allow decrypting its suite. */
  static void checkDecryptAllowed(DecryptionMaterialsRequest request) {
    AlgorithmSuite suite = request.algorithmSuite();
    if (!request.commitmentPolicy().allowsDecrypt(suite)) {
      throw new PolicyException(
          "commitment policy "
              + request.commitmentPolicy()
              + " does not allow decrypting "
              + suite);
    }
  }
}
