package dev.mrkenvelope;

import dev.mrkenvelope.internal.Hkdf;
import dev.mrkenvelope.internal.Reusable;
import javax.crypto.Mac;

/**
 * The eleven algorithm suites of the AWS Encryption SDK message format, with their ESDK names and
 * two-byte suite IDs.
 *
 * <p>Every suite encrypts with AES-GCM (12-byte IV, 16-byte tag). They differ in the AES key size,
 * the key derivation (none, HKDF with SHA-256/384, or HKDF-SHA-512 with key commitment) and whether
 * the message carries an ECDSA signature in its footer. {@link #AES_256_GCM_HKDF_SHA512_COMMIT_KEY}
 * and {@link #AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384} are written with message format
 * version 2; all others with version 1. Every suite can be read.
 *
 * <p>The default, as in the ESDK, is {@link #AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384}. Choose
 * {@link #AES_256_GCM_HKDF_SHA512_COMMIT_KEY} when every reader is trusted to hold the data key and
 * speed matters: signing costs a fresh P-384 key pair, a signature and a verification per message.
 *
 * <p>Immutable and thread-safe.
 */
public enum AlgorithmSuite {
  AES_128_GCM_IV12_TAG16_NO_KDF(0x0014, 1, 16, Kdf.IDENTITY, Signing.NONE),
  AES_192_GCM_IV12_TAG16_NO_KDF(0x0046, 1, 24, Kdf.IDENTITY, Signing.NONE),
  AES_256_GCM_IV12_TAG16_NO_KDF(0x0078, 1, 32, Kdf.IDENTITY, Signing.NONE),
  AES_128_GCM_IV12_TAG16_HKDF_SHA256(0x0114, 1, 16, Kdf.HKDF_SHA256, Signing.NONE),
  AES_192_GCM_IV12_TAG16_HKDF_SHA256(0x0146, 1, 24, Kdf.HKDF_SHA256, Signing.NONE),
  AES_256_GCM_IV12_TAG16_HKDF_SHA256(0x0178, 1, 32, Kdf.HKDF_SHA256, Signing.NONE),
  AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256(0x0214, 1, 16, Kdf.HKDF_SHA256, Signing.ECDSA_P256),
  AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384(0x0346, 1, 24, Kdf.HKDF_SHA384, Signing.ECDSA_P384),
  AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384(0x0378, 1, 32, Kdf.HKDF_SHA384, Signing.ECDSA_P384),
  AES_256_GCM_HKDF_SHA512_COMMIT_KEY(0x0478, 2, 32, Kdf.HKDF_SHA512_COMMIT, Signing.NONE),
  AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384(
      0x0578, 2, 32, Kdf.HKDF_SHA512_COMMIT, Signing.ECDSA_P384);

  /** How the AES key is derived from the data key. */
  enum Kdf {
    IDENTITY(null),
    HKDF_SHA256("HmacSHA256"),
    HKDF_SHA384("HmacSHA384"),
    HKDF_SHA512_COMMIT("HmacSHA512");

    /** The reusable HMACs of this derivation; null for {@link #IDENTITY}. */
    final Reusable<Mac> macs;

    Kdf(String macAlgorithm) {
      this.macs = macAlgorithm == null ? null : Hkdf.macs(macAlgorithm);
    }
  }

  /** The footer signature, if any; curves and hashes live in {@code internal.Ecdsa}. */
  enum Signing {
    NONE,
    ECDSA_P256,
    ECDSA_P384
  }

  private static final AlgorithmSuite[] V1_BY_ID = new AlgorithmSuite[0x0400];

  static {
    for (AlgorithmSuite s : values()) {
      if (s.messageFormatVersion == 1) {
        V1_BY_ID[s.id] = s;
      }
    }
  }

  private final int id;
  private final int messageFormatVersion;
  private final int dataKeyLength;
  private final Kdf kdf;
  private final Signing signing;

  AlgorithmSuite(int id, int messageFormatVersion, int dataKeyLength, Kdf kdf, Signing signing) {
    this.id = id;
    this.messageFormatVersion = messageFormatVersion;
    this.dataKeyLength = dataKeyLength;
    this.kdf = kdf;
    this.signing = signing;
  }

  /** The two-byte suite ID written in the message header, e.g. {@code 0x0478}. */
  public int id() {
    return id;
  }

  /** The message format version this suite is written with: 1 or 2. */
  public int messageFormatVersion() {
    return messageFormatVersion;
  }

  /**
   * The length in bytes of the data key a keyring must produce (the KDF input), equal to the AES
   * key length: 16, 24 or 32.
   */
  public int dataKeyLength() {
    return dataKeyLength;
  }

  /** Whether the suite commits to its key (message format v2, 0x0478 and 0x0578). */
  public boolean isCommitting() {
    return kdf == Kdf.HKDF_SHA512_COMMIT;
  }

  /** Whether messages of this suite carry an ECDSA signature in their footer. */
  public boolean isSigning() {
    return signing != Signing.NONE;
  }

  /**
   * Whether the data key goes through a KDF. Only such suites may be cached: with the identity KDF
   * a reused data key would reuse the AES key, and GCM IVs restart at 1 in every message.
   */
  public boolean hasKdf() {
    return kdf != Kdf.IDENTITY;
  }

  /** The length in bytes of the message ID in the header: 16 (v1) or 32 (v2). */
  public int messageIdLength() {
    return messageFormatVersion == 2 ? 32 : 16;
  }

  Kdf kdf() {
    return kdf;
  }

  Signing signing() {
    return signing;
  }

  /**
   * Looks up a suite by its header version and suite ID.
   *
   * @return the suite, or {@code null} if the pair names no ESDK suite (a v1 header naming 0x0478
   *     is such a pair)
   */
  static AlgorithmSuite forHeader(int version, int id) {
    if (version == 1) {
      return id >= 0 && id < V1_BY_ID.length ? V1_BY_ID[id] : null;
    }
    if (version == 2) {
      if (id == 0x0478) {
        return AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
      }
      if (id == 0x0578) {
        return AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
      }
    }
    return null;
  }

  /**
   * Returns the suite with the given ID, for configuration and tests.
   *
   * @throws IllegalArgumentException if no ESDK suite has that ID
   */
  public static AlgorithmSuite fromId(int id) {
    for (AlgorithmSuite s : values()) {
      if (s.id == id) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            "no ESDK algorithm suite has ID 0x%04X; use one of AlgorithmSuite.values()", id));
  }
}
