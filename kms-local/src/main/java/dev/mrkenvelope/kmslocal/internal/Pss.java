package dev.mrkenvelope.kmslocal.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * EMSA-PSS encoding and verification over a given digest (RFC 8017 §9.1), with MGF1 on the same
 * hash and a salt as long as the digest, as KMS signs. The JDK's RSASSA-PSS signature hashes the
 * message itself and so cannot sign a DIGEST message; this class lets one code path serve both.
 */
final class Pss {
  private Pss() {}

  /** The encoded message of {@code emBits} bits for {@code mHash}. */
  static byte[] encode(byte[] mHash, String hash, int emBits, SecureRandom random) {
    int hLen = mHash.length;
    int emLen = (emBits + 7) / 8;
    byte[] salt = new byte[hLen];
    random.nextBytes(salt);
    byte[] h = mPrimeHash(mHash, salt, hash);
    byte[] db = new byte[emLen - hLen - 1];
    db[db.length - hLen - 1] = 0x01;
    System.arraycopy(salt, 0, db, db.length - hLen, hLen);
    xor(db, mgf1(h, db.length, hash));
    db[0] &= (byte) (0xff >>> (8 * emLen - emBits));
    byte[] em = new byte[emLen];
    System.arraycopy(db, 0, em, 0, db.length);
    System.arraycopy(h, 0, em, db.length, hLen);
    em[emLen - 1] = (byte) 0xbc;
    return em;
  }

  /** True when {@code em} is a valid encoding of {@code mHash}. */
  static boolean verify(byte[] mHash, byte[] em, String hash, int emBits) {
    int hLen = mHash.length;
    int emLen = (emBits + 7) / 8;
    if (em.length != emLen || emLen < 2 * hLen + 2 || em[emLen - 1] != (byte) 0xbc) {
      return false;
    }
    int topMask = 0xff << (8 - (8 * emLen - emBits)) & 0xff;
    if ((em[0] & topMask) != 0) {
      return false;
    }
    byte[] db = new byte[emLen - hLen - 1];
    System.arraycopy(em, 0, db, 0, db.length);
    byte[] h = new byte[hLen];
    System.arraycopy(em, db.length, h, 0, hLen);
    xor(db, mgf1(h, db.length, hash));
    db[0] &= (byte) (0xff >>> (8 * emLen - emBits));
    int saltStart = db.length - hLen;
    for (int i = 0; i < saltStart - 1; i++) {
      if (db[i] != 0) {
        return false;
      }
    }
    if (db[saltStart - 1] != 0x01) {
      return false;
    }
    byte[] salt = new byte[hLen];
    System.arraycopy(db, saltStart, salt, 0, hLen);
    return MessageDigest.isEqual(h, mPrimeHash(mHash, salt, hash));
  }

  private static byte[] mPrimeHash(byte[] mHash, byte[] salt, String hash) {
    MessageDigest d = digest(hash);
    d.update(new byte[8]);
    d.update(mHash);
    d.update(salt);
    return d.digest();
  }

  private static byte[] mgf1(byte[] seed, int length, String hash) {
    byte[] out = new byte[length];
    MessageDigest d = digest(hash);
    int done = 0;
    for (int counter = 0; done < length; counter++) {
      d.update(seed);
      d.update(
          new byte[] {
            (byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter
          });
      byte[] block = d.digest();
      int n = Math.min(block.length, length - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    return out;
  }

  private static void xor(byte[] target, byte[] mask) {
    for (int i = 0; i < target.length; i++) {
      target[i] ^= mask[i];
    }
  }

  private static MessageDigest digest(String hash) {
    try {
      return MessageDigest.getInstance(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(hash + " is missing from this JDK", e);
    }
  }
}
