package dev.mrkenvelope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Options of one decrypt: {@link EnvelopeClient#decrypt(byte[], DecryptOptions)} and {@link
 * EnvelopeClient#decryptingStream(java.io.InputStream, DecryptOptions)}.
 *
 * <p>{@link #unsignedOnly()} is for callers that act on plaintext as it arrives: a decrypting
 * stream releases each frame once its GCM tag verifies, but the signature of a signed message can
 * only be checked at its end. Refusing signed messages up front means everything released is all
 * the authentication there will ever be. (The ESDK offers the same choice.)
 *
 * <p>The {@code withMax…} methods override the client's decrypt limits for this call only, e.g. a
 * larger {@code maxFrameLength} for one known producer; limits not set here are the client's. The
 * limits and their defaults are described in the README ("Decrypt limits").
 *
 * <p>Immutable and thread-safe.
 */
public final class DecryptOptions {
  private static final int UNSET = -1;
  private static final DecryptOptions DEFAULTS =
      new DecryptOptions(false, Map.of(), UNSET, UNSET, UNSET);
  private static final DecryptOptions UNSIGNED_ONLY =
      new DecryptOptions(true, Map.of(), UNSET, UNSET, UNSET);

  private final boolean unsignedOnly;
  private final Map<String, String> reproducedContext;
  private final int maxHeaderSize;
  private final int maxFrameLength;
  private final long maxBodySize;

  private DecryptOptions(
      boolean unsignedOnly,
      Map<String, String> reproducedContext,
      int maxHeaderSize,
      int maxFrameLength,
      long maxBodySize) {
    this.unsignedOnly = unsignedOnly;
    this.reproducedContext = reproducedContext;
    this.maxHeaderSize = maxHeaderSize;
    this.maxFrameLength = maxFrameLength;
    this.maxBodySize = maxBodySize;
  }

  /**
   * Accept every suite the commitment policy allows; no reproduced context; the client's limits.
   */
  public static DecryptOptions defaults() {
    return DEFAULTS;
  }

  /** Refuse signed messages with a {@link PolicyException} as soon as the header is read. */
  public static DecryptOptions unsignedOnly() {
    return UNSIGNED_ONLY;
  }

  /**
   * These options plus a reproduced encryption context (see {@link EnvelopeClient#decrypt(byte[],
   * Map)}).
   */
  public DecryptOptions withReproducedContext(Map<String, String> reproducedContext) {
    Objects.requireNonNull(reproducedContext, "reproducedContext");
    return new DecryptOptions(
        unsignedOnly,
        Collections.unmodifiableMap(new LinkedHashMap<>(reproducedContext)),
        maxHeaderSize,
        maxFrameLength,
        maxBodySize);
  }

  /**
   * These options with another header size limit for this call.
   *
   * @see EnvelopeClient.Builder#maxHeaderSize(int)
   */
  public DecryptOptions withMaxHeaderSize(int maxHeaderSize) {
    return new DecryptOptions(
        unsignedOnly,
        reproducedContext,
        DecryptLimits.checkMaxHeaderSize(maxHeaderSize),
        maxFrameLength,
        maxBodySize);
  }

  /**
   * These options with another frame length limit for this call.
   *
   * @see EnvelopeClient.Builder#maxFrameLength(int)
   */
  public DecryptOptions withMaxFrameLength(int maxFrameLength) {
    return new DecryptOptions(
        unsignedOnly,
        reproducedContext,
        maxHeaderSize,
        DecryptLimits.checkMaxFrameLength(maxFrameLength),
        maxBodySize);
  }

  /**
   * These options with another body size limit for this call.
   *
   * @see EnvelopeClient.Builder#maxBodySize(long)
   */
  public DecryptOptions withMaxBodySize(long maxBodySize) {
    return new DecryptOptions(
        unsignedOnly,
        reproducedContext,
        maxHeaderSize,
        maxFrameLength,
        DecryptLimits.checkMaxBodySize(maxBodySize));
  }

  /** Whether signed messages are refused. */
  public boolean isUnsignedOnly() {
    return unsignedOnly;
  }

  /** The reproduced encryption context; empty when none was given. */
  public Map<String, String> reproducedContext() {
    return reproducedContext;
  }

  /** The header size limit of this call; empty means the client's. */
  public OptionalInt maxHeaderSize() {
    return maxHeaderSize == UNSET ? OptionalInt.empty() : OptionalInt.of(maxHeaderSize);
  }

  /** The frame length limit of this call; empty means the client's. */
  public OptionalInt maxFrameLength() {
    return maxFrameLength == UNSET ? OptionalInt.empty() : OptionalInt.of(maxFrameLength);
  }

  /** The body size limit of this call; empty means the client's. */
  public OptionalLong maxBodySize() {
    return maxBodySize == UNSET ? OptionalLong.empty() : OptionalLong.of(maxBodySize);
  }

  /** {@link #unsignedOnly()}: refuse a signed message as soon as its suite is read. */
  static void checkUnsigned(AlgorithmSuite suite) {
    if (suite.isSigning()) {
      throw new PolicyException(
          "the message is signed ("
              + suite
              + ") but DecryptOptions.unsignedOnly() was given;"
              + " decrypt it with the default options");
    }
  }

  boolean hasLimits() {
    return maxHeaderSize != UNSET || maxFrameLength != UNSET || maxBodySize != UNSET;
  }
}
