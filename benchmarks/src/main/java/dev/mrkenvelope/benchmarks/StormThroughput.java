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
import java.util.List;
import java.util.Locale;
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
 * <p>Every number is one pass of 10,000 decrypts after a 2,000-decrypt warm-up, from the last of
 * {@value #ROUNDS} rounds that each run every configuration once (the JVM keeps speeding up for a
 * minute or more, so one pass would favour whatever ran last); kms-local runs in the same JVM, so
 * it shares the CPUs with the client.
 */
public final class StormThroughput {
  static final int CALLS = 10_000;
  static final int ROUNDS = 3;
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
                + " `StormThroughput`, started by `run.sh`. The last of "
                + ROUNDS
                + " rounds, each running every configuration once.\n\n")
        .append("| scenario | threads | in flight | decrypts/s | failed | seconds |\n")
        .append("|---|---|---|---|---|---|\n");
    // The JVM keeps getting faster for a minute or more (measured: the same configuration ran at
    // 1,900/s early and 2,900/s later in one JVM), so a single pass would favour whatever runs
    // last.
    // Every configuration runs once per round, in the same order; the table shows the last round.
    List<String> rows = List.of();
    for (int round = 0; round < ROUNDS; round++) {
      List<String> thisRound = new ArrayList<>();
      for (boolean blackhole : new boolean[] {false, true}) {
        thisRound.add(row(blackhole, true, VIRTUAL_IN_FLIGHT));
        thisRound.add(row(blackhole, true, POOL_THREADS));
        thisRound.add(row(blackhole, false, POOL_THREADS));
      }
      rows = thisRound;
    }
    rows.forEach(md::append);
    Files.writeString(Path.of(args[0]), md.toString());
    System.out.print(md);
  }

  private static String row(boolean blackhole, boolean virtual, int inFlight) throws Exception {
    KmsFixture fixture = KmsFixture.start();
    try (KmsRouter router = fixture.router().build()) {
      EnvelopeClient client =
          EnvelopeClient.builder()
              .keyring(AwsKmsMrkKeyring.builder().keyArn(fixture.keyArn).router(router).build())
              .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
              .build();
      byte[] plaintext = Fixtures.plaintext(1024);
      byte[] message = client.encrypt(plaintext, Fixtures.CONTEXT).ciphertext();
      run(client, message, plaintext, virtual, inFlight, 2_000); // warm-up, healthy
      if (blackhole) {
        fixture.kms.faults(KmsFixture.PREFERRED).blackhole();
      }
      long t0 = System.nanoTime();
      int failed = run(client, message, plaintext, virtual, inFlight, CALLS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      return String.format(
          Locale.ROOT,
          "| %s | %s | %,d | %,.0f | %,d | %.1f |%n",
          blackhole ? "preferred Region blackholed" : "healthy",
          virtual ? "virtual (one per call)" : POOL_THREADS + " platform",
          inFlight,
          CALLS / seconds,
          failed,
          seconds);
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
