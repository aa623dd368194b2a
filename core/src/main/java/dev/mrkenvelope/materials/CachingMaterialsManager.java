package dev.mrkenvelope.materials;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.PolicyException;
import dev.mrkenvelope.internal.WrappedManager;
import dev.mrkenvelope.keyring.Keyring;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * A materials manager that reuses data keys, within limits, so that most messages need no call to
 * the keyring (and so no KMS request). It wraps a keyring or another materials manager and keeps
 * encryption and decryption materials in a bounded in-memory cache (Caffeine), with the security
 * limits of the AWS Encryption SDK's caching CMM.
 *
 * <pre>{@code
 * MaterialsManager cache = CachingMaterialsManager.builder()
 *     .keyring(kmsKeyring)
 *     .maxAge(Duration.ofMinutes(5))          // required
 *     .maxMessagesPerKey(10_000)              // default 2^32
 *     .maxBytesPerKey(1L << 30)               // default 2^63-1
 *     .capacity(1_000)                        // entries; default 1000
 *     .refreshAhead(Duration.ofSeconds(30))   // optional: replace encrypt entries before maxAge
 *     .meterRegistry(registry)                // optional
 *     .build();
 * EnvelopeClient client = EnvelopeClient.builder().materialsManager(cache).build();
 * }</pre>
 *
 * <h2>Limits (as the ESDK defines them)</h2>
 *
 * <ul>
 *   <li>An encryption entry is reused only if it is younger than {@code maxAge} and, counting the
 *       request at hand, has encrypted at most {@code maxMessagesPerKey} messages and at most
 *       {@code maxBytesPerKey} plaintext bytes. The first message of freshly fetched materials
 *       counts as one message and its bytes. An entry that fails any check for any request is
 *       retired and never used again; the next request fetches new materials.
 *   <li>An encrypt whose plaintext length is unknown (a stream without a length hint), or whose
 *       length alone exceeds {@code maxBytesPerKey}, bypasses the cache: it goes to the wrapped
 *       manager and is not stored. (ESDK-Java bypasses when the length <em>reaches</em> the limit;
 *       the ESDK specification and the MPL, like this class, only when it exceeds it.)
 *   <li>Only algorithm suites with a KDF ({@link AlgorithmSuite#hasKdf()}) are cached, on encrypt
 *       <em>and</em> on decrypt. Reusing an identity-KDF data key would reuse the AES key itself
 *       with frame IVs that restart in every message; on decrypt the ESDK specification forbids
 *       caching them too (ESDK-Java caches them anyway), and keeping raw content keys of a
 *       deprecated suite in memory buys nothing.
 *   <li>Decryption entries are limited by {@code maxAge} only.
 * </ul>
 *
 * <h2>What is shared between messages</h2>
 *
 * Messages served from one encryption entry share the data key, its encrypted data keys and, for
 * signing suites, the ECDSA signing key pair (the ESDK caching CMM does the same): each message
 * still has its own random message ID and so its own derived key. A decryption entry is scoped to
 * the message's suite, encrypted data keys and stored encryption context (the ESDK identifier) and,
 * in addition, to the reproduced encryption context the caller passed, so that a cache hit never
 * skips the reproduced-context checks of the wrapped manager. Likewise an encryption entry is
 * scoped to the request's required encryption context keys.
 *
 * <p>Cached plaintext data keys stay in memory until their entry is evicted and collected; they are
 * shared, immutable materials and cannot be zeroed when an entry retires.
 *
 * <h2>Expiry in the background</h2>
 *
 * Expired entries are removed by a scheduled clean-up, not only when a later request happens to
 * look at them: an idle cache holds no entry, and so no plaintext data key, for longer than {@code
 * maxAge} plus about a second (Caffeine schedules the clean-up for the next expiry, paced to at
 * most one run per 2^30 ns). The clean-up runs on the JVM's shared delay thread ({@code
 * CompletableFuture.delayedExecutor}, through Caffeine's system scheduler); it only unlinks entries
 * and counts evictions, and no thread is started for it. An entry's deadline counts from when its
 * materials were fetched.
 *
 * <h2>Refresh-ahead</h2>
 *
 * With {@link Builder#refreshAhead(Duration)}, the first encrypt that uses an entry within that
 * time of its {@code maxAge} fetches the replacement, while every other thread keeps using the old
 * entry, so no caller waits for the keyring at expiry. That caller's own message is still served by
 * the old entry; the new entry takes over when it is ready, counting from zero. Loading stays
 * single-flight (one refresh per entry; a thread that finds the old entry spent waits for that
 * refresh instead of starting another), and the limits are unchanged: each entry's messages and
 * bytes are reserved as usual, and no entry is used past {@code maxAge}. A refresh that fails is
 * dropped (the old entry stays in use and the next encrypt in the window tries again). Decryption
 * entries are never refreshed ahead.
 *
 * <h2>Cache identifiers and partition</h2>
 *
 * Entries are keyed by the ESDK's legacy identifier formula (specification v0.3.0, SHA-512): the
 * one ESDK-Java 3.0.2 computes, as do ESDK-Python, -JavaScript, -C and the MPL's own Dafny caching
 * CMM. The v0.4.0 SHA-384 formula (written for caches shared with hierarchical keyrings) is, as far
 * as we found, specified but not what any released caching CMM computes, and this cache is never
 * shared with a hierarchical keyring. Every identifier starts from {@code SHA-512(partition)}; the
 * partition defaults to a random UUID per manager.
 *
 * <p><b>Partition-sharing risk.</b> In this release each manager owns its cache, so entries are
 * never shared between managers whatever their partitions. Should a cache ever be shared (as in the
 * ESDK), managers with the same partition would serve each other's entries: a manager could then
 * decrypt messages with data keys that <em>another</em> manager's keyring unwrapped (a key it holds
 * no permission for), and encrypt messages whose encrypted data keys only the other keyring's keys
 * open. Set a partition only to reproduce identifiers deliberately, never to "share" keys between
 * differently configured managers.
 *
 * <h2>Concurrency</h2>
 *
 * Thread-safe, with no global lock: a hit is a read of Caffeine's concurrent map plus
 * compare-and-set on the entry's own counters (Caffeine's bookkeeping is buffered and amortized).
 * Because usage is reserved that way, no data key is ever used for more messages or bytes than
 * allowed, whatever the number of threads. Loading is single-flight: when several threads miss the
 * same entry (absent, expired or exhausted), exactly one calls the wrapped manager, outside any
 * lock, and the others wait for its result (and share its failure, if it fails; failures are not
 * cached). Different entries load in parallel. Usage accounting, single-flight loading and the ESDK
 * limits each live in one package-private class, shared by encrypt and decrypt.
 *
 * <h2>Metrics</h2>
 *
 * With {@link Builder#meterRegistry(MeterRegistry)}: {@code mrkenvelope.cache.gets} counter, tag
 * {@code result=hit|miss} (a miss is a request that called the wrapped manager, a refresh-ahead
 * included; a request served by another thread's in-flight load counts as a hit; bypassed requests
 * are not counted), and {@code mrkenvelope.cache.evictions} counter, tag {@code cause}: {@code
 * size} (capacity reached), {@code expired} ({@code maxAge} passed), {@code limit} (message or byte
 * limit reached). Expiries are counted when the background clean-up (or a request) removes the
 * entry; an entry replaced by refresh-ahead is not an eviction. Without a registry no meters exist
 * and nothing is counted.
 */
public final class CachingMaterialsManager implements MaterialsManager {
  /** The largest (and default) {@code maxMessagesPerKey}: 2^32, the ESDK's ceiling. */
  public static final long MAX_MESSAGES_PER_KEY = 1L << 32;

  /** The default number of cache entries. */
  public static final int DEFAULT_CAPACITY = 1000;

  private final MaterialsManager delegate;
  private final UsageBudget budget;
  private final CacheIdentifiers identifiers;
  private final SingleFlightLoader loader;

  private CachingMaterialsManager(Builder b, MaterialsManager delegate) {
    this.delegate = delegate;
    this.budget =
        new UsageBudget(
            b.maxAge.toNanos(),
            b.maxMessagesPerKey,
            b.maxBytesPerKey,
            b.refreshAhead == null ? 0 : b.refreshAhead.toNanos());
    this.identifiers =
        new CacheIdentifiers(b.partition != null ? b.partition : UUID.randomUUID().toString());
    CacheMetrics metrics = CacheMetrics.of(b.meterRegistry);
    LongSupplier ticker = b.ticker;
    AsyncCache<CacheKey, CacheEntry<?>> cache =
        Caffeine.newBuilder()
            .maximumSize(b.capacity)
            // An entry expires maxAge after its materials were fetched, wherever it is in the map.
            .expireAfter(new EntryExpiry(b.maxAge.toNanos()))
            .ticker(ticker::getAsLong)
            // Expired entries hold plaintext data keys: remove them when they expire, not when a
            // later request happens to pass by.
            .scheduler(b.scheduler)
            // Maintenance (and the eviction listener) on the calling thread: no pool, no surprises.
            .executor(Runnable::run)
            .<CacheKey, CacheEntry<?>>evictionListener(
                (key, value, cause) -> metrics.evicted(cause))
            .buildAsync();
    this.loader = new SingleFlightLoader(cache.asMap(), ticker, metrics);
  }

  /** Starts configuring a caching manager. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns cached encryption materials within the limits, or fetches new ones (once for all
   * threads that need them); see the class documentation for what bypasses the cache.
   *
   * @throws PolicyException if the commitment policy forbids the cached materials' suite
   */
  @Override
  public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest request) {
    if (budget.bypasses(request)) {
      return delegate.getEncryptionMaterials(request);
    }
    EncryptionMaterials m =
        loader.get(
            CacheKey.forEncrypt(identifiers, request), new EncryptLoad(delegate, request, budget));
    if (!request.commitmentPolicy().allowsEncrypt(m.algorithmSuite())) {
      throw new PolicyException(
          "commitment policy "
              + request.commitmentPolicy()
              + " does not allow encrypting with "
              + m.algorithmSuite());
    }
    return m;
  }

  /**
   * Returns cached decryption materials younger than {@code maxAge}, or fetches them (once for all
   * threads that need them); identity-KDF suites are never cached.
   *
   * @throws PolicyException if the commitment policy forbids the message's suite
   */
  @Override
  public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest request) {
    AlgorithmSuite suite = request.algorithmSuite();
    if (!suite.hasKdf()) {
      return delegate.decryptMaterials(request);
    }
    MaterialsChecks.checkDecryptAllowed(request);
    return loader.get(
        CacheKey.forDecrypt(identifiers, request), new DecryptLoad(delegate, request, budget));
  }

  @Override
  public String toString() {
    return "CachingMaterialsManager{maxAge="
        + Duration.ofNanos(budget.maxAgeNanos)
        + ", maxMessagesPerKey="
        + budget.maxMessages
        + ", maxBytesPerKey="
        + budget.maxBytes
        + ", refreshAhead="
        + Duration.ofNanos(budget.refreshAheadNanos)
        + ", delegate="
        + delegate
        + "}";
  }

  /**
   * Configures a {@link CachingMaterialsManager}. Not thread-safe. Each setter rejects a bad value
   * with an {@link IllegalArgumentException}; {@link #build()} rejects missing or conflicting
   * settings with an {@link IllegalStateException}. Both name the setting and the fix.
   */
  public static final class Builder {
    private Keyring keyring;
    private MaterialsManager materialsManager;
    private Duration maxAge;
    private long maxMessagesPerKey = MAX_MESSAGES_PER_KEY;
    private long maxBytesPerKey = Long.MAX_VALUE;
    private int capacity = DEFAULT_CAPACITY;
    private String partition;
    private MeterRegistry meterRegistry;
    private LongSupplier ticker = System::nanoTime;
    private Duration refreshAhead;
    private Scheduler scheduler = Scheduler.systemScheduler();

    private Builder() {}

    /** The keyring to fetch data keys from on a miss, through a {@link DefaultMaterialsManager}. */
    public Builder keyring(Keyring keyring) {
      this.keyring = Objects.requireNonNull(keyring, "keyring");
      return this;
    }

    /** The materials manager to fetch materials from on a miss, instead of a keyring. */
    public Builder materialsManager(MaterialsManager materialsManager) {
      this.materialsManager = Objects.requireNonNull(materialsManager, "materialsManager");
      return this;
    }

    /**
     * Required: how long an entry may be used after it was fetched, for encrypt and decrypt. Keep
     * it short (minutes): it bounds how long a revoked key's data keys stay usable.
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException(
            "maxAge must be positive: " + maxAge + " (e.g. maxAge(Duration.ofMinutes(5)))");
      }
      try {
        maxAge.toNanos();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "maxAge is too large: " + maxAge + " (at most about 292 years; keep it to minutes)");
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * Optional: replace an encryption entry this long before its {@code maxAge}, by one caller
     * while the others keep using it (see "Refresh-ahead" in the class documentation). Must be
     * positive and shorter than {@code maxAge} (checked by {@link #build()}). Default: off, an
     * entry is replaced when a request finds it expired.
     */
    public Builder refreshAhead(Duration refreshAhead) {
      Objects.requireNonNull(refreshAhead, "refreshAhead");
      if (refreshAhead.isNegative() || refreshAhead.isZero()) {
        throw new IllegalArgumentException(
            "refreshAhead must be positive: "
                + refreshAhead
                + " (e.g. a tenth of maxAge; leave it unset for no refresh-ahead)");
      }
      this.refreshAhead = refreshAhead;
      return this;
    }

    /** Messages one data key may encrypt, 1 to 2^32. Default 2^32. */
    public Builder maxMessagesPerKey(long maxMessagesPerKey) {
      if (maxMessagesPerKey < 1 || maxMessagesPerKey > MAX_MESSAGES_PER_KEY) {
        throw new IllegalArgumentException(
            "maxMessagesPerKey must be between 1 and 2^32 ("
                + MAX_MESSAGES_PER_KEY
                + "): "
                + maxMessagesPerKey);
      }
      this.maxMessagesPerKey = maxMessagesPerKey;
      return this;
    }

    /**
     * Plaintext bytes one data key may encrypt, 0 to 2^63-1. Default 2^63-1. An encrypt larger than
     * this on its own bypasses the cache.
     */
    public Builder maxBytesPerKey(long maxBytesPerKey) {
      if (maxBytesPerKey < 0) {
        throw new IllegalArgumentException(
            "maxBytesPerKey must not be negative: "
                + maxBytesPerKey
                + " (leave it unset for no byte limit)");
      }
      this.maxBytesPerKey = maxBytesPerKey;
      return this;
    }

    /**
     * The most entries (encrypt and decrypt together) kept; the least used go first. Default 1000.
     */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException(
            "capacity must be at least 1: " + capacity + " (default " + DEFAULT_CAPACITY + ")");
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * The partition hashed into every cache identifier. Default: a random UUID per manager, which
     * is what you want; read the partition-sharing risk in the class documentation before setting
     * one.
     */
    public Builder partition(String partition) {
      Objects.requireNonNull(partition, "partition");
      if (partition.isEmpty()) {
        throw new IllegalArgumentException(
            "partition must not be empty (leave it unset for a random one per manager)");
      }
      this.partition = partition;
      return this;
    }

    /** Where to record cache metrics. Default: no metrics, no cost. */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * The time source, in nanoseconds with {@link System#nanoTime()} semantics (only differences
     * matter). Default {@code System::nanoTime}; tests pass a fake to expire entries without
     * sleeping. Must be thread-safe and non-decreasing.
     */
    public Builder ticker(LongSupplier nanoTicker) {
      this.ticker = Objects.requireNonNull(nanoTicker, "ticker");
      return this;
    }

    /** Where the background clean-up is scheduled; tests pass a manual scheduler. */
    Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Builds the manager.
     *
     * @throws IllegalStateException if neither or both of keyring and materials manager are set,
     *     maxAge is not set, or refreshAhead is not shorter than maxAge
     */
    public CachingMaterialsManager build() {
      MaterialsManager delegate = WrappedManager.of(keyring, materialsManager);
      if (maxAge == null) {
        throw new IllegalStateException(
            "maxAge is required: set maxAge(Duration), e.g. maxAge(Duration.ofMinutes(5))");
      }
      if (refreshAhead != null && refreshAhead.compareTo(maxAge) >= 0) {
        throw new IllegalStateException(
            "refreshAhead ("
                + refreshAhead
                + ") must be shorter than maxAge ("
                + maxAge
                + "):"
                + " an entry is refreshed when its age reaches maxAge - refreshAhead");
      }
      return new CachingMaterialsManager(this, delegate);
    }
  }
}
