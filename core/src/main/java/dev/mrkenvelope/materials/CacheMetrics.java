package dev.mrkenvelope.materials;

import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The cache's meters: {@code mrkenvelope.cache.gets} {result=hit|miss} and {@code
 * mrkenvelope.cache.evictions} {cause=size|expired|limit}. {@link #NONE} records nothing, for a
 * manager built without a registry. Thread-safe.
 */
final class CacheMetrics {
  private static final String GETS = "mrkenvelope.cache.gets";
  private static final String EVICTIONS = "mrkenvelope.cache.evictions";

  /** Records nothing; no meters exist. */
  static final CacheMetrics NONE = new CacheMetrics();

  private final Counter hit;
  private final Counter miss;
  private final Counter[] evictions;

  private CacheMetrics() {
    this.hit = null;
    this.miss = null;
    this.evictions = null;
  }

  private CacheMetrics(MeterRegistry registry) {
    hit = gets(registry, "hit");
    miss = gets(registry, "miss");
    evictions = new Counter[EvictionCause.values().length];
    for (EvictionCause c : EvictionCause.values()) {
      evictions[c.ordinal()] =
          Counter.builder(EVICTIONS)
              .description(
                  "Data-key cache entries retired, by cause: size (capacity reached), expired"
                      + " (maxAge passed), limit (message or byte limit reached)")
              .tag("cause", c.tag)
              .register(registry);
    }
  }

  /** Meters in {@code registry}, or {@link #NONE} for null. */
  static CacheMetrics of(MeterRegistry registry) {
    return registry == null ? NONE : new CacheMetrics(registry);
  }

  private static Counter gets(MeterRegistry registry, String result) {
    return Counter.builder(GETS)
        .description(
            "Data-key cache lookups: hit (served from the cache) or miss (the wrapped keyring or"
                + " materials manager was called)")
        .tag("result", result)
        .register(registry);
  }

  void hit() {
    if (hit != null) {
      hit.increment();
    }
  }

  void miss() {
    if (miss != null) {
      miss.increment();
    }
  }

  void evicted(EvictionCause cause) {
    if (evictions != null) {
      evictions[cause.ordinal()].increment();
    }
  }

  /** Caffeine's own removals; replacements and explicit removals are not evictions. */
  void evicted(RemovalCause cause) {
    if (cause == RemovalCause.SIZE) {
      evicted(EvictionCause.SIZE);
    } else if (cause == RemovalCause.EXPIRED) {
      evicted(EvictionCause.EXPIRED);
    }
  }
}
