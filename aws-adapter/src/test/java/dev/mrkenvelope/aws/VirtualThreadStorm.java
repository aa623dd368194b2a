package dev.mrkenvelope.aws;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.SdkClients;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run by {@link VirtualThreadStormTest} in a JVM of Java 21 or later: decrypts on virtual threads
 * (at most {@code inFlight} at once) with the preferred Region blackholed and the default router
 * settings (the parent records {@code jdk.VirtualThreadPinned} with JFR). Prints one {@code RESULT}
 * line. Compiled for Java 17, so virtual threads are reached by reflection.
 *
 * <p>The JVM is warmed up first, with both Regions healthy: a service that meets an outage has been
 * running, and on a cold JVM on two CPUs the JIT compiler takes about a quarter of the CPU for the
 * first seconds (measured with JFR), which this storm would measure instead of the router.
 *
 * <p>Then the machine's capacity is measured, also with both Regions healthy and {@code inFlight}
 * calls at once: every call waits about {@code inFlight / (decrypts per second)} for its turn, so
 * when that alone would take more than half the call timeout no router could pass, and the storm
 * prints a {@code SKIP} line instead (the machine is too slow or too busy for this size), which the
 * test reports as skipped.
 */
public final class VirtualThreadStorm {
  static final String DEAD = "us-east-1";
  static final String HEALTHY = "eu-west-1";
  static final byte[] PLAINTEXT = "storm".getBytes(StandardCharsets.UTF_8);
  static final int WARM_UP_CALLS = 4_000;
  static final int WARM_UP_IN_FLIGHT = 64;
  static final int CAPACITY_CALLS = 4_000;

  /** The router's default call timeout. */
  static final long CALL_TIMEOUT_MILLIS = 5_000;

  private VirtualThreadStorm() {}

  public static void main(String[] args) throws Exception {
    int calls = Integer.parseInt(args[0]);
    int inFlight = Integer.parseInt(args[1]);
    try (LocalKms kms = LocalKms.builder().regions(DEAD, HEALTHY).account("111122223333").start();
        KmsRouter router =
            KmsRouter.builder()
                .regions(DEAD, HEALTHY)
                .clientCustomizer(
                    (region, b) ->
                        b.endpointOverride(kms.endpoint(region))
                            .credentialsProvider(SdkClients.credentials()))
                .build()) {
      String keyId = kms.createMultiRegionKey(DEAD, HEALTHY);
      EnvelopeClient client =
          EnvelopeClient.builder()
              .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
              .keyring(
                  AwsKmsMrkKeyring.builder().keyArn(kms.keyArn(DEAD, keyId)).router(router).build())
              .build();
      byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of("k", "v")).ciphertext();
      Stats warm = storm(client, ciphertext, WARM_UP_CALLS, WARM_UP_IN_FLIGHT);
      System.out.println("WARM-UP (both Regions healthy) " + warm.summary());
      Stats capacity = storm(client, ciphertext, Math.max(CAPACITY_CALLS, inFlight), inFlight);
      System.out.println("CAPACITY (both Regions healthy) " + capacity.summary());
      long needed = inFlight * 1000L / (CALL_TIMEOUT_MILLIS / 2);
      if (capacity.perSecond() < needed) {
        System.out.printf(
            "SKIP this machine served %d decrypts/s with both Regions healthy; %d in flight need at"
                + " least %d/s to queue for under half the %d ms call timeout%n",
            capacity.perSecond(), inFlight, needed, CALL_TIMEOUT_MILLIS);
        return;
      }
      kms.faults(DEAD).blackhole();
      Stats storm = storm(client, ciphertext, calls, inFlight);
      if (storm.firstFailure != null) {
        Throwable f = storm.firstFailure;
        System.out.println(
            "FIRST FAILURE " + f + (f.getCause() == null ? "" : "\n  " + f.getCause()));
        for (Throwable s : f.getSuppressed()) {
          System.out.println("  suppressed: " + s);
        }
      }
      System.out.printf(
          "RESULT java=%s calls=%d inFlight=%d %s%n",
          Runtime.version(), calls, inFlight, storm.summary());
    }
  }

  /** {@code calls} decrypts on virtual threads, at most {@code inFlight} at once. */
  static Stats storm(EnvelopeClient client, byte[] ciphertext, int calls, int inFlight)
      throws Exception {
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    long[] latencies = new long[calls];
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    long t0 = System.nanoTime();
    ExecutorService threads =
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    Semaphore gate = new Semaphore(inFlight);
    for (int i = 0; i < calls; i++) {
      gate.acquire();
      threads.execute(
          () -> {
            long began = System.nanoTime();
            try {
              if (!Arrays.equals(client.decrypt(ciphertext).plaintext(), PLAINTEXT)) {
                throw new AssertionError("wrong plaintext");
              }
            } catch (Throwable t) {
              failed.incrementAndGet();
              firstFailure.compareAndSet(null, t);
            } finally {
              latencies[done.getAndIncrement()] = System.nanoTime() - began;
              gate.release();
            }
          });
    }
    threads.shutdown();
    if (!threads.awaitTermination(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("virtual threads did not finish");
    }
    Arrays.sort(latencies);
    return new Stats(
        failed.get(), (System.nanoTime() - t0) / 1_000_000, latencies, firstFailure.get());
  }

  /** What one storm measured; latencies sorted, in nanoseconds. */
  record Stats(int failed, long millis, long[] latencies, Throwable firstFailure) {
    long perSecond() {
      return latencies.length * 1000L / Math.max(1, millis);
    }

    String summary() {
      int n = latencies.length;
      return String.format(
          "failed=%d ms=%d decrypts/s=%d latency ms p50=%d p90=%d p99=%d max=%d",
          failed,
          millis,
          perSecond(),
          latencies[n / 2] / 1_000_000,
          latencies[n * 9 / 10] / 1_000_000,
          latencies[n * 99 / 100] / 1_000_000,
          latencies[n - 1] / 1_000_000);
    }
  }
}
