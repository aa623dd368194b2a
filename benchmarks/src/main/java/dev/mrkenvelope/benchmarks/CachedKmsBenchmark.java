package dev.mrkenvelope.benchmarks;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.AwsKmsMrkKeyring;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.materials.CachingMaterialsManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * P3 of issue 7: 1 KiB encrypt + decrypt round trips (suite 0x0478, frame 4096, one thread) with a
 * {@link CachingMaterialsManager} over an {@link AwsKmsMrkKeyring} on an in-process kms-local
 * ({@code cachedKms}), against mrk-envelope's own uncached raw AES keyring ({@code
 * uncachedRawAes}); {@code uncachedKms} (the MRK keyring without a cache: one GenerateDataKey and
 * one Decrypt per round trip over loopback HTTP) shows what the cache saves.
 *
 * <p>The cache: max age 5 minutes, the default message and byte limits, so in steady state both
 * encrypt and decrypt are served from it. kms-local runs in the benchmark's JVM and shares its
 * CPUs.
 *
 * <p>Run alone: {@code java -jar benchmarks/target/benchmarks.jar CachedKmsBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class CachedKmsBenchmark {
  private static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;

  @State(Scope.Benchmark)
  public static class Kms {
    KmsFixture fixture;
    KmsRouter router;
    AwsKmsMrkKeyring keyring;

    @Setup(Level.Trial)
    public void setUp() {
      fixture = KmsFixture.start();
      router = fixture.router().build();
      keyring = AwsKmsMrkKeyring.builder().keyArn(fixture.keyArn).router(router).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      router.close();
      fixture.close();
    }
  }

  @State(Scope.Thread)
  public static class Cached {
    EnvelopeClient client;
    byte[] plaintext = Fixtures.plaintext(1024);

    @Setup(Level.Trial)
    public void setUp(Kms kms) {
      CachingMaterialsManager cache =
          CachingMaterialsManager.builder()
              .keyring(kms.keyring)
              .maxAge(Duration.ofMinutes(5))
              .build();
      client = client(EnvelopeClient.builder().materialsManager(cache));
      roundTrip(client, plaintext);
    }
  }

  @State(Scope.Thread)
  public static class UncachedKms {
    EnvelopeClient client;
    byte[] plaintext = Fixtures.plaintext(1024);

    @Setup(Level.Trial)
    public void setUp(Kms kms) {
      client = client(EnvelopeClient.builder().keyring(kms.keyring));
      roundTrip(client, plaintext);
    }
  }

  @State(Scope.Thread)
  public static class RawAes {
    EnvelopeClient client;
    byte[] plaintext = Fixtures.plaintext(1024);

    @Setup(Level.Trial)
    public void setUp() {
      client = client(EnvelopeClient.builder().keyring(Fixtures.rawAesKeyring()));
      roundTrip(client, plaintext);
    }
  }

  static EnvelopeClient client(EnvelopeClient.Builder b) {
    return b.algorithmSuite(SUITE).frameLength(Fixtures.FRAME_LENGTH).build();
  }

  static void roundTrip(EnvelopeClient client, byte[] plaintext) {
    byte[] ct = client.encrypt(plaintext, Fixtures.CONTEXT).ciphertext();
    HotPathBenchmark.check(
        Arrays.equals(client.decrypt(ct).plaintext(), plaintext), "round trip in set-up");
  }

  @Benchmark
  public void cachedKms(Cached s, Blackhole bh) {
    byte[] ct = s.client.encrypt(s.plaintext, Fixtures.CONTEXT).ciphertext();
    bh.consume(s.client.decrypt(ct).plaintext());
  }

  @Benchmark
  public void uncachedKms(UncachedKms s, Blackhole bh) {
    byte[] ct = s.client.encrypt(s.plaintext, Fixtures.CONTEXT).ciphertext();
    bh.consume(s.client.decrypt(ct).plaintext());
  }

  @Benchmark
  public void uncachedRawAes(RawAes s, Blackhole bh) {
    byte[] ct = s.client.encrypt(s.plaintext, Fixtures.CONTEXT).ciphertext();
    bh.consume(s.client.decrypt(ct).plaintext());
  }
}
