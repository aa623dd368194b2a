package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.keyring.Keyring;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Refresh-ahead: one caller replaces an entry about to expire while the others keep using it. */
class CachingRefreshAheadTest {
  static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  static final Duration MAX_AGE = Duration.ofSeconds(60);
  static final Duration AHEAD = Duration.ofSeconds(10);
  static final int THREADS = 32;

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final CountingKeyring keyring = new CountingKeyring();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void shutdown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  CachingMaterialsManager.Builder cache(Keyring k) {
    return CachingMaterialsManager.builder()
        .keyring(k)
        .maxAge(MAX_AGE)
        .refreshAhead(AHEAD)
        .ticker(now::get)
        .meterRegistry(registry);
  }

  static final EncryptionMaterialsRequest REQUEST =
      EncryptionMaterialsRequest.builder()
          .encryptionContext(Map.of("tenant", "acme"))
          .algorithmSuite(SUITE)
          .plaintextLength(10)
          .build();

  static String id(EncryptionMaterials m) {
    return HexFormat.of().formatHex(m.encryptedDataKeys().get(0).ciphertext());
  }

  @Test
  void inTheWindow_oneCallerRefreshes_othersAreServedWithoutWaiting_andNoMissAtExpiry()
      throws Exception {
    CachingMaterialsManager m = cache(keyring).build();
    String first = id(m.getEncryptionMaterials(REQUEST));
    now.addAndGet(MAX_AGE.minus(AHEAD).toNanos()); // the refresh window opens

    keyring.closeGate();
    Future<String> refresher = pool.submit(() -> id(m.getEncryptionMaterials(REQUEST)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (keyring.encryptCalls.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(keyring.encryptCalls).as("the refresher is in the keyring").hasValue(2);

    // While the refresh is held at the gate, everyone else gets the old key at once.
    List<Future<String>> others = new ArrayList<>();
    for (int t = 0; t < THREADS - 1; t++) {
      others.add(pool.submit(() -> id(m.getEncryptionMaterials(REQUEST))));
    }
    for (Future<String> f : others) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(first);
    }
    assertThat(keyring.encryptCalls).as("single flight: no second load").hasValue(2);

    keyring.open();
    assertThat(refresher.get(30, TimeUnit.SECONDS)).isEqualTo(first); // served by the old entry
    String second = id(m.getEncryptionMaterials(REQUEST));
    assertThat(second).isNotEqualTo(first);

    // The old entry's expiry passes unnoticed: the new one is in place.
    now.addAndGet(AHEAD.toNanos());
    assertThat(id(m.getEncryptionMaterials(REQUEST))).isEqualTo(second);
    assertThat(keyring.encryptCalls).hasValue(2);
    assertThat(registry.get("mrkenvelope.cache.gets").tag("result", "miss").counter().count())
        .isEqualTo(2);
  }

  @Test
  void failedRefresh_isDropped_oldEntryServes_nextCallerRetries() {
    CachingMaterialsManager m = cache(keyring).build();
    String first = id(m.getEncryptionMaterials(REQUEST));
    now.addAndGet(MAX_AGE.minus(AHEAD).toNanos());

    keyring.failNext(new EnvelopeException("KMS throttled"));
    assertThat(id(m.getEncryptionMaterials(REQUEST))).isEqualTo(first);
    assertThat(keyring.encryptCalls).hasValue(2);

    String refreshedBy = id(m.getEncryptionMaterials(REQUEST)); // retries the refresh
    assertThat(refreshedBy).isEqualTo(first);
    assertThat(keyring.encryptCalls).hasValue(3);
    assertThat(id(m.getEncryptionMaterials(REQUEST))).isNotEqualTo(first);
  }

  @Test
  void beforeTheWindow_noRefresh() {
    CachingMaterialsManager m = cache(keyring).build();
    String first = id(m.getEncryptionMaterials(REQUEST));
    now.addAndGet(MAX_AGE.minus(AHEAD).toNanos() - 1);

    assertThat(id(m.getEncryptionMaterials(REQUEST))).isEqualTo(first);
    assertThat(keyring.encryptCalls).hasValue(1);
  }

  /** Counts the keyring calls in flight at once. */
  static final class ConcurrencyProbe implements Keyring {
    final Keyring inner;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    ConcurrencyProbe(Keyring inner) {
      this.inner = inner;
    }

    @Override
    public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.yield(); // widen the window in which a second load would overlap
        return inner.onEncrypt(materials);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public DecryptionMaterials onDecrypt(
        DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
      return inner.onDecrypt(materials, encryptedDataKeys);
    }
  }

  /**
   * 32 threads on one key while the clock runs: with a message limit that binds (100) and one that
   * rarely does (1000, so entries are replaced by refresh-ahead or expiry), no data key serves more
   * messages than allowed and the keyring never sees two loads at once.
   */
  @ParameterizedTest
  @ValueSource(longs = {100, 1000})
  void underConcurrency_limitsHold_oneLoadAtATime(long maxMessages) throws Exception {
    ConcurrencyProbe probe = new ConcurrencyProbe(keyring);
    // Every read of the clock moves it 50 µs on: entries age under load and reach the window.
    AtomicLong clock = new AtomicLong();
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(probe)
            .maxAge(Duration.ofMillis(100))
            .refreshAhead(Duration.ofMillis(40))
            .maxMessagesPerKey(maxMessages)
            .ticker(() -> clock.addAndGet(50_000))
            .build();
    Map<String, AtomicLong> uses = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 400; i++) {
                  String k = id(m.getEncryptionMaterials(REQUEST));
                  uses.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet();
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : workers) {
      f.get(120, TimeUnit.SECONDS);
    }

    assertThat(uses.values().stream().mapToLong(AtomicLong::get).sum()).isEqualTo(THREADS * 400L);
    assertThat(uses.values()).allSatisfy(n -> assertThat(n.get()).isLessThanOrEqualTo(maxMessages));
    assertThat(probe.maxInFlight).as("single flight").hasValue(1);
    assertThat(keyring.encryptCalls.get()).isGreaterThanOrEqualTo(uses.size());
    assertThat(uses.size()).as("keys were replaced during the run").isGreaterThan(5);
  }

  @Test
  void builder_refreshAheadMustBePositiveAndShorterThanMaxAge() {
    assertThatThrownBy(() -> CachingMaterialsManager.builder().refreshAhead(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("refreshAhead must be positive: PT0S");
    assertThatThrownBy(
            () ->
                CachingMaterialsManager.builder()
                    .keyring(keyring)
                    .maxAge(Duration.ofSeconds(10))
                    .refreshAhead(Duration.ofSeconds(10))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be shorter than maxAge");
  }
}
