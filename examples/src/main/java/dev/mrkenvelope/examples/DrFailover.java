package dev.mrkenvelope.examples;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.AwsKmsMrkDiscoveryKeyring;
import dev.mrkenvelope.aws.AwsKmsMrkKeyring;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.CachingMaterialsManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The disaster-recovery demo, and the README's main job: an active-active workload on a
 * multi-region key survives the loss of its primary region.
 *
 * <ol>
 *   <li>kms-local serves us-east-1, eu-west-1 and ap-southeast-1; a multi-region key is created in
 *       us-east-1 and replicated to the other two through the SDK.
 *   <li>A writer encrypts in us-east-1 (its router may fail over to eu-west-1, then
 *       ap-southeast-1); readers decrypt locally in eu-west-1 (MRK keyring on the eu-west-1
 *       replica) and ap-southeast-1 (MRK discovery keyring).
 *   <li>A third of the way in, us-east-1 goes down. Every message still encrypts and decrypts.
 * </ol>
 */
public final class DrFailover {
  private DrFailover() {}

  /**
   * Runs the workload: {@code messages} messages at about {@code perSecond} per second (0 = flat
   * out); with {@code outage}, us-east-1 goes down a third of the way in.
   */
  public static Summary run(PrintStream out, int messages, int perSecond, boolean outage)
      throws InterruptedException {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (Lab lab = Lab.start()) {
      out.println(
          "Starting kms-local: us-east-1, eu-west-1, ap-southeast-1 (account " + Lab.ACCOUNT + ")");
      String primaryArn =
          lab.createMultiRegionKey(Lab.US_EAST_1, Lab.EU_WEST_1, Lab.AP_SOUTHEAST_1);
      out.println("Created multi-region key " + primaryArn);
      out.println("  replicated to eu-west-1 and ap-southeast-1");

      // Writer in us-east-1: prefers its own region, may fail over to the replicas.
      Keyring writerKeyring =
          AwsKmsMrkKeyring.builder()
              .keyArn(primaryArn)
              .router(lab.router(registry, Lab.US_EAST_1, Lab.EU_WEST_1, Lab.AP_SOUTHEAST_1))
              .build();
      EnvelopeClient writer = client(writerKeyring, registry);

      // Reader in eu-west-1: the MRK keyring on its local replica decrypts us-east-1's data keys.
      Keyring euKeyring =
          AwsKmsMrkKeyring.builder()
              .keyArn(Lab.inRegion(primaryArn, Lab.EU_WEST_1))
              .router(lab.router(registry, Lab.EU_WEST_1, Lab.AP_SOUTHEAST_1))
              .build();
      EnvelopeClient euReader = client(euKeyring, registry);

      // Reader in ap-southeast-1: discovery, limited to our account.
      Keyring apKeyring =
          AwsKmsMrkDiscoveryKeyring.builder()
              .router(lab.router(registry, Lab.AP_SOUTHEAST_1, Lab.EU_WEST_1))
              .discoveryFilter("aws", Set.of(Lab.ACCOUNT))
              .build();
      EnvelopeClient apReader = client(apKeyring, registry);

      lab.kms.resetRequestCounts(); // count the workload's requests, not the set-up's
      Workload w = new Workload(messages);
      int outageAt = messages / 3;
      ExecutorService pool = Executors.newFixedThreadPool(4);
      Progress progress = new Progress(out, w, lab);
      progress.start();
      long startNanos = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        final int n = i;
        if (outage && n == outageAt) {
          lab.kms.faults(Lab.US_EAST_1).outage();
          progress.event("us-east-1 is DOWN (connections refused) after " + n + " messages");
        }
        pool.execute(() -> w.one(n, writer, n % 2 == 0 ? euReader : apReader));
        if (perSecond > 0) {
          long due = startNanos + TimeUnit.SECONDS.toNanos(n + 1) / perSecond;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
      }
      pool.shutdown();
      if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the workload did not finish in 2 minutes");
      }
      progress.stop();
      Summary summary = Summary.of(w, lab, registry, System.nanoTime() - startNanos);
      summary.print(out);
      return summary;
    }
  }

  private static EnvelopeClient client(Keyring keyring, MeterRegistry registry) {
    return EnvelopeClient.builder()
        .materialsManager(
            CachingMaterialsManager.builder()
                .keyring(keyring)
                .maxAge(Duration.ofMinutes(5))
                .maxMessagesPerKey(50) // low on purpose, so the demo keeps calling KMS
                .meterRegistry(registry)
                .build())
        .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
        .meterRegistry(registry)
        .build();
  }

  private static final Map<String, String> CONTEXT = Map.of("app", "orders", "tier", "gold");

  /** The messages, their outcomes and their latencies. */
  static final class Workload {
    final int messages;
    final AtomicInteger done = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final long[] encryptNanos;
    final long[] decryptNanos;
    volatile String lastError;

    Workload(int messages) {
      this.messages = messages;
      this.encryptNanos = new long[messages];
      this.decryptNanos = new long[messages];
    }

    void one(int n, EnvelopeClient writer, EnvelopeClient reader) {
      byte[] payload = new byte[1024];
      byte[] id = ("order-" + n).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(id, 0, payload, 0, id.length);
      try {
        long t0 = System.nanoTime();
        // The context is authenticated, not secret; messages that share it share cached data keys.
        byte[] ciphertext = writer.encrypt(payload, CONTEXT).ciphertext();
        long t1 = System.nanoTime();
        DecryptResult d = reader.decrypt(ciphertext);
        long t2 = System.nanoTime();
        if (!Arrays.equals(d.plaintext(), payload)
            || !"orders".equals(d.encryptionContext().get("app"))) {
          throw new IllegalStateException("message " + n + " came back different");
        }
        encryptNanos[n] = t1 - t0;
        decryptNanos[n] = t2 - t1;
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        lastError = e.toString();
      } finally {
        done.incrementAndGet();
      }
    }
  }
}
