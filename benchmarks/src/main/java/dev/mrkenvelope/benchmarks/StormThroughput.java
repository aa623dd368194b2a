package dev.mrkenvelope.benchmarks;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.AwsKmsMrkKeyring;
import dev.mrkenvelope.aws.KmsRouter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decrypt throughput through {@link AwsKmsMrkKeyring} + {@link KmsRouter} (default settings) on
 * kms-local, on virtual threads (2,000 in flight, and 64 in flight to compare like with like) and
 * on a pool of 64 platform threads, healthy and with the preferred Region blackholed. Not a JMH
 * benchmark: virtual threads need Java 21+, and the build (and JMH's forks) run on 17, so {@code
 * run.sh} starts this with a JDK 21+ when it finds one. Writes a Markdown section to the file named
 * by its argument.
 *
 * <p>Every number is one pass of 10,000 decrypts after a 2,000-decrypt warm-up. There are {@value
 * #ROUNDS} rounds, each running every configuration once, each starting at a different
 * configuration; a row shows the fastest of the last {@value #KEPT} passes of its configuration and
 * the failures of all of them. The JVM keeps speeding up for a minute or more, and the machine's
 * other load comes and goes, so a single pass, or a fixed order, would favour whatever ran last;
 * the fastest of several passes is the one least slowed by either. kms-local runs in the same JVM,
 * so it shares the CPUs with the client.
 */
public final class StormThroughput {
  static final int CALLS = 10_000;
  static final int ROUNDS = 5;
  static final int KEPT = 3;
  static final int VIRTUAL_IN_FLIGHT = 2_000;
  static final int POOL_THREADS = 64;

  private StormThroughput() {}

  /** Entry point: {@code StormThroughput <output.md>}. */
  public static void main(String[] args) throws Exception {
    StringBuilder md = new StringBuilder();
    md.append("\n## Virtual threads under a storm (Java ")
        .append(Runtime.version().feature())
        .append(")\n\n")
        .append(
            "10,000 decrypts of one 1 KiB message (0x0478) through `AwsKmsMrkKeyring` +"
                + " `KmsRouter` with default settings on kms-local (same JVM); written by"
                + " `StormThroughput`, started by `run.sh`. "
                + ROUNDS
                + " rounds each run every configuration once, each round starting at the next"
                + " configuration; decrypts/s is the fastest of a configuration's last "
                + KEPT
                + " passes, failed counts all "
                + KEPT
                + ".\n\n")
        .append("| scenario | threads | in flight | decrypts/s | failed | seconds |\n")
        .append("|---|---|---|---|---|---|\n");
    List<Config> configs = new ArrayList<>();
    for (boolean blackhole : new boolean[] {false, true}) {
      configs.add(new Config(blackhole, true, VIRTUAL_IN_FLIGHT));
      configs.add(new Config(blackhole, true, POOL_THREADS));
      configs.add(new Config(blackhole, false, POOL_THREADS));
    }
    Map<Config, List<Pass>> kept = new LinkedHashMap<>();
    configs.forEach(c -> kept.put(c, new ArrayList<>()));
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < configs.size(); i++) {
        Config c = configs.get((round + i) % configs.size());
        Pass pass = pass(c);
        if (round >= ROUNDS - KEPT) {
          kept.get(c).add(pass);
        }
      }
    }
    List<String> rows = new ArrayList<>();
    kept.forEach((c, passes) -> rows.add(row(c, passes)));
    rows.forEach(md::append);
    Files.writeString(Path.of(args[0]), md.toString());
    System.out.print(md);
  }

  /** One configuration of the table. */
  private record Config(boolean blackhole, boolean virtual, int inFlight) {}

  /** One pass of {@link #CALLS} decrypts. */
  private record Pass(double perSecond, int failed, double seconds) {}

  private static String row(Config c, List<Pass> passes) {
    Pass best = passes.stream().max(Comparator.comparingDouble(Pass::perSecond)).orElseThrow();
    int failed = passes.stream().mapToInt(Pass::failed).sum();
    return String.format(
        Locale.ROOT,
        "| %s | %s | %,d | %,.0f | %,d | %.1f |%n",
        c.blackhole() ? "preferred Region blackholed" : "healthy",
        c.virtual() ? "virtual (one per call)" : POOL_THREADS + " platform",
        c.inFlight(),
        best.perSecond(),
        failed,
        best.seconds());
  }

  private static Pass pass(Config c) throws Exception {
    KmsFixture fixture = KmsFixture.start();
    try (KmsRouter router = fixture.router().build()) {
      EnvelopeClient client =
          EnvelopeClient.builder()
              .keyring(AwsKmsMrkKeyring.builder().keyArn(fixture.keyArn).router(router).build())
              .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
              .build();
      byte[] plaintext = Fixtures.plaintext(1024);
      byte[] message = client.encrypt(plaintext, Fixtures.CONTEXT).ciphertext();
      run(client, message, plaintext, c.virtual(), c.inFlight(), 2_000); // warm-up, healthy
      if (c.blackhole()) {
        fixture.kms.faults(KmsFixture.PREFERRED).blackhole();
      }
      long t0 = System.nanoTime();
      int failed = run(client, message, plaintext, c.virtual(), c.inFlight(), CALLS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Pass(CALLS / seconds, failed, seconds);
    } finally {
      fixture.close();
    }
  }

  private static int run(
      EnvelopeClient client,
      byte[] message,
      byte[] plaintext,
      boolean virtual,
      int inFlight,
      int calls)
      throws Exception {
    ExecutorService threads =
        virtual
            ? (ExecutorService)
                Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null)
            : Executors.newFixedThreadPool(inFlight);
    AtomicInteger failed = new AtomicInteger();
    Semaphore gate = new Semaphore(inFlight);
    try {
      for (int i = 0; i < calls; i++) {
        gate.acquire();
        threads.execute(
            () -> {
              try {
                if (!Arrays.equals(client.decrypt(message).plaintext(), plaintext)) {
                  failed.incrementAndGet();
                }
              } catch (RuntimeException e) {
                failed.incrementAndGet();
              } finally {
                gate.release();
              }
            });
      }
    } finally {
      threads.shutdown();
    }
    if (!threads.awaitTermination(5, TimeUnit.MINUTES)) {
      throw new IOException("decrypts did not finish within 5 minutes");
    }
    return failed.get();
  }
}
