package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.EnvelopeClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachingConcurrencyTest {
  static final int THREADS = 64;
  static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  static final Map<String, String> EC = Map.of("tenant", "acme");

  final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  final CountingKeyring keyring = new CountingKeyring();

  @AfterEach
  void shutdown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  /** Runs {@code task} on every thread at once and returns what each returned. */
  <T> List<T> onAllThreads(Supplier<T> task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                return task.get();
              }));
    }
    start.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get(120, TimeUnit.SECONDS));
    }
    return results;
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void sixtyFourThreads_noDataKeyExceedsMessageOrByteLimits() throws Exception {
    long maxMessages = 40;
    long maxBytes = 30_000;
    EnvelopeClient writer =
        EnvelopeClient.builder()
            .algorithmSuite(SUITE)
            .materialsManager(
                CachingMaterialsManager.builder()
                    .keyring(keyring)
                    .maxAge(Duration.ofMinutes(5))
                    .maxMessagesPerKey(maxMessages)
                    .maxBytesPerKey(maxBytes)
                    .build())
            .build();
    AtomicInteger seed = new AtomicInteger();
    ConcurrentLinkedQueue<byte[]> ciphertexts = new ConcurrentLinkedQueue<>();

    onAllThreads(
        () -> {
          SplittableRandom random = new SplittableRandom(seed.incrementAndGet());
          for (int i = 0; i < 150; i++) {
            ciphertexts.add(writer.encrypt(new byte[random.nextInt(2000)], EC).ciphertext());
          }
          return null;
        });

    // Count each data key's messages and bytes from the EDKs in the ciphertexts' headers.
    EnvelopeClient reader = EnvelopeClient.builder().keyring(new CountingKeyring()).build();
    Map<String, long[]> usage = new ConcurrentHashMap<>();
    for (byte[] ct : ciphertexts) {
      DecryptResult d = reader.decrypt(ct);
      long[] u =
          usage.computeIfAbsent(hex(d.encryptedDataKeys().get(0).ciphertext()), k -> new long[2]);
      u[0]++;
      u[1] += d.plaintext().length;
    }
    assertThat(ciphertexts).hasSize(THREADS * 150);
    assertThat(usage.values())
        .allSatisfy(
            u -> {
              assertThat(u[0]).isLessThanOrEqualTo(maxMessages);
              assertThat(u[1]).isLessThanOrEqualTo(maxBytes);
            });
    assertThat(keyring.encryptCalls).hasValue(usage.size());
    // Reuse really happened: ~1000 bytes per message, so about 30 messages per key.
    assertThat(usage.size()).isLessThan(THREADS * 150 / 10);
  }

  @Test
  void sixtyFourThreads_messageLimit_exactlyOneRefreshPerExhaustedKey() throws Exception {
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(keyring)
            .maxAge(Duration.ofMinutes(5))
            .maxMessagesPerKey(100)
            .build();
    EncryptionMaterialsRequest r =
        EncryptionMaterialsRequest.builder()
            .encryptionContext(EC)
            .algorithmSuite(SUITE)
            .plaintextLength(10)
            .build();
    Map<String, AtomicLong> uses = new ConcurrentHashMap<>();

    onAllThreads(
        () -> {
          for (int i = 0; i < 2000; i++) {
            String id = hex(m.getEncryptionMaterials(r).encryptedDataKeys().get(0).ciphertext());
            uses.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
          }
          return null;
        });

    // 128,000 messages / 100 per key: with single-flight refreshes no key is wasted.
    assertThat(keyring.encryptCalls).hasValue(1280);
    assertThat(uses).hasSize(1280);
    assertThat(uses.values()).allSatisfy(n -> assertThat(n).hasValue(100));
  }

  /** Waits until every worker but one is parked, i.e. waiting for the single load in flight. */
  void awaitWaiters(AtomicInteger entered, int expectedWaiting) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (entered.get() == THREADS) {
        long waiting =
            Thread.getAllStackTraces().keySet().stream()
                .filter(
                    t -> t.getName().startsWith("pool-") && t.getState() == Thread.State.WAITING)
                .filter(t -> isWaitingForLoad(t.getStackTrace()))
                .count();
        if (waiting >= expectedWaiting) {
          return;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the other threads never queued behind the load in flight");
  }

  static boolean isWaitingForLoad(StackTraceElement[] stack) {
    for (StackTraceElement e : stack) {
      if (e.getClassName().equals(CachingMaterialsManager.class.getName())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void singleFlight_sixtyFourThreadsMissTogether_oneKeyringCall() throws Exception {
    keyring.closeGate();
    CachingMaterialsManager m =
        CachingMaterialsManager.builder().keyring(keyring).maxAge(Duration.ofMinutes(5)).build();
    EncryptionMaterialsRequest r =
        EncryptionMaterialsRequest.builder()
            .encryptionContext(EC)
            .algorithmSuite(SUITE)
            .plaintextLength(10)
            .build();
    AtomicInteger entered = new AtomicInteger();

    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                entered.incrementAndGet();
                return hex(m.getEncryptionMaterials(r).encryptedDataKeys().get(0).ciphertext());
              }));
    }
    start.countDown();
    // One thread is in the keyring, held at the gate; the other 63 wait for it, not for the gate.
    awaitWaiters(entered, THREADS - 1);
    assertThat(keyring.encryptCalls).hasValue(1);
    keyring.open();

    List<String> keys = new ArrayList<>();
    for (Future<String> f : results) {
      keys.add(f.get(30, TimeUnit.SECONDS));
    }
    assertThat(keyring.encryptCalls).hasValue(1);
    assertThat(keys).hasSize(THREADS).containsOnly(keys.get(0));
  }

  @Test
  void singleFlight_decrypt_sixtyFourThreadsMissTogether_oneKeyringCall() throws Exception {
    byte[] ct =
        EnvelopeClient.builder()
            .algorithmSuite(SUITE)
            .keyring(new CountingKeyring())
            .build()
            .encrypt(new byte[] {42}, EC)
            .ciphertext();
    keyring.closeGate();
    EnvelopeClient reader =
        EnvelopeClient.builder()
            .materialsManager(
                CachingMaterialsManager.builder()
                    .keyring(keyring)
                    .maxAge(Duration.ofMinutes(5))
                    .build())
            .build();
    AtomicInteger entered = new AtomicInteger();

    CountDownLatch start = new CountDownLatch(1);
    List<Future<byte[]>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                entered.incrementAndGet();
                return reader.decrypt(ct).plaintext();
              }));
    }
    start.countDown();
    awaitWaiters(entered, THREADS - 1);
    assertThat(keyring.decryptCalls).hasValue(1);
    keyring.open();

    for (Future<byte[]> f : results) {
      assertThat(f.get(30, TimeUnit.SECONDS)).containsExactly(42);
    }
    assertThat(keyring.decryptCalls).hasValue(1);
  }

  @Test
  void singleFlight_failedLoad_sharedByWaiters_thenRetried() throws Exception {
    keyring.closeGate();
    keyring.failNext(new IllegalStateException("throttled"));
    CachingMaterialsManager m =
        CachingMaterialsManager.builder().keyring(keyring).maxAge(Duration.ofMinutes(5)).build();
    EncryptionMaterialsRequest r =
        EncryptionMaterialsRequest.builder()
            .encryptionContext(EC)
            .algorithmSuite(SUITE)
            .plaintextLength(10)
            .build();
    AtomicInteger entered = new AtomicInteger();

    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                entered.incrementAndGet();
                try {
                  m.getEncryptionMaterials(r);
                  return "ok";
                } catch (IllegalStateException e) {
                  return e.getMessage();
                }
              }));
    }
    start.countDown();
    awaitWaiters(entered, THREADS - 1);
    keyring.open();

    for (Future<String> f : results) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("throttled");
    }
    assertThat(keyring.encryptCalls).hasValue(1);
    assertThat(m.getEncryptionMaterials(r).hasPlaintextDataKey()).isTrue();
    assertThat(keyring.encryptCalls).hasValue(2);
  }
}
