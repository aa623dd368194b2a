package dev.mrkenvelope.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF (RFC 5869) on the JCA's HMAC. Deliberately not Bouncy Castle's: SunJCE's SHA-2 has
 * intrinsics and BC's digests are pure Java, and key derivation runs on every message.
 */
public final class Hkdf {
  private Hkdf() {}

  /**
   * Reusable JCA HMACs of {@code algorithm} ({@code HmacSHA256}, {@code HmacSHA384} or {@code
   * HmacSHA512}): acquire one for a derivation and release it after. Made once per algorithm (by
   * the key derivation that uses it).
   */
  public static Reusable<Mac> macs(String algorithm) {
    return Reusable.of(
        () -> {
          try {
            return Mac.getInstance(algorithm);
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + algorithm, e);
          }
        });
  }

  /** HKDF-Extract: {@code PRK = HMAC(salt or HashLen zeros, ikm)}. */
  public static byte[] extract(Mac mac, byte[] salt, byte[] ikm) {
    byte[] s = salt == null || salt.length == 0 ? new byte[mac.getMacLength()] : salt;
    try {
      mac.init(new SecretKeySpec(s, mac.getAlgorithm()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return mac.doFinal(ikm);
  }

  /** HKDF-Expand of {@code length} bytes from {@code prk} and {@code info}. */
  public static byte[] expand(Mac mac, byte[] prk, byte[] info, int length) {
    keyWith(mac, prk);
    return expandKeyed(mac, info, length);
  }

  /** Keys {@code mac} with a PRK, so that several expansions can share one HMAC key set-up. */
  public static void keyWith(Mac mac, byte[] prk) {
    try {
      mac.init(new SecretKeySpec(prk, mac.getAlgorithm()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * HKDF-Expand with a {@code mac} already keyed by {@link #keyWith}; it stays keyed afterwards
   * ({@code doFinal} resets a JCA {@code Mac} to its key).
   */
  public static byte[] expandKeyed(Mac mac, byte[] info, int length) {
    int hashLen = mac.getMacLength();
    if (length > 255 * hashLen) {
      throw new IllegalArgumentException("HKDF output too long: " + length);
    }
    byte[] out = new byte[length];
    byte[] t = null; // T(0) is empty; every suite needs only T(1)
    for (int i = 1, done = 0; done < length; i++) {
      if (t != null) {
        mac.update(t);
        Arrays.fill(t, (byte) 0); // each block is key material
      }
      mac.update(info);
      mac.update((byte) i);
      t = mac.doFinal();
      int n = Math.min(hashLen, length - done);
      System.arraycopy(t, 0, out, done, n);
      done += n;
    }
    Arrays.fill(t, (byte) 0);
    return out;
  }
}
