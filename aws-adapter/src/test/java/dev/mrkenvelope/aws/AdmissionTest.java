package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import dev.mrkenvelope.testkit.SdkClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Admission control: each Region has {@code maxConcurrentAttemptsPerRegion} slots; calls beyond
 * them wait (on the call timeout, not the attempt timeout) instead of piling requests on, and move
 * on from a Region whose slots all hang.
 */
class AdmissionTest {
  static final String A = "us-east-1";
  static final String B = "eu-west-1";
  static final byte[] PLAINTEXT = "admission".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static final LocalKmsExtension kms = LocalKmsExtension.builder().regions(A, B).build();

  @Test
  void callsBeyondTheSlots_waitLongerThanTheAttemptTimeout_andAllSucceed() throws Exception {
    kms.kms().faults(A).latency(Duration.ofMillis(100));
    InFlight inFlight = new InFlight();
    // 40 calls through 2 slots of 100 ms: the last waits about 2 s, twice the attempt timeout.
    try (KmsRouter router =
        router(
            inFlight,
            b ->
                b.regions(A)
                    .maxConcurrentAttemptsPerRegion(2)
                    .attemptTimeout(Duration.ofSeconds(1)))) {
      List<Throwable> failures = decryptConcurrently(router, 40);

      assertThat(failures).isEmpty();
      assertThat(inFlight.max.get()).as("requests in flight at once").isBetween(1, 2);
    }
  }

  @Test
  void deadRegionHoldingEverySlot_waitingCallsMoveOn_andAllSucceed() throws Exception {
    kms.kms().faults(A).blackhole();
    InFlight inFlight = new InFlight();
    try (KmsRouter router =
        router(
            inFlight,
            b ->
                b.regions(A, B)
                    .maxConcurrentAttemptsPerRegion(2)
                    .breakerThreshold(1000) // the breaker stays out of it
                    .attemptTimeout(Duration.ofSeconds(1)))) {
      List<Throwable> failures = decryptConcurrently(router, 30);

      assertThat(failures).isEmpty();
      // Without admission control all 30 would have waited for their own timeout in A.
      assertThat(kms.kms().requestCount(A, "Decrypt")).isLessThanOrEqualTo(8);
      assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(30);
    }
  }

  private KmsRouter router(InFlight inFlight, UnaryOperator<KmsRouter.Builder> settings) {
    return settings
        .apply(
            KmsRouter.builder()
                .clientCustomizer(
                    (region, b) ->
                        b.endpointOverride(kms.kms().endpoint(region))
                            .credentialsProvider(SdkClients.credentials())
                            .overrideConfiguration(c -> c.addExecutionInterceptor(inFlight))))
        .build();
  }

  /** Encrypts once while every Region is healthy, then decrypts {@code calls} times at once. */
  private List<Throwable> decryptConcurrently(KmsRouter router, int calls) throws Exception {
    String key = kms.createMultiRegionKey(B);
    EnvelopeClient client =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.arnIn(A, key))
                    .router(
                        kms.closeAfterAll(
                            KmsRouter.builder()
                                .regions(B)
                                .clientFactory(kms.clientFactory())
                                .build()))
                    .build())
            .build();
    byte[] ciphertext = client.encrypt(PLAINTEXT, Map.of()).ciphertext();
    EnvelopeClient reader =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(kms.arnIn(A, key)).router(router).build())
            .build();
    kms.kms().resetRequestCounts();
    ExecutorService threads = Executors.newFixedThreadPool(calls);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        results.add(threads.submit(() -> reader.decrypt(ciphertext).plaintext()));
      }
      List<Throwable> failures = new ArrayList<>();
      for (Future<byte[]> f : results) {
        try {
          assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(PLAINTEXT);
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      return failures;
    } finally {
      threads.shutdownNow();
    }
  }

  /** Counts the requests the SDK has on the wire at once. */
  static final class InFlight implements ExecutionInterceptor {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      max.accumulateAndGet(now.incrementAndGet(), Math::max);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      now.decrementAndGet();
    }

    @Override
    public void onExecutionFailure(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      now.decrementAndGet();
    }
  }
}
