package dev.mrkenvelope.internal;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM with a 12-byte IV and 16-byte tag on per-thread JCA {@link Cipher}s: SunJCE uses the
 * AES-NI and CLMUL intrinsics, and reusing the {@code Cipher} avoids a provider lookup per call.
 *
 * <p>Two ciphers per thread, one for message content and one for key wrapping: SunJCE skips the AES
 * key schedule and the GHASH key set-up when a {@code Cipher} is re-initialised with the key it
 * had, which saves microseconds per call (a new key costs about ten times a reused one). With one
 * shared cipher, wrapping the data key would evict the message key between the header and the
 * frames, and on every message.
 */
public final class AesGcm {
  public static final int IV_LENGTH = 12;
  public static final int TAG_LENGTH = 16;

  private static final byte[] EMPTY = new byte[0];

  private static final Reusable<Cipher> CIPHER = Reusable.of(AesGcm::newCipher);
  private static final Reusable<Cipher> WRAP_CIPHER = Reusable.of(AesGcm::newCipher);

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no AES/GCM/NoPadding cipher", e);
    }
  }

  private AesGcm() {}

  /**
   * Encrypts {@code in[inOff, inOff+len)} into {@code out} at {@code outOff} as ciphertext‖tag.
   *
   * @return the number of bytes written ({@code len + 16})
   */
  public static int encrypt(
      SecretKey key, byte[] iv, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    return run(CIPHER, Cipher.ENCRYPT_MODE, key, iv, 0, aad, in, inOff, len, out, outOff);
  }

  /** Wraps a key: encrypts and returns ciphertext‖tag in a new array (key-wrapping cipher). */
  public static byte[] wrap(SecretKey key, byte[] iv, byte[] aad, byte[] plaintext) {
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    run(WRAP_CIPHER, Cipher.ENCRYPT_MODE, key, iv, 0, aad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  /**
   * Decrypts ciphertext‖tag {@code in[inOff, inOff+len)} into {@code out} at {@code outOff}.
   *
   * @return the plaintext length, or -1 if the tag does not verify (nothing written is valid then)
   */
  public static int decrypt(
      SecretKey key,
      byte[] iv,
      int ivOff,
      byte[] aad,
      byte[] in,
      int inOff,
      int len,
      byte[] out,
      int outOff) {
    return run(CIPHER, Cipher.DECRYPT_MODE, key, iv, ivOff, aad, in, inOff, len, out, outOff);
  }

  /** One GCM operation; -1 when decryption finds a bad tag. */
  private static int run(
      Reusable<Cipher> ciphers,
      int mode,
      SecretKey key,
      byte[] iv,
      int ivOff,
      byte[] aad,
      byte[] in,
      int inOff,
      int len,
      byte[] out,
      int outOff) {
    Cipher c = ciphers.acquire();
    try {
      c.init(mode, key, new GCMParameterSpec(128, iv, ivOff, IV_LENGTH));
      if (aad != null && aad.length > 0) {
        c.updateAAD(aad);
      }
      return c.doFinal(in, inOff, len, out, outOff);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
    } finally {
      ciphers.release(c);
    }
  }

  /**
   * Writes the tag of an empty plaintext with the AAD {@code aad[aadOff, aadOff+aadLen) ‖ moreAad}
   * (the message header tag) into {@code out} at {@code outOff}, reading the AAD in place.
   */
  public static void tag(
      SecretKey key,
      byte[] iv,
      byte[] aad,
      int aadOff,
      int aadLen,
      byte[] moreAad,
      byte[] out,
      int outOff) {
    headerTag(Cipher.ENCRYPT_MODE, key, iv, 0, aad, aadOff, aadLen, moreAad, out, outOff);
  }

  /**
   * Verifies a tag computed over an empty plaintext with the AAD {@code aad[aadOff, aadOff+aadLen)
   * ‖ moreAad} (the message header tag), reading everything in place.
   */
  public static boolean verifyTag(
      SecretKey key,
      byte[] iv,
      int ivOff,
      byte[] aad,
      int aadOff,
      int aadLen,
      byte[] moreAad,
      byte[] tag,
      int tagOff) {
    return headerTag(
        Cipher.DECRYPT_MODE, key, iv, ivOff, aad, aadOff, aadLen, moreAad, tag, tagOff);
  }

  /** GCM over an empty plaintext: writes the tag, or checks it (false if it does not verify). */
  private static boolean headerTag(
      int mode,
      SecretKey key,
      byte[] iv,
      int ivOff,
      byte[] aad,
      int aadOff,
      int aadLen,
      byte[] moreAad,
      byte[] tag,
      int tagOff) {
    Cipher c = CIPHER.acquire();
    try {
      c.init(mode, key, new GCMParameterSpec(128, iv, ivOff, IV_LENGTH));
      c.updateAAD(aad, aadOff, aadLen);
      if (moreAad.length > 0) {
        c.updateAAD(moreAad);
      }
      if (mode == Cipher.ENCRYPT_MODE) {
        c.doFinal(EMPTY, 0, 0, tag, tagOff);
      } else {
        c.doFinal(tag, tagOff, TAG_LENGTH, EMPTY, 0);
      }
      return true;
    } catch (AEADBadTagException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
    } finally {
      CIPHER.release(c);
    }
  }

  /**
   * Unwraps a key: decrypts ciphertext‖tag into a new array (key-wrapping cipher).
   *
   * @return the plaintext, or {@code null} if the tag does not verify
   */
  public static byte[] unwrap(SecretKey key, byte[] iv, byte[] aad, byte[] ciphertextAndTag) {
    if (ciphertextAndTag.length < TAG_LENGTH) {
      return null;
    }
    byte[] out = new byte[ciphertextAndTag.length - TAG_LENGTH];
    int n =
        run(
            WRAP_CIPHER,
            Cipher.DECRYPT_MODE,
            key,
            iv,
            0,
            aad,
            ciphertextAndTag,
            0,
            ciphertextAndTag.length,
            out,
            0);
    return n < 0 ? null : out;
  }
}
