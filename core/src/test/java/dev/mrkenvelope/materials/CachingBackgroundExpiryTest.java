package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.AlgorithmSuite;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Expired entries hold plaintext data keys, so an idle cache removes them by itself: no request
 * after the expiry is needed. Time is the injectable ticker; the clean-up runs when the test's
 * scheduler fires it.
 */
class CachingBackgroundExpiryTest {
  static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  static final Duration MAX_AGE = Duration.ofSeconds(60);

  /** Caffeine runs a scheduled clean-up at most this late: its pacing tolerance, 2^30 ns. */
  static final long PACING_NANOS = 1L << 30;

  final AtomicLong now = new AtomicLong(5_000_000_000L);
  final ManualScheduler scheduler = new ManualScheduler(now::get);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final CountingKeyring keyring = new CountingKeyring();

  CachingMaterialsManager cache() {
    return CachingMaterialsManager.builder()
        .keyring(keyring)
        .maxAge(MAX_AGE)
        .ticker(now::get)
        .scheduler(scheduler)
        .meterRegistry(registry)
        .build();
  }

  static EncryptionMaterialsRequest request(String tenant) {
    return EncryptionMaterialsRequest.builder()
        .encryptionContext(Map.of("tenant", tenant))
        .algorithmSuite(SUITE)
        .plaintextLength(10)
        .build();
  }

  double expired() {
    return registry.get("mrkenvelope.cache.evictions").tag("cause", "expired").counter().count();
  }

  @Test
  void idleCache_expiredEntriesRemovedByTheScheduledCleanUp_noRequestNeeded() {
    CachingMaterialsManager m = cache();
    long written = now.get();
    m.getEncryptionMaterials(request("a"));
    m.getEncryptionMaterials(request("b"));

    // The cache asked for a clean-up no later than maxAge (+ pacing) after the writes.
    assertThat(scheduler.pending()).isNotEmpty();
    long due =
        scheduler.pending().stream().mapToLong(ManualScheduler.Task::dueNanos).min().orElseThrow();
    assertThat(due - written).isLessThanOrEqualTo(MAX_AGE.toNanos() + PACING_NANOS);

    // Time passes with no request: nothing but the scheduled clean-up may remove the entries.
    now.set(written + MAX_AGE.toNanos() + PACING_NANOS);
    assertThat(expired()).isZero();
    assertThat(scheduler.runDue()).isPositive();

    assertThat(expired()).isEqualTo(2);
    assertThat(keyring.encryptCalls).hasValue(2);
    // Nothing left to clean: no clean-up stays scheduled for an empty cache.
    scheduler.runDue();
    assertThat(scheduler.pending()).isEmpty();
  }

  @Test
  void entriesOfDifferentAges_eachRemovedWithinPacingOfItsOwnExpiry() {
    CachingMaterialsManager m = cache();
    long first = now.get();
    m.getEncryptionMaterials(request("early"));
    now.addAndGet(TimeUnit.SECONDS.toNanos(30));
    m.getEncryptionMaterials(request("late"));

    now.set(first + MAX_AGE.toNanos() + PACING_NANOS);
    scheduler.runDue();
    assertThat(expired()).isEqualTo(1); // "late" has 30 s to go

    assertThat(scheduler.pending()).isNotEmpty();
    now.addAndGet(TimeUnit.SECONDS.toNanos(30));
    scheduler.runDue();
    assertThat(expired()).isEqualTo(2);
  }

  @Test
  void defaultScheduler_removesAnExpiredEntryWithoutAnyRequest() throws InterruptedException {
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(keyring)
            .maxAge(Duration.ofMillis(50))
            .meterRegistry(registry)
            .build();
    m.getEncryptionMaterials(request("a"));

    // Real time here (the JVM's delay thread): poll, with a generous guard against a hang only.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (expired() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(expired()).isEqualTo(1);
  }
}
