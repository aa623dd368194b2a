package dev.mrkenvelope.materials;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One cached value: materials with the time they were fetched and their usage so far, or the
 * failure of the load that was to produce them (never kept in the cache), or the mark that the
 * loaded materials must not be cached. Usage is reserved by compare-and-set ({@link UsageBudget}).
 *
 * @param <M> encryption or decryption materials
 */
final class CacheEntry<M> {
  private static final CacheEntry<Object> UNCACHEABLE = new CacheEntry<>(null, null, 0, 0, 0);

  final M materials;
  final Throwable failure;
  final long createdNanos;

  /** Messages encrypted so far; {@link Long#MAX_VALUE} once the entry is retired. */
  final AtomicLong messages;

  /** Plaintext bytes encrypted so far. */
  final AtomicLong bytes;

  /**
   * The load that replaces this entry, once one thread claimed it (on refusal or refresh-ahead);
   * everyone else who needs a replacement waits for that one.
   */
  final AtomicReference<CompletableFuture<CacheEntry<?>>> successor = new AtomicReference<>();

  private CacheEntry(M materials, Throwable failure, long createdNanos, long messages, long bytes) {
    this.materials = materials;
    this.failure = failure;
    this.createdNanos = createdNanos;
    this.messages = new AtomicLong(messages);
    this.bytes = new AtomicLong(bytes);
  }

  /**
   * Fresh materials, with the usage already counted for the message of the thread that loaded them.
   */
  static <M> CacheEntry<M> of(M materials, long createdNanos, long messages, long bytes) {
    return new CacheEntry<>(materials, null, createdNanos, messages, bytes);
  }

  /** Completes a load that failed; the threads waiting for it get the same failure. */
  static <M> CacheEntry<M> failed(Throwable failure) {
    return new CacheEntry<>(null, failure, 0, Long.MAX_VALUE, 0);
  }

  /** Completes a load whose materials must not be shared: everyone asks the wrapped manager. */
  @SuppressWarnings("unchecked")
  static <M> CacheEntry<M> uncacheable() {
    return (CacheEntry<M>) UNCACHEABLE;
  }

  boolean isUncacheable() {
    return this == UNCACHEABLE;
  }
}
