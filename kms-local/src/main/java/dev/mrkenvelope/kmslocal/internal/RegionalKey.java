package dev.mrkenvelope.kmslocal.internal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One key in one Region: the per-replica properties (state, policy, description, tags, grants,
 * deletion schedule) over a shared {@link KeyFamily}.
 *
 * <p>Thread safety: fields are volatile (or concurrent) so the data path reads them without
 * locking; they are written only while holding the store lock. The one exception is the lazy {@code
 * Creating} → {@code Enabled} step of a new replica, a compare-and-set any reader may make.
 */
final class RegionalKey {
  static final String CREATING = "Creating";
  static final String ENABLED = "Enabled";

  final KeyFamily family;
  final String region;
  final String arn;
  final Instant created;
  final long sequence;
  private final AtomicReference<String> state;
  private final long creatingUntilNanos;
  volatile String description;
  volatile KeyPolicy policy;
  volatile Map<String, String> tags;
  volatile Instant deletionDate;
  volatile int pendingWindowDays;

  /** Grants on this replica by grant id; grants are never shared between replicas. */
  final Map<String, Grant> grants = new ConcurrentHashMap<>();

  /**
   * A key that is {@code Enabled} at once when {@code creatingNanos} is 0, otherwise {@code
   * Creating} for that long (a new replica, as AWS reports one while it copies the material).
   */
  RegionalKey(
      KeyFamily family,
      String region,
      String arn,
      long sequence,
      String description,
      KeyPolicy policy,
      Map<String, String> tags,
      long creatingNanos) {
    this.family = family;
    this.region = region;
    this.arn = arn;
    this.created = Instant.now();
    this.sequence = sequence;
    this.state = new AtomicReference<>(creatingNanos > 0 ? CREATING : ENABLED);
    this.creatingUntilNanos = System.nanoTime() + creatingNanos;
    this.description = description;
    this.policy = policy;
    this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** The key state; a replica leaves {@code Creating} by itself once its moment has passed. */
  String state() {
    String s = state.get();
    if (s.equals(CREATING) && System.nanoTime() - creatingUntilNanos >= 0) {
      state.compareAndSet(CREATING, ENABLED);
      return state.get();
    }
    return s;
  }

  /** Sets the state; caller holds the store lock. */
  void state(String next) {
    state.set(next);
  }

  String keyId() {
    return family.keyId;
  }

  boolean isPrimary() {
    return family.primaryRegion.equals(region);
  }
}
