package dev.mrkenvelope.materials;

/** Why a cache entry was retired, with its {@code mrkenvelope.cache.evictions} tag. */
enum EvictionCause {
  /** The cache was at capacity. */
  SIZE("size"),
  /** The entry reached {@code maxAge}. */
  EXPIRED("expired"),
  /** The entry reached its message or byte limit. */
  LIMIT("limit");

  final String tag;

  EvictionCause(String tag) {
    this.tag = tag;
  }
}
