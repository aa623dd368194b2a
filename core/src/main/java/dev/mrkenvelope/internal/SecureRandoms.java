package dev.mrkenvelope.internal;

import java.security.SecureRandom;

/** The one CSPRNG used for data keys, message IDs, IVs and signing keys. */
public final class SecureRandoms {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecureRandoms() {}

  public static SecureRandom get() {
    return RANDOM;
  }

  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
