package dev.mrkenvelope.aws;

import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.kmslocal.LocalKms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The child JVM of {@link VirtualThreadStormTest} (JDK 21+; compiled for 17, so virtual threads
 * are reached by reflection). Prints one {@code RESULT k=v ...} line; the parent starts it with a
 * JFR recording and reads the pinned events with the JDK's {@code jfr} tool.
 */
final class VirtualThreadStorm {
  static final int DECRYPTS = 10_000;
  static final int MAX_IN_FLIGHT = 2_000;
  private static final int MESSAGES = 50;
  private static final int THROUGHPUT_DECRYPTS = 3_000;
  private static final String PREFERRED = "us-east-1";
  private static final String HEALTHY = "eu-west-1";

  /** Failed decrypts in the healthy throughput runs (there should be none). */
  private static final AtomicInteger HEALTHY_FAILURES = new AtomicInteger();

  private static final AtomicReference<String> FIRST_HEALTHY_FAILURE =
      new AtomicReference<>("none");

  private VirtualThreadStorm() {}

  /** One token: the exception, its suppressed attempts and causes, without spaces or newlines. */
  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.toString());
    for (Throwable s : e.getSuppressed()) {
      sb.append(" |suppressed: ").append(s);
      for (Throwable c = s.getCause(); c != null; c = c.getCause()) {
        sb.append(" |cause: ").append(c);
      }
    }
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      sb.append(" |cause: ").append(c);
    }
    return sb.toString().replace('\n', '|').replace(' ', '_');
  }

  public static void main(String[] args) throws Exception {
    try (LocalKms kms =
        LocalKms.builder().regions(PREFERRED, HEALTHY).account("111122223333").start()) {
      String keyId = kms.createMultiRegionKey(PREFERRED, HEALTHY);
      warmUp(kms, keyId);
      List<KmsClient> clients = new ArrayList<>();
      // Default router settings; only the clients point at kms-local (no SDK retries, as the
      // router requires of a custom factory).
      KmsRouter router =
          KmsRouter.builder()
              .regions(PREFERRED, HEALTHY)
              .clientFactory(
                  region -> {
                    KmsClient c =
                        KmsClient.builder()
                            .endpointOverride(kms.endpoint(region))
                            .region(Region.of(region))
                            .credentialsProvider(
                                StaticCredentialsProvider.create(
                                    AwsBasicCredentials.create("AKIDLOCALKMS", "local-secret")))
                            .httpClient(UrlConnectionHttpClient.builder().build())
                            .overrideConfiguration(
                                o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                            .build();
                    synchronized (clients) {
                      clients.add(c);
                    }
                    return c;
                  })
              .build();
      EnvelopeClient client =
          EnvelopeClient.builder()
              .keyring(
                  AwsKmsMrkKeyring.builder()
                      .keyArn(kms.keyArn(PREFERRED, keyId))
                      .router(router)
                      .build())
              .algorithmSuite(dev.mrkenvelope.AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
              .build();
      byte[][] messages = new byte[MESSAGES][];
      for (int i = 0; i < MESSAGES; i++) {
        messages[i] = client.encrypt(("message " + i).getBytes(), Map.of("i", "" + i)).ciphertext();
      }
      // Warm the SDK and JIT on the healthy path before the storm.
      for (int i = 0; i < 200; i++) {
        client.decrypt(messages[i % MESSAGES]);
      }

      kms.faults(PREFERRED).blackhole();
      long blackholedBefore = kms.requestCount(PREFERRED, "Decrypt");
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger inFlight = new AtomicInteger();
      AtomicInteger maxInFlight = new AtomicInteger();
      AtomicReference<String> firstFailure = new AtomicReference<>("none");
      long start = System.nanoTime();
      {
        Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
        ExecutorService vts = virtualThreads();
        for (int i = 0; i < DECRYPTS; i++) {
          byte[] m = messages[i % MESSAGES];
          permits.acquire();
          vts.execute(
              () -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                  client.decrypt(m);
                  ok.incrementAndGet();
                } catch (RuntimeException e) {
                  failed.incrementAndGet();
                  firstFailure.compareAndSet("none", describe(e));
                } finally {
                  inFlight.decrementAndGet();
                  permits.release();
                }
              });
        }
        vts.shutdown();
        if (!vts.awaitTermination(4, TimeUnit.MINUTES)) {
          throw new IllegalStateException("storm did not finish in 4 minutes");
        }
      }
      long stormMillis = (System.nanoTime() - start) / 1_000_000;
      // kms-local counts requests it read; a blackholed Region reads them and never answers.
      long blackholed = kms.requestCount(PREFERRED, "Decrypt") - blackholedBefore;
      kms.faults(PREFERRED).heal();
      double vtRate = throughput(client, messages, virtualThreads());
      double poolRate = throughput(client, messages, Executors.newFixedThreadPool(64));

      System.out.println(
          "RESULT decrypts=" + DECRYPTS + " succeeded=" + ok.get() + " failed=" + failed.get()
              + " maxInFlight=" + maxInFlight.get() + " stormMillis=" + stormMillis
              + " blackholedRequests=" + blackholed
              + " healthyVirtualThreadsPerSecond=" + Math.round(vtRate)
              + " healthyPool64PerSecond=" + Math.round(poolRate)
              + " healthyFailures=" + HEALTHY_FAILURES.get()
              + " firstHealthyFailure=" + FIRST_HEALTHY_FAILURE.get()
              + " firstFailure=" + firstFailure.get());
      router.close();
      clients.forEach(KmsClient::close);
    }
  }

  /**
   * The first SDK calls in a JVM take seconds (class loading, JIT), longer than the router's
   * default 1.5 s attempt timeout on a loaded machine: warm the SDK up with a patient client.
   */
  private static void warmUp(LocalKms kms, String keyId) {
    for (String region : new String[] {PREFERRED, HEALTHY}) {
      try (KmsClient c =
          KmsClient.builder()
              .endpointOverride(kms.endpoint(region))
              .region(Region.of(region))
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create("AKIDLOCALKMS", "local-secret")))
              .httpClient(UrlConnectionHttpClient.builder().build())
              .build()) {
        for (int i = 0; i < 30; i++) {
          var dk = c.generateDataKey(b -> b.keyId(kms.keyArn(region, keyId)).numberOfBytes(32));
          c.decrypt(b -> b.keyId(kms.keyArn(region, keyId)).ciphertextBlob(dk.ciphertextBlob()));
        }
      }
    }
  }

  /** Decrypts per second for {@link #THROUGHPUT_DECRYPTS} decrypts (healthy Regions). */
  private static double throughput(EnvelopeClient client, byte[][] messages, ExecutorService pool)
      throws InterruptedException {
    Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
    AtomicInteger failures = new AtomicInteger();
    long start = System.nanoTime();
    for (int i = 0; i < THROUGHPUT_DECRYPTS; i++) {
      byte[] m = messages[i % MESSAGES];
      permits.acquire();
      pool.execute(
          () -> {
            try {
              client.decrypt(m);
            } catch (RuntimeException e) {
              if (failures.incrementAndGet() == 1) {
                FIRST_HEALTHY_FAILURE.set(describe(e));
              }
            } finally {
              permits.release();
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(4, TimeUnit.MINUTES);
    HEALTHY_FAILURES.addAndGet(failures.get());
    return THROUGHPUT_DECRYPTS / ((System.nanoTime() - start) / 1e9);
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()}, which a JDK 17 compile cannot name. */
  private static ExecutorService virtualThreads() throws ReflectiveOperationException {
    return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
  }
}
