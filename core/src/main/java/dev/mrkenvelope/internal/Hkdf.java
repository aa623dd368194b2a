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
  private static final Reusable<Mac> SHA256 = mac("HmacSHA256");
  private static final Reusable<Mac> SHA384 = mac("HmacSHA384");
  private static final Reusable<Mac> SHA512 = mac("HmacSHA512");

  private Hkdf() {}

  private static Reusable<Mac> mac(String algorithm) {
    return Reusable.of(
        () -> {
          try {
            return Mac.getInstance(algorithm);
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + algorithm, e);
          }
        });
  }

  /**
   * The reusable HMACs for {@code HmacSHA256}, {@code HmacSHA384} or {@code HmacSHA512}: acquire
   * one for a derivation and release it after.
   */
  public static Reusable<Mac> forAlgorithm(String macAlgorithm) {
    switch (macAlgorithm) {
      case "HmacSHA256":
        return SHA256;
      case "HmacSHA384":
        return SHA384;
      case "HmacSHA512":
        return SHA512;
      default:
        throw new IllegalArgumentException("unsupported HKDF hash: " + macAlgorithm);
    }
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
    if (length <= hashLen) { // one block, as every suite's key and commit key need
      mac.update(info);
      mac.update((byte) 1);
      byte[] t = mac.doFinal();
      byte[] out = Arrays.copyOf(t, length);
      Arrays.fill(t, (byte) 0);
      return out;
    }
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int done = 0;
    for (int i = 1; done < length; i++) {
      mac.update(t);
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
