package dev.mrkenvelope.materials;

import dev.mrkenvelope.EnvelopeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Single-flight loading over a concurrent map of futures, for encryption and decryption entries
 * alike. When several threads need the same entry (absent, expired or exhausted), exactly one calls
 * the wrapped manager, outside any lock, and the others wait for its result, or share its failure
 * (failures are never cached). Different keys load in parallel.
 *
 * <p>With refresh-ahead, the first thread that finds an encryption entry close to its expiry loads
 * its successor while every other thread keeps using the old entry: the key's slot becomes a {@link
 * RefreshSlot}, still loading, that remembers the old entry, and arrivals reserve their use on that
 * entry until it is spent or the successor is ready. An entry has at most one successor, whether it
 * was claimed for a refresh or because the entry was spent, and a loading slot never expires, so
 * there is one load at a time per key.
 *
 * <p>Thread-safe: all state is in the map, the entries' atomics and the futures.
 */
final class SingleFlightLoader {
  /** The slot of a refresh in flight: the entry it replaces keeps serving until it is ready. */
  static final class RefreshSlot extends CompletableFuture<CacheEntry<?>> {
    final CacheEntry<?> previous;

    RefreshSlot(CacheEntry<?> previous) {
      this.previous = previous;
    }
  }

  /** What one request needs from the cache; implemented for encrypt and for decrypt. */
  interface Request<M> {
    /** Calls the wrapped manager for materials to cache. */
    M fetch();

    /** Calls the wrapped manager for this request alone, when the materials must not be cached. */
    M fetchUncached();

    /** Whether {@code loaded} may be cached and shared. */
    boolean cacheable(M loaded);

    /**
     * Reserves this request's use of {@code entry}.
     *
     * @return null if reserved, otherwise why the entry is retired
     */
    EvictionCause reserve(CacheEntry<M> entry, long now);

    /**
     * An entry for materials this request loaded, counting this request's own use if {@code
     * counted}.
     */
    CacheEntry<M> entry(M loaded, long now, boolean counted);

    /** Whether an entry this request reserved should now be replaced ahead of its expiry. */
    boolean refreshDue(CacheEntry<M> entry, long now);
  }

  private final ConcurrentMap<CacheKey, CompletableFuture<CacheEntry<?>>> entries;
  private final LongSupplier ticker;
  private final CacheMetrics metrics;

  SingleFlightLoader(
      ConcurrentMap<CacheKey, CompletableFuture<CacheEntry<?>>> entries,
      LongSupplier ticker,
      CacheMetrics metrics) {
    this.entries = entries;
    this.ticker = ticker;
    this.metrics = metrics;
  }

  /** Returns cached or freshly loaded materials for {@code key}. */
  <M> M get(CacheKey key, Request<M> request) {
    CompletableFuture<CacheEntry<?>> slot = entries.get(key);
    while (true) {
      if (slot == null) {
        CompletableFuture<CacheEntry<?>> mine = new CompletableFuture<>();
        slot = entries.putIfAbsent(key, mine);
        if (slot == null) {
          return load(key, mine, request, true);
        }
        continue;
      }
      if (slot instanceof RefreshSlot && !slot.isDone()) {
        @SuppressWarnings("unchecked") // a key's entries all hold one kind of materials
        CacheEntry<M> previous = (CacheEntry<M>) ((RefreshSlot) slot).previous;
        if (request.reserve(previous, ticker.getAsLong()) == null) {
          metrics.hit();
          return previous.materials;
        }
        // The old entry is spent: wait for the refresh like any load.
      }
      CacheEntry<M> entry = await(key, slot);
      if (entry.isUncacheable()) {
        return request.fetchUncached();
      }
      long now = ticker.getAsLong();
      EvictionCause refused = request.reserve(entry, now);
      if (refused == null) {
        if (request.refreshDue(entry, now)) {
          RefreshSlot next = new RefreshSlot(entry);
          if (entry.successor.compareAndSet(null, next)) {
            if (!refresh(key, slot, entry, next, request)) {
              metrics.hit(); // another load was under way: this request was simply served
            }
            return entry.materials;
          }
        }
        metrics.hit();
        return entry.materials;
      }
      CompletableFuture<CacheEntry<?>> next = new CompletableFuture<>();
      if (entry.successor.compareAndSet(null, next)) {
        metrics.evicted(refused);
        CompletableFuture<CacheEntry<?>> current = install(key, slot, next);
        if (current == null) {
          return load(key, next, request, true);
        }
        slot = current;
        continue;
      }
      // Another thread is loading this entry's successor (a refresh or a replacement): wait for it.
      slot = entry.successor.get();
    }
  }

  /**
   * Makes {@code next} the key's slot in place of {@code old}, unless another thread already
   * started a load for the key (after the old slot left the map): then {@code next} will complete
   * with that load's entry, and that slot is returned so the caller waits for it instead of loading
   * a second time.
   *
   * @return null if {@code next} is the key's slot now, otherwise the slot to wait for
   */
  private CompletableFuture<CacheEntry<?>> install(
      CacheKey key, CompletableFuture<CacheEntry<?>> old, CompletableFuture<CacheEntry<?>> next) {
    if (entries.replace(key, old, next)) {
      return null;
    }
    CompletableFuture<CacheEntry<?>> current = entries.putIfAbsent(key, next);
    if (current == null || current == next) {
      return null;
    }
    current.thenAccept(next::complete);
    return current;
  }

  /** Loads into {@code slot}, which this thread owns, and returns the materials. */
  private <M> M load(
      CacheKey key, CompletableFuture<CacheEntry<?>> slot, Request<M> request, boolean counted) {
    metrics.miss();
    M materials;
    try {
      materials = request.fetch();
    } catch (RuntimeException | Error e) {
      // Drop the failed load; threads waiting on it get the same failure. The slot completes
      // normally with the failure inside, so the cache never logs it.
      entries.remove(key, slot);
      slot.complete(CacheEntry.failed(e));
      throw e;
    }
    if (request.cacheable(materials)) {
      slot.complete(request.entry(materials, ticker.getAsLong(), counted));
    } else {
      entries.remove(key, slot);
      slot.complete(CacheEntry.uncacheable());
    }
    return materials;
  }

  /**
   * Loads the successor of {@code old} ahead of its expiry, while other threads keep using it; the
   * caller's own message was reserved on {@code old}. A failed refresh is forgotten (the next
   * thread in the refresh window tries again) and the old entry stays in use until it expires.
   *
   * @return whether this call loaded (false: another load for the key was already under way)
   */
  private <M> boolean refresh(
      CacheKey key,
      CompletableFuture<CacheEntry<?>> oldSlot,
      CacheEntry<M> old,
      RefreshSlot next,
      Request<M> request) {
    if (install(key, oldSlot, next) != null) {
      return false; // the old entry's successor shares the load under way
    }
    try {
      load(key, next, request, false);
    } catch (RuntimeException | Error e) {
      old.successor.compareAndSet(next, null);
      entries.putIfAbsent(key, oldSlot);
      return true;
    }
    if (next.join().isUncacheable()) {
      entries.putIfAbsent(key, oldSlot);
    }
    return true;
  }

  /**
   * Waits for a slot's entry; rethrows the failure of the load that filled it, if any (and drops
   * the failed slot, should it still be in the map).
   */
  @SuppressWarnings("unchecked")
  private <M> CacheEntry<M> await(CacheKey key, CompletableFuture<CacheEntry<?>> slot) {
    CacheEntry<M> entry = (CacheEntry<M>) slot.join(); // slots always complete normally
    Throwable failure = entry.failure;
    if (failure == null) {
      return entry;
    }
    entries.remove(key, slot);
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    throw new EnvelopeException("loading materials into the cache failed", failure);
  }
}
