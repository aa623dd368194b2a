package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;

/**
 * The security limits of the ESDK caching CMM, and the rules that apply them to cache entries:
 * {@code maxAge} for every entry; {@code maxMessagesPerKey} and {@code maxBytesPerKey} for
 * encryption entries, reserved per message by compare-and-set so that no thread interleaving can
 * exceed them; and when refresh-ahead is on, the age from which an encryption entry is replaced
 * before it expires. Immutable and thread-safe.
 */
final class UsageBudget {
  final long maxAgeNanos;
  final long maxMessages;
  final long maxBytes;

  /** Refresh an encryption entry once it is this close to {@code maxAge}; 0 = never. */
  final long refreshAheadNanos;

  UsageBudget(long maxAgeNanos, long maxMessages, long maxBytes, long refreshAheadNanos) {
    this.maxAgeNanos = maxAgeNanos;
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.refreshAheadNanos = refreshAheadNanos;
  }

  /**
   * Whether an encrypt goes straight to the wrapped manager: its length is unknown or alone exceeds
   * the byte limit, or its suite has no KDF (an identity-KDF data key is the content key).
   */
  boolean bypasses(EncryptionMaterialsRequest request) {
    if (request.plaintextLength().isEmpty() || request.plaintextLength().getAsLong() > maxBytes) {
      return true;
    }
    AlgorithmSuite suite = request.algorithmSuite().orElse(null);
    return suite != null && !suite.hasKdf();
  }

  /**
   * Reserves one message of {@code n} bytes on an encryption entry.
   *
   * @return null if reserved, otherwise why the entry is now retired (for good)
   */
  EvictionCause reserve(CacheEntry<?> e, long n, long now) {
    if (now - e.createdNanos >= maxAgeNanos) {
      e.messages.set(Long.MAX_VALUE);
      return EvictionCause.EXPIRED;
    }
    while (true) {
      long m = e.messages.get();
      if (m >= maxMessages) {
        return EvictionCause.LIMIT;
      }
      if (e.messages.compareAndSet(m, m + 1)) {
        break;
      }
    }
    while (true) {
      long b = e.bytes.get();
      if (n > maxBytes - b) {
        // This message does not fit: the entry is past its limit for good (as in the ESDK).
        e.messages.set(Long.MAX_VALUE);
        return EvictionCause.LIMIT;
      }
      if (e.bytes.compareAndSet(b, b + n)) {
        return null;
      }
    }
  }

  /**
   * Checks a decryption entry, which is limited by age only.
   *
   * @return null if usable, otherwise {@link EvictionCause#EXPIRED}
   */
  EvictionCause checkAge(CacheEntry<?> e, long now) {
    return now - e.createdNanos < maxAgeNanos ? null : EvictionCause.EXPIRED;
  }

  /** Whether an encryption entry is old enough to be replaced ahead of its expiry. */
  boolean refreshDue(CacheEntry<?> e, long now) {
    return refreshAheadNanos > 0 && now - e.createdNanos >= maxAgeNanos - refreshAheadNanos;
  }
}
