package dev.mrkenvelope.internal;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM with a 12-byte IV and 16-byte tag on a per-thread JCA {@link Cipher}: SunJCE uses the
 * AES-NI and CLMUL intrinsics, and reusing the {@code Cipher} avoids a provider lookup per call.
 */
public final class AesGcm {
  public static final int IV_LENGTH = 12;
  public static final int TAG_LENGTH = 16;

  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("this JVM has no AES/GCM/NoPadding cipher", e);
            }
          });

  private AesGcm() {}

  /**
   * Encrypts {@code in[inOff, inOff+len)} into {@code out} at {@code outOff} as ciphertext‖tag.
   *
   * @return the number of bytes written ({@code len + 16})
   */
  public static int encrypt(
      SecretKey key, byte[] iv, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    Cipher c = CIPHER.get();
    try {
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      if (aad != null && aad.length > 0) {
        c.updateAAD(aad);
      }
      return c.doFinal(in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
    }
  }

  /** Encrypts and returns ciphertext‖tag in a new array. */
  public static byte[] encrypt(SecretKey key, byte[] iv, byte[] aad, byte[] plaintext) {
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    encrypt(key, iv, aad, plaintext, 0, plaintext.length, out, 0);
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
    Cipher c = CIPHER.get();
    try {
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv, ivOff, IV_LENGTH));
      if (aad != null && aad.length > 0) {
        c.updateAAD(aad);
      }
      return c.doFinal(in, inOff, len, out, outOff);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts ciphertext‖tag into a new array.
   *
   * @return the plaintext, or {@code null} if the tag does not verify
   */
  public static byte[] decrypt(SecretKey key, byte[] iv, byte[] aad, byte[] ciphertextAndTag) {
    if (ciphertextAndTag.length < TAG_LENGTH) {
      return null;
    }
    byte[] out = new byte[ciphertextAndTag.length - TAG_LENGTH];
    int n = decrypt(key, iv, 0, aad, ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
    return n < 0 ? null : out;
  }
}
