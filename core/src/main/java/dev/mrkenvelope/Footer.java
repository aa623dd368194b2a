package dev.mrkenvelope;

import dev.mrkenvelope.internal.Ecdsa;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.security.Signature;
import java.security.SignatureException;

/**
 * The footer of signed messages: {@code u16 length ‖ DER ECDSA signature} over every header and
 * body byte, signed and verified in one place for the byte[] API and both streams.
 */
final class Footer {
  /** The longest footer: a DER ECDSA P-384 signature is at most 104 bytes. */
  static final int MAX_LENGTH = 2 + 104;

  private Footer() {}

  /**
   * A signer initialised with the materials' signing key: the thread's own {@code Signature} for a
   * message signed in one call, or a new one for a stream that lives across calls.
   */
  static Signature signer(EncryptionMaterials m, boolean forStream) {
    Ecdsa ecdsa = Ecdsa.forSuite(m.algorithmSuite());
    if (!forStream) {
      return ecdsa.signer(m.signingKey().orElseThrow());
    }
    Signature s = ecdsa.newSignature();
    try {
      s.initSign(m.signingKey().orElseThrow(), dev.mrkenvelope.internal.SecureRandoms.get());
    } catch (java.security.GeneralSecurityException e) {
      throw new EnvelopeException("cannot initialise the message signature: " + e.getMessage(), e);
    }
    return s;
  }

  /** A verifier initialised with the materials' verification key; see {@link #signer}. */
  static Signature verifier(AlgorithmSuite suite, DecryptionMaterials m, boolean forStream) {
    Ecdsa ecdsa = Ecdsa.forSuite(suite);
    if (!forStream) {
      return ecdsa.verifier(m.verificationKey().orElseThrow());
    }
    Signature s = ecdsa.newSignature();
    try {
      s.initVerify(m.verificationKey().orElseThrow());
    } catch (java.security.GeneralSecurityException e) {
      throw Malformed.failure();
    }
    return s;
  }

  /** Adds message bytes to a signature being made or checked. */
  static void update(Signature s, byte[] b, int off, int len) {
    try {
      s.update(b, off, len);
    } catch (SignatureException e) {
      throw new IllegalStateException(e); // only if uninitialised: a bug here
    }
  }

  /** Signs what was added and returns the footer. */
  static byte[] sign(Signature signer) {
    byte[] sig;
    try {
      sig = signer.sign();
    } catch (SignatureException e) {
      throw new EnvelopeException("signing the message failed: " + e.getMessage(), e);
    }
    byte[] footer = new byte[2 + sig.length];
    BigEndian.putU16(footer, 0, sig.length);
    System.arraycopy(sig, 0, footer, 2, sig.length);
    return footer;
  }

  /**
   * Checks that the signature {@code b[off, off+len)} (the footer without its length) verifies over
   * what was added.
   *
   * @throws DecryptionFailedException if it does not
   */
  static void verify(Signature verifier, byte[] b, int off, int len) {
    boolean ok;
    try {
      ok = verifier.verify(b, off, len);
    } catch (SignatureException e) {
      ok = false; // malformed DER
    }
    if (!ok) {
      throw Malformed.failure("the message signature does not verify");
    }
  }
}
