package dev.mrkenvelope.materials;

import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Expires a cache entry {@code maxAge} after its materials were fetched ({@link
 * CacheEntry#createdNanos}), not after it was last written to the map: an entry put back after a
 * failed refresh keeps its original deadline, and the background clean-up removes it on time.
 */
final class EntryExpiry implements Expiry<CacheKey, CacheEntry<?>> {
  private final long maxAgeNanos;

  EntryExpiry(long maxAgeNanos) {
    this.maxAgeNanos = maxAgeNanos;
  }

  private long remaining(CacheEntry<?> entry, long now) {
    // Failed and uncacheable entries (createdNanos 0) are never meant to stay: expire at once.
    return entry.materials == null ? 0 : Math.max(0, maxAgeNanos - (now - entry.createdNanos));
  }

  @Override
  public long expireAfterCreate(CacheKey key, CacheEntry<?> entry, long currentTime) {
    return remaining(entry, currentTime);
  }

  @Override
  public long expireAfterUpdate(
      CacheKey key, CacheEntry<?> entry, long currentTime, long currentDuration) {
    return remaining(entry, currentTime);
  }

  @Override
  public long expireAfterRead(
      CacheKey key, CacheEntry<?> entry, long currentTime, long currentDuration) {
    return currentDuration;
  }
}
