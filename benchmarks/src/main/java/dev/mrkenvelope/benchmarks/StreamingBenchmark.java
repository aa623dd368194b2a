package dev.mrkenvelope.benchmarks;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * P5 of issue 7: decrypting a 1 GiB message (suite 0x0478, frame 4096, raw AES keyring) through
 * {@link EnvelopeClient#decryptingStream} in a JVM limited to {@code -Xmx64m}, against the 1 MiB
 * {@code byte[]} decrypt in the same JVM.
 *
 * <p>The message is written once per fork to a temporary file with {@link
 * EnvelopeClient#encryptingStream} (so it sits in the page cache: this measures decryption, not the
 * disk) and deleted afterwards. {@code decryptStream1GiB} is one single-shot decrypt of the whole
 * file per operation: MB/s = 1024 / (s/op). {@code decryptByteArray1MiB} is {@code decrypt(byte[])}
 * of a 1 MiB message: MB/s = ops/s. {@code streamAndArrayInTurns} judges P5′: it reads 1 MiB from
 * the stream and decrypts the 1 MiB message in turns, each timed into its own counter, so that
 * outside load slows both alike (the two benchmarks above run in separate forks, whose speeds move
 * by a third on a shared machine). Peak heap: add {@code -prof
 * dev.mrkenvelope.benchmarks.PeakHeapProfiler} (as {@code benchmarks/run.sh} does); each trial also
 * prints it.
 *
 * <p>Run alone: {@code java -jar benchmarks/target/benchmarks.jar StreamingBenchmark -prof
 * dev.mrkenvelope.benchmarks.PeakHeapProfiler}. Smaller message (e.g. for a smoke run): {@code -p
 * streamMiB=64} (not {@code -jvmArgsAppend}: that would replace the {@code -Xmx64m}).
 */
@Fork(value = 1, jvmArgsAppend = "-Xmx64m")
public class StreamingBenchmark {
  static final int MIB = 1024 * 1024;

  static EnvelopeClient client() {
    return EnvelopeClient.builder()
        .keyring(Fixtures.rawAesKeyring())
        .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
        .frameLength(Fixtures.FRAME_LENGTH)
        .build();
  }

  /** The big message, on disk. */
  @State(Scope.Thread)
  public static class Stream {
    /** The message size; 1024 (1 GiB) for the real run, smaller for a smoke run. */
    @Param("1024")
    public int streamMiB;

    EnvelopeClient client;
    Path file;
    long plaintextLength;
    final byte[] buffer = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      client = client();
      byte[] chunk = Fixtures.plaintext(MIB);
      long mib = streamMiB;
      plaintextLength = mib * MIB;
      file = Files.createTempFile("mrk-envelope-stream-bench", ".msg");
      try (OutputStream out =
          client.encryptingStream(
              new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), Fixtures.CONTEXT)) {
        for (long i = 0; i < mib; i++) {
          chunk[0] = (byte) i; // not one repeated MiB
          out.write(chunk);
        }
      }
      PeakHeapProfiler.resetPeaks();
    }

    /** The big message's decrypting stream, from the start. */
    InputStream open() throws IOException {
      return client.decryptingStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      System.out.printf(
          "%n[StreamingBenchmark] %d MiB message (%d bytes on disk): peak heap %.1f MiB, peak live"
              + " heap after GC %.1f MiB, max heap %.1f MiB%n",
          plaintextLength / MIB,
          Files.size(file),
          PeakHeapProfiler.peakHeapMiB(),
          PeakHeapProfiler.peakLiveHeapMiB(),
          PeakHeapProfiler.maxHeapMiB());
      Files.deleteIfExists(file);
    }
  }

  /** The 1 MiB message, in memory. */
  @State(Scope.Thread)
  public static class Small {
    EnvelopeClient client;
    byte[] message;

    @Setup(Level.Trial)
    public void setUp() {
      client = client();
      message = client.encrypt(Fixtures.plaintext(MIB), Fixtures.CONTEXT).ciphertext();
    }
  }

  /**
   * P5′ judged in one fork: nanoseconds spent per iteration reading 1 MiB from the stream and
   * decrypting the 1 MiB {@code byte[]} message (JMH reports each public field; the report takes,
   * per iteration, {@code arrayNanos / streamNanos} = the stream's throughput over the array's).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Turns {
    public long streamNanos;
    public long arrayNanos;
    boolean streamFirst;
    InputStream open;
    long left;

    @Setup(Level.Iteration)
    public void reset() {
      streamNanos = 0;
      arrayNanos = 0;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      if (open != null) {
        open.close();
      }
    }
  }

  /**
   * One turn each, in alternating order: 1 MiB of plaintext read from the big message's stream
   * (reopened, header and all, when it ends) and one {@code decrypt(byte[])} of the 1 MiB message.
   * Both in the same JVM and heap, so outside load slows both alike.
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 5, time = 2)
  @Measurement(iterations = 10, time = 2)
  public void streamAndArrayInTurns(Stream s, Small small, Turns t, Blackhole bh)
      throws IOException {
    t.streamFirst = !t.streamFirst;
    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      if ((i == 0) == t.streamFirst) {
        readOneMiB(s, t);
        t.streamNanos += System.nanoTime() - t0;
      } else {
        bh.consume(small.client.decrypt(small.message).plaintext());
        t.arrayNanos += System.nanoTime() - t0;
      }
    }
  }

  private static void readOneMiB(Stream s, Turns t) throws IOException {
    if (t.open == null || t.left == 0) {
      if (t.open != null) {
        if (t.open.read() != -1) {
          throw new IllegalStateException("the stream has bytes past its plaintext");
        }
        t.open.close();
      }
      t.open = s.open();
      t.left = s.plaintextLength;
    }
    int want = MIB;
    while (want > 0) {
      int n = t.open.read(s.buffer, 0, Math.min(want, s.buffer.length));
      if (n < 0) {
        throw new IllegalStateException("the stream ended " + t.left + " bytes early");
      }
      want -= n;
      t.left -= n;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 3)
  public long decryptStream1GiB(Stream s) throws IOException {
    long total = 0;
    try (InputStream in = s.open()) {
      int n;
      while ((n = in.read(s.buffer)) > 0) {
        total += n;
      }
    }
    if (total != s.plaintextLength) {
      throw new IllegalStateException("decrypted " + total + " of " + s.plaintextLength);
    }
    return total;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 5, time = 2)
  @Measurement(iterations = 5, time = 2)
  public void decryptByteArray1MiB(Small s, Blackhole bh) {
    bh.consume(s.client.decrypt(s.message).plaintext());
  }
}
