package dev.mrkenvelope.materials;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.PolicyException;
import dev.mrkenvelope.internal.EncryptionContexts;
import dev.mrkenvelope.keyring.Keyring;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * the message's suite, encrypted data keys and stored encryption context (the ESDK identifier)
 * and, in addition, to the reproduced encryption context the caller passed, so that a cache hit
 * never skips the reproduced-context checks of the wrapped manager. Likewise an encryption entry is
 * scoped to the request's required encryption context keys.
 *
 * <p>Cached plaintext data keys stay in memory until their entry is evicted and collected; they
 * are shared, immutable materials and cannot be zeroed when an entry retires.
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
 * never shared between managers whatever their partitions. Should a cache ever be shared (as in
 * the ESDK), managers with the same partition would serve each other's entries: a manager could
 * then decrypt messages with data keys that <em>another</em> manager's keyring unwrapped (a key it
 * holds no permission for), and encrypt messages whose encrypted data keys only the other
 * keyring's keys open. Set a partition only to reproduce identifiers deliberately, never to
 * "share" keys between differently configured managers.
 *
 * <h2>Concurrency</h2>
 *
 * Thread-safe, with no global lock: a hit is a read of Caffeine's concurrent map plus
 * compare-and-set on the entry's own counters (Caffeine's bookkeeping is buffered and amortized).
 * Because usage is reserved that way, no data key is ever used for more messages or bytes than
 * allowed, whatever the number of threads. Loading is single-flight: when several threads miss the
 * same entry (absent, expired or exhausted), exactly one calls the wrapped manager, outside any
 * lock, and the others wait for its result (and share its failure, if it fails; failures are not
 * cached). Different entries load in parallel.
 *
 * <h2>Metrics</h2>
 *
 * With {@link Builder#meterRegistry(MeterRegistry)}: {@code mrkenvelope.cache.gets} counter,
 * tag {@code result=hit|miss} (a miss is a request that called the wrapped manager; a request
 * served by another thread's in-flight load counts as a hit; bypassed requests are not counted),
 * and {@code mrkenvelope.cache.evictions} counter, tag {@code cause}: {@code size} (capacity
 * reached), {@code expired} ({@code maxAge} passed), {@code limit} (message or byte limit
 * reached). Evictions are counted when the cache notices them, lazily, on later requests. Without
 * a registry no meters exist and nothing is counted.
 */
public final class CachingMaterialsManager implements MaterialsManager {
  /** The largest (and default) {@code maxMessagesPerKey}: 2^32, the ESDK's ceiling. */
  public static final long MAX_MESSAGES_PER_KEY = 1L << 32;

  /** The default number of cache entries. */
  public static final int DEFAULT_CAPACITY = 1000;

  private static final byte KIND_ENCRYPT = 1;
  private static final byte KIND_DECRYPT = 2;
  private static final byte[] NO_SCOPE = new byte[0];

  private final MaterialsManager delegate;
  private final long maxAgeNanos;
  private final long maxMessages;
  private final long maxBytes;
  private final CacheIdentifiers identifiers;
  private final LongSupplier ticker;
  private final Metrics metrics;
  private final ConcurrentMap<Key, CompletableFuture<Entry>> entries;

  private CachingMaterialsManager(Builder b) {
    this.delegate =
        b.materialsManager != null ? b.materialsManager : DefaultMaterialsManager.create(b.keyring);
    this.maxAgeNanos = b.maxAge.toNanos();
    this.maxMessages = b.maxMessagesPerKey;
    this.maxBytes = b.maxBytesPerKey;
    this.identifiers = new CacheIdentifiers(b.partition != null ? b.partition : UUID.randomUUID().toString());
    this.ticker = b.ticker;
    this.metrics = b.meterRegistry == null ? null : new Metrics(b.meterRegistry);
    Caffeine<Object, Object> caffeine =
        Caffeine.newBuilder()
            .maximumSize(b.capacity)
            .expireAfterWrite(b.maxAge)
            .ticker(ticker::getAsLong)
            // Maintenance (and the eviction listener) on the calling thread: no pool, no surprises.
            .executor(Runnable::run);
    AsyncCache<Key, Entry> cache;
    if (metrics != null) {
      Metrics m = metrics;
      cache =
          caffeine
              .<Key, Entry>evictionListener((key, value, cause) -> m.evicted(cause))
              .buildAsync();
    } else {
      cache = caffeine.buildAsync();
    }
    this.entries = cache.asMap();
  }

  /** Starts configuring a caching manager. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest request) {
    OptionalLong length = request.plaintextLength();
    AlgorithmSuite suite = request.algorithmSuite().orElse(null);
    if (length.isEmpty() || length.getAsLong() > maxBytes || (suite != null && !suite.hasKdf())) {
      return delegate.getEncryptionMaterials(request);
    }
    long bytes = length.getAsLong();
    Key key =
        new Key(
            KIND_ENCRYPT,
            identifiers.forEncrypt(suite, request.encryptionContext()),
            requiredKeysScope(request.requiredEncryptionContextKeys()));
    while (true) {
      CompletableFuture<Entry> slot = entries.get(key);
      if (slot == null) {
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        slot = entries.putIfAbsent(key, mine);
        if (slot == null) {
          return loadEncrypt(key, mine, request, suite, bytes);
        }
      }
      EncryptEntry entry = (EncryptEntry) await(slot);
      if (entry.materials == null) {
        // The wrapped manager chose a suite that must not be cached: everyone asks it directly.
        return delegate.getEncryptionMaterials(request);
      }
      Cause refused = entry.tryUse(bytes, ticker.getAsLong(), maxAgeNanos, maxMessages, maxBytes);
      if (refused == null) {
        checkEncryptPolicy(request.commitmentPolicy(), entry.materials.algorithmSuite());
        if (metrics != null) {
          metrics.hit.increment();
        }
        return entry.materials;
      }
      CompletableFuture<Entry> mine = new CompletableFuture<>();
      if (entries.replace(key, slot, mine)) {
        if (metrics != null) {
          metrics.evicted(refused);
        }
        return loadEncrypt(key, mine, request, suite, bytes);
      }
      // Another thread replaced (or the cache dropped) the entry first: look again.
    }
  }

  private EncryptionMaterials loadEncrypt(
      Key key,
      CompletableFuture<Entry> slot,
      EncryptionMaterialsRequest request,
      AlgorithmSuite requestedSuite,
      long bytes) {
    if (metrics != null) {
      metrics.miss.increment();
    }
    EncryptionMaterials materials;
    try {
      // The materials may serve many messages: announce the most they may encrypt, not this
      // message's length (as the ESDK specification requires).
      materials =
          delegate.getEncryptionMaterials(
              EncryptionMaterialsRequest.builder()
                  .encryptionContext(request.encryptionContext())
                  .requiredEncryptionContextKeys(request.requiredEncryptionContextKeys())
                  .algorithmSuite(requestedSuite)
                  .commitmentPolicy(request.commitmentPolicy())
                  .plaintextLength(maxBytes)
                  .build());
    } catch (RuntimeException | Error e) {
      fail(key, slot, e, true);
      throw e;
    }
    AlgorithmSuite suite = materials == null ? null : materials.algorithmSuite();
    if (suite != null
        && suite.hasKdf()
        && (requestedSuite == null || suite == requestedSuite)
        && materials.hasPlaintextDataKey()
        && !materials.encryptedDataKeys().isEmpty()) {
      slot.complete(new EncryptEntry(materials, ticker.getAsLong(), bytes));
    } else {
      entries.remove(key, slot);
      slot.complete(EncryptEntry.UNCACHEABLE);
    }
    return materials;
  }

  /**
   * Materials made with other required keys write another header: such requests get their own
   * entries (the ESDK identifier does not cover required keys).
   */
  private static byte[] requiredKeysScope(Set<String> requiredKeys) {
    if (requiredKeys.isEmpty()) {
      return NO_SCOPE;
    }
    Map<String, String> asContext = new TreeMap<>();
    for (String k : requiredKeys) {
      asContext.put(k, "");
    }
    return EncryptionContexts.serialize(asContext);
  }

  private static void checkEncryptPolicy(CommitmentPolicy policy, AlgorithmSuite suite) {
    if (!policy.allowsEncrypt(suite)) {
      throw new PolicyException(
          "commitment policy " + policy + " does not allow encrypting with " + suite);
    }
  }

  @Override
  public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest request) {
    AlgorithmSuite suite = request.algorithmSuite();
    if (!suite.hasKdf()) {
      return delegate.decryptMaterials(request);
    }
    if (!request.commitmentPolicy().allowsDecrypt(suite)) {
      throw new PolicyException(
          "commitment policy " + request.commitmentPolicy() + " does not allow decrypting " + suite);
    }
    Map<String, String> reproduced = request.reproducedEncryptionContext();
    Key key =
        new Key(
            KIND_DECRYPT,
            identifiers.forDecrypt(suite, request.encryptedDataKeys(), request.encryptionContext()),
            reproduced.isEmpty() ? NO_SCOPE : EncryptionContexts.serialize(reproduced));
    while (true) {
      CompletableFuture<Entry> slot = entries.get(key);
      if (slot == null) {
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        slot = entries.putIfAbsent(key, mine);
        if (slot == null) {
          return loadDecrypt(key, mine, request);
        }
      }
      DecryptEntry entry = (DecryptEntry) await(slot);
      if (entry.materials == null) {
        return delegate.decryptMaterials(request);
      }
      if (ticker.getAsLong() - entry.createdNanos < maxAgeNanos) {
        if (metrics != null) {
          metrics.hit.increment();
        }
        return entry.materials;
      }
      CompletableFuture<Entry> mine = new CompletableFuture<>();
      if (entries.replace(key, slot, mine)) {
        if (metrics != null) {
          metrics.evicted(Cause.EXPIRED);
        }
        return loadDecrypt(key, mine, request);
      }
    }
  }

  private DecryptionMaterials loadDecrypt(
      Key key, CompletableFuture<Entry> slot, DecryptionMaterialsRequest request) {
    if (metrics != null) {
      metrics.miss.increment();
    }
    DecryptionMaterials materials;
    try {
      materials = delegate.decryptMaterials(request);
    } catch (RuntimeException | Error e) {
      fail(key, slot, e, false);
      throw e;
    }
    if (materials != null
        && materials.algorithmSuite() == request.algorithmSuite()
        && materials.hasPlaintextDataKey()) {
      slot.complete(new DecryptEntry(materials, ticker.getAsLong()));
    } else {
      entries.remove(key, slot);
      slot.complete(DecryptEntry.UNCACHEABLE);
    }
    return materials;
  }

  /**
   * Drops a failed load; the threads waiting on it get the same failure. Nothing is cached. The
   * slot completes normally with the failure inside, so the cache never logs it.
   */
  private void fail(Key key, CompletableFuture<Entry> slot, Throwable e, boolean encrypt) {
    entries.remove(key, slot);
    slot.complete(encrypt ? new EncryptEntry(e) : new DecryptEntry(e));
  }

  /** Waits for a slot's entry; rethrows the failure of the load that filled it, if any. */
  private static Entry await(CompletableFuture<Entry> slot) {
    Entry entry = slot.join(); // slots always complete normally
    Throwable failure = entry.failure;
    if (failure != null) {
      if (failure instanceof RuntimeException) {
        throw (RuntimeException) failure;
      }
      if (failure instanceof Error) {
        throw (Error) failure;
      }
      throw new EnvelopeException("loading materials into the cache failed", failure);
    }
    return entry;
  }

  @Override
  public String toString() {
    return "CachingMaterialsManager{maxAge=" + Duration.ofNanos(maxAgeNanos)
        + ", maxMessagesPerKey=" + maxMessages + ", maxBytesPerKey=" + maxBytes
        + ", delegate=" + delegate + "}";
  }

  /** Why an entry was retired, with its metric tag. */
  enum Cause {
    SIZE("size"),
    EXPIRED("expired"),
    LIMIT("limit");

    final String tag;

    Cause(String tag) {
      this.tag = tag;
    }
  }

  /** The cache key: kind, ESDK identifier and, for decrypt, the reproduced context. */
  private static final class Key {
    private final byte kind;
    private final byte[] identifier;
    private final byte[] scope;
    private final int hash;

    Key(byte kind, byte[] identifier, byte[] scope) {
      this.kind = kind;
      this.identifier = identifier;
      this.scope = scope;
      // The identifier is a hash already: its first bytes are as good as any hash code.
      int h = (identifier[0] & 0xFF) << 24 | (identifier[1] & 0xFF) << 16
          | (identifier[2] & 0xFF) << 8 | (identifier[3] & 0xFF);
      this.hash = h ^ kind ^ (scope.length == 0 ? 0 : Arrays.hashCode(scope));
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      return kind == k.kind && Arrays.equals(identifier, k.identifier) && Arrays.equals(scope, k.scope);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** A cached value, or the failure of the load that was to produce it (never kept). */
  private abstract static class Entry {
    final long createdNanos;
    final Throwable failure;

    Entry(long createdNanos, Throwable failure) {
      this.createdNanos = createdNanos;
      this.failure = failure;
    }
  }

  /** Encryption materials with their usage, reserved by compare-and-set. */
  private static final class EncryptEntry extends Entry {
    /** Completes a slot whose materials must not be shared; never stays in the cache. */
    static final EncryptEntry UNCACHEABLE = new EncryptEntry(null, 0, 0);

    final EncryptionMaterials materials;
    /** Messages encrypted so far; {@link Long#MAX_VALUE} once the entry is retired. */
    private final AtomicLong messages;

    private final AtomicLong bytes;

    EncryptEntry(Throwable failure) {
      super(0, failure);
      this.materials = null;
      this.messages = new AtomicLong(Long.MAX_VALUE);
      this.bytes = new AtomicLong();
    }

    EncryptEntry(EncryptionMaterials materials, long createdNanos, long firstMessageBytes) {
      super(createdNanos, null);
      this.materials = materials;
      this.messages = new AtomicLong(1);
      this.bytes = new AtomicLong(firstMessageBytes);
    }

    /**
     * Reserves one message of {@code n} bytes.
     *
     * @return null if reserved, otherwise why the entry is now retired
     */
    Cause tryUse(long n, long now, long maxAgeNanos, long maxMessages, long maxBytes) {
      if (now - createdNanos >= maxAgeNanos) {
        messages.set(Long.MAX_VALUE);
        return Cause.EXPIRED;
      }
      while (true) {
        long m = messages.get();
        if (m >= maxMessages) {
          return Cause.LIMIT;
        }
        if (messages.compareAndSet(m, m + 1)) {
          break;
        }
      }
      while (true) {
        long b = bytes.get();
        if (n > maxBytes - b) {
          // This message does not fit: the entry is past its limit for good (as in the ESDK).
          messages.set(Long.MAX_VALUE);
          return Cause.LIMIT;
        }
        if (bytes.compareAndSet(b, b + n)) {
          return null;
        }
      }
    }
  }

  /** Decryption materials; limited by age only. */
  private static final class DecryptEntry extends Entry {
    static final DecryptEntry UNCACHEABLE = new DecryptEntry(null, 0);

    final DecryptionMaterials materials;

    DecryptEntry(Throwable failure) {
      super(0, failure);
      this.materials = null;
    }

    DecryptEntry(DecryptionMaterials materials, long createdNanos) {
      super(createdNanos, null);
      this.materials = materials;
    }
  }

  /** The cache meters; exists only when a registry is configured. */
  private static final class Metrics {
    private static final String GETS = "mrkenvelope.cache.gets";
    private static final String EVICTIONS = "mrkenvelope.cache.evictions";

    final Counter hit;
    final Counter miss;
    private final Counter[] evictions = new Counter[Cause.values().length];

    Metrics(MeterRegistry registry) {
      hit = gets(registry, "hit");
      miss = gets(registry, "miss");
      for (Cause c : Cause.values()) {
        evictions[c.ordinal()] =
            Counter.builder(EVICTIONS)
                .description(
                    "Data-key cache entries retired, by cause: size (capacity reached), expired"
                        + " (maxAge passed), limit (message or byte limit reached)")
                .tag("cause", c.tag)
                .register(registry);
      }
    }

    private static Counter gets(MeterRegistry registry, String result) {
      return Counter.builder(GETS)
          .description(
              "Data-key cache lookups: hit (served from the cache) or miss (the wrapped keyring or"
                  + " materials manager was called)")
          .tag("result", result)
          .register(registry);
    }

    void evicted(Cause cause) {
      evictions[cause.ordinal()].increment();
    }

    void evicted(RemovalCause cause) {
      if (cause == RemovalCause.SIZE) {
        evicted(Cause.SIZE);
      } else if (cause == RemovalCause.EXPIRED) {
        evicted(Cause.EXPIRED);
      }
    }
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

    /** Messages one data key may encrypt, 1 to 2^32. Default 2^32. */
    public Builder maxMessagesPerKey(long maxMessagesPerKey) {
      if (maxMessagesPerKey < 1 || maxMessagesPerKey > MAX_MESSAGES_PER_KEY) {
        throw new IllegalArgumentException(
            "maxMessagesPerKey must be between 1 and 2^32 (" + MAX_MESSAGES_PER_KEY + "): "
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
            "maxBytesPerKey must not be negative: " + maxBytesPerKey
                + " (leave it unset for no byte limit)");
      }
      this.maxBytesPerKey = maxBytesPerKey;
      return this;
    }

    /** The most entries (encrypt and decrypt together) kept; the least used go first. Default 1000. */
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

    /**
     * Builds the manager.
     *
     * @throws IllegalStateException if neither or both of keyring and materials manager are set,
     *     or maxAge is not set
     */
    public CachingMaterialsManager build() {
      if ((keyring == null) == (materialsManager == null)) {
        throw new IllegalStateException(
            keyring == null
                ? "set a keyring(...) or a materialsManager(...) before build()"
                : "set either keyring(...) or materialsManager(...), not both");
      }
      if (maxAge == null) {
        throw new IllegalStateException(
            "maxAge is required: set maxAge(Duration), e.g. maxAge(Duration.ofMinutes(5))");
      }
      return new CachingMaterialsManager(this);
    }
  }
}
