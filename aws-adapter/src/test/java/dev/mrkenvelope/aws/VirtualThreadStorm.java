package dev.mrkenvelope.aws;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.SdkClients;
import java.nio.charset.StandardCharsets;
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
 */
public final class VirtualThreadStorm {
  static final String DEAD = "us-east-1";
  static final String HEALTHY = "eu-west-1";
  static final byte[] PLAINTEXT = "storm".getBytes(StandardCharsets.UTF_8);

  private VirtualThreadStorm() {}

  public static void main(String[] args) throws Exception {
    int calls = Integer.parseInt(args[0]);
    int inFlight = Integer.parseInt(args[1]);
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    long t0 = System.nanoTime();
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
      kms.faults(DEAD).blackhole();
      ExecutorService threads =
          (ExecutorService)
              Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
      Semaphore gate = new Semaphore(inFlight);
      for (int i = 0; i < calls; i++) {
        gate.acquire();
        threads.execute(
            () -> {
              try {
                if (!java.util.Arrays.equals(client.decrypt(ciphertext).plaintext(), PLAINTEXT)) {
                  throw new AssertionError("wrong plaintext");
                }
              } catch (Throwable t) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, t);
              } finally {
                gate.release();
              }
            });
      }
      threads.shutdown();
      if (!threads.awaitTermination(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("virtual threads did not finish");
      }
    }
    if (firstFailure.get() != null) {
      Throwable f = firstFailure.get();
      System.out.println(
          "FIRST FAILURE " + f + (f.getCause() == null ? "" : "\n  " + f.getCause()));
    }
    System.out.printf(
        "RESULT java=%s calls=%d inFlight=%d failed=%d ms=%d%n",
        Runtime.version(), calls, inFlight, failed.get(), (System.nanoTime() - t0) / 1_000_000);
  }
}
