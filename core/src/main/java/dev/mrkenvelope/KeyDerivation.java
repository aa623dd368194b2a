package dev.mrkenvelope;

import dev.mrkenvelope.internal.Hkdf;
import dev.mrkenvelope.internal.Reusable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-message key derivation of each suite (ESDK message format):
 *
 * <ul>
 *   <li>identity suites: the AES key is the data key;
 *   <li>v1 HKDF suites: HKDF-SHA256/384 with no salt, info {@code u16 suiteId ‖ messageId(16)};
 *   <li>committing suites: {@code PRK = HMAC-SHA512(messageId(32), dataKey)}, AES key {@code =
 *       Expand(PRK, u16 suiteId ‖ "DERIVEKEY", 32)}, commit key {@code = Expand(PRK, "COMMITKEY",
 *       32)}.
 * </ul>
 */
final class KeyDerivation {
  private static final byte[] DERIVEKEY = "DERIVEKEY".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMMITKEY = "COMMITKEY".getBytes(StandardCharsets.US_ASCII);

  /** The message's AES key and, for committing suites, its commit key. */
  static final class DerivedKeys {
    final SecretKeySpec encryptionKey;
    final byte[] commitKey;

    DerivedKeys(SecretKeySpec encryptionKey, byte[] commitKey) {
      this.encryptionKey = encryptionKey;
      this.commitKey = commitKey;
    }
  }

  private KeyDerivation() {}

  /**
   * {@code u16 suiteId ‖ "DERIVEKEY"} per committing suite (by ordinal), the same for every
   * message. Only ever read.
   */
  private static final byte[][] DERIVE_INFO = new byte[AlgorithmSuite.values().length][];

  static {
    for (AlgorithmSuite s : AlgorithmSuite.values()) {
      if (s.kdf() == AlgorithmSuite.Kdf.HKDF_SHA512_COMMIT) {
        DERIVE_INFO[s.ordinal()] = suiteIdThen(s.id(), DERIVEKEY);
      }
    }
  }

  /** {@code u16 suiteId ‖ rest}: the HKDF info of both derivations. */
  private static byte[] suiteIdThen(int suiteId, byte[] rest) {
    byte[] info = new byte[2 + rest.length];
    BigEndian.putU16(info, 0, suiteId);
    System.arraycopy(rest, 0, info, 2, rest.length);
    return info;
  }

  private static void zero(byte[] secret) {
    if (secret != null) {
      Arrays.fill(secret, (byte) 0);
    }
  }

  static DerivedKeys derive(AlgorithmSuite suite, byte[] dataKey, byte[] messageId) {
    AlgorithmSuite.Kdf kdf = suite.kdf();
    if (kdf == AlgorithmSuite.Kdf.IDENTITY) {
      return new DerivedKeys(new SecretKeySpec(dataKey, "AES"), null);
    }
    Reusable<Mac> macs = kdf.macs;
    Mac mac = macs.acquire();
    byte[] prk = null;
    byte[] key = null;
    try {
      if (kdf == AlgorithmSuite.Kdf.HKDF_SHA512_COMMIT) {
        prk = Hkdf.extract(mac, messageId, dataKey);
        Hkdf.keyWith(mac, prk); // one HMAC key set-up for both expansions
        key = Hkdf.expandKeyed(mac, DERIVE_INFO[suite.ordinal()], 32);
        byte[] commit = Hkdf.expandKeyed(mac, COMMITKEY, 32);
        return new DerivedKeys(new SecretKeySpec(key, "AES"), commit);
      }
      prk = Hkdf.extract(mac, null, dataKey);
      key = Hkdf.expand(mac, prk, suiteIdThen(suite.id(), messageId), suite.dataKeyLength());
      return new DerivedKeys(new SecretKeySpec(key, "AES"), null);
    } finally {
      macs.release(mac);
      zero(prk);
      zero(key);
    }
  }
}
