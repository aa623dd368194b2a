package dev.mrkenvelope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of {@link EnvelopeClient#decryptingStream(java.io.InputStream, DecryptOptions)}.
 *
 * <p>{@link #unsignedOnly()} is for callers that act on plaintext as it arrives: a decrypting
 * stream releases each frame once its GCM tag verifies, but the signature of a signed message can
 * only be checked at its end. Refusing signed messages up front means everything released is all
 * the authentication there will ever be. (The ESDK offers the same choice.)
 *
 * <p>Immutable and thread-safe.
 */
public final class DecryptOptions {
  private static final DecryptOptions DEFAULTS = new DecryptOptions(false, Map.of());
  private static final DecryptOptions UNSIGNED_ONLY = new DecryptOptions(true, Map.of());

  private final boolean unsignedOnly;
  private final Map<String, String> reproducedContext;

  private DecryptOptions(boolean unsignedOnly, Map<String, String> reproducedContext) {
    this.unsignedOnly = unsignedOnly;
    this.reproducedContext = reproducedContext;
  }

  /** Accept every suite the commitment policy allows; no reproduced context. */
  public static DecryptOptions defaults() {
    return DEFAULTS;
  }

  /** Refuse signed messages with a {@link PolicyException} as soon as the header is read. */
  public static DecryptOptions unsignedOnly() {
    return UNSIGNED_ONLY;
  }

  /** These options plus a reproduced encryption context (see {@link EnvelopeClient#decrypt(byte[], Map)}). */
  public DecryptOptions withReproducedContext(Map<String, String> reproducedContext) {
    Objects.requireNonNull(reproducedContext, "reproducedContext");
    return new DecryptOptions(
        unsignedOnly, Collections.unmodifiableMap(new LinkedHashMap<>(reproducedContext)));
  }

  public boolean isUnsignedOnly() {
    return unsignedOnly;
  }

  public Map<String, String> reproducedContext() {
    return reproducedContext;
  }
}
