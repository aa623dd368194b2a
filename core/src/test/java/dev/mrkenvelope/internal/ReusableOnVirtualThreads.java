package dev.mrkenvelope.internal;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.keyring.RawAesKeyring;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM (Java 21+) of {@link ReusableOnVirtualThreadsTest}: drives {@link Reusable} and the
 * library on virtual threads and prints one {@code RESULT} line for the parent to check. Compiled
 * for Java 17, so virtual threads are reached by reflection.
 */
final class ReusableOnVirtualThreads {
  static final int TASKS = 20_000;
  static final int ROUND_TRIPS = 2_000;

  /** A reusable object that knows how many threads hold it at once. */
  static final class Held {
    final AtomicInteger holders = new AtomicInteger();
  }

  public static void main(String[] args) throws Exception {
    ExecutorService virtual =
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    try {
      Callable<Boolean> detect = Reusable::currentThreadIsVirtual;
      boolean detectedOnVirtual = virtual.submit(detect).get();
      boolean detectedOnPlatform = Reusable.currentThreadIsVirtual();

      AtomicInteger made = new AtomicInteger();
      AtomicInteger shared = new AtomicInteger();
      Reusable<Held> pool =
          new Reusable<>(
              () -> {
                made.incrementAndGet();
                return new Held();
              },
              Runtime.getRuntime().availableProcessors(),
              Reusable::currentThreadIsVirtual);
      Future<?>[] tasks = new Future<?>[TASKS];
      for (int i = 0; i < TASKS; i++) {
        tasks[i] =
            virtual.submit(
                () -> {
                  Held h = pool.acquire();
                  if (h.holders.incrementAndGet() != 1) {
                    shared.incrementAndGet();
                  }
                  h.holders.decrementAndGet();
                  pool.release(h);
                });
      }
      for (Future<?> f : tasks) {
        f.get();
      }

      // The library itself: AES-GCM ciphers and HKDF MACs come from Reusable.
      byte[] key = new byte[32];
      new Random(7).nextBytes(key);
      EnvelopeClient client =
          EnvelopeClient.builder()
              .keyring(
                  RawAesKeyring.builder().keyNamespace("ns").keyName("k").wrappingKey(key).build())
              .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
              .frameLength(512)
              .build();
      AtomicInteger wrong = new AtomicInteger();
      Future<?>[] trips = new Future<?>[ROUND_TRIPS];
      for (int i = 0; i < ROUND_TRIPS; i++) {
        int n = i;
        trips[i] =
            virtual.submit(
                () -> {
                  byte[] plaintext = new byte[n % 3000];
                  new Random(n).nextBytes(plaintext);
                  Map<String, String> ec = Map.of("n", Integer.toString(n));
                  byte[] ct = client.encrypt(plaintext, ec).ciphertext();
                  var result = client.decrypt(ct);
                  if (!Arrays.equals(result.plaintext(), plaintext)
                      || !result.encryptionContext().equals(ec)) {
                    wrong.incrementAndGet();
                  }
                });
      }
      int failed = 0;
      ExecutionException first = null;
      for (Future<?> f : trips) {
        try {
          f.get();
        } catch (ExecutionException e) {
          first = first == null ? e : first;
          failed++;
        }
      }
      System.out.println(
          "RESULT virtualDetected="
              + detectedOnVirtual
              + " platformDetected="
              + detectedOnPlatform
              + " tasks="
              + TASKS
              + " made="
              + made.get()
              + " shared="
              + shared.get()
              + " roundTrips="
              + ROUND_TRIPS
              + " wrong="
              + wrong.get()
              + " failed="
              + failed);
      if (first != null) {
        // The child exits non-zero with the first failure's trace, which the parent shows.
        throw new IllegalStateException(failed + " round trips failed", first);
      }
    } finally {
      virtual.shutdown();
    }
  }
}
