package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 item 4: a 1 GiB message is encrypted and decrypted as a stream in a JVM whose heap is
 * capped at 64 MiB, so the streams must work in memory proportional to one frame.
 *
 * <p>The test starts a child JVM ({@code java -Xmx64m -XX:+ExitOnOutOfMemoryError}, this test's
 * class path) running {@link Child}: a deterministic generator feeds an encrypting stream (suite
 * 0x0478, frame 65536) on one thread; its ciphertext goes through a bounded in-memory pipe (16
 * chunks) to a decrypting stream on the main thread; SHA-256 digests of the generated and the
 * decrypted plaintext must match. The child reports elapsed time, throughput and peak heap. The
 * test fails if the child runs out of memory, fails in any other way, or the digests differ.
 */
class StreamOneGibTest {
  static final long TOTAL = 1L << 30;
  static final int FRAME = 65_536;

  @Test
  void oneGibMessage_encryptsAndDecryptsAsStreams_inA64MiBHeap() throws Exception {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    File java = new File(System.getProperty("java.home"), "bin/java");
    List<String> command =
        List.of(
            java.getPath(),
            "-Xmx64m",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            classPath,
            Child.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, String> result = new HashMap<>();
    List<String> output = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        System.out.println("[StreamOneGibTest child] " + line);
        output.add(line);
        if (line.startsWith("RESULT ")) {
          for (String kv : line.substring(7).split(" ")) {
            String[] parts = kv.split("=", 2);
            result.put(parts[0], parts[1]);
          }
        }
      }
    }
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the 1 GiB child JVM did not finish in 5 minutes");
    }
    assertThat(p.exitValue())
        .as("child exit code (3 = OutOfMemoryError); output: %s", output)
        .isZero();
    assertThat(Long.parseLong(result.get("maxHeapBytes")))
        .as("the child's heap cap")
        .isLessThanOrEqualTo(64L << 20);
    assertThat(Long.parseLong(result.get("bytes"))).isEqualTo(TOTAL);
    assertThat(result.get("decryptedSha256")).isEqualTo(result.get("generatedSha256"));
  }

  /** The child JVM: generator → encrypting stream → pipe → decrypting stream → digest. */
  static final class Child {
    private Child() {}

    public static void main(String[] args) throws Exception {
      EnvelopeClient client =
          EnvelopeClient.builder()
              .keyring(MessageFixtures.KEYRING)
              .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
              .frameLength(FRAME)
              .build();
      // Warm up the code paths on a small message, then start measuring.
      for (int i = 0; i < 20; i++) {
        run(client, 4L << 20);
      }
      System.gc();
      Jmx.resetHeapPeaks();
      HeapSampler sampler = new HeapSampler();
      sampler.start();
      long t0 = System.nanoTime();
      String[] digests = run(client, TOTAL);
      double seconds = (System.nanoTime() - t0) / 1e9;
      sampler.stop = true;
      sampler.join();
      long peakPools = Jmx.heapPeakSum();
      System.out.printf(
          "1 GiB through encrypting and decrypting streams (suite 0x0478, frame %d) in %.1f s:"
              + " %.0f MB/s (%.0f MiB/s) of plaintext; peak heap used %.1f MiB (sum of %s pool peaks),"
              + " %.1f MiB (sampled every 5 ms), live after the last GC %.1f MiB; -Xmx %d MiB%n",
          FRAME,
          seconds,
          TOTAL / seconds / 1e6,
          TOTAL / seconds / (1 << 20),
          peakPools / 1048576.0,
          Jmx.poolNames(),
          sampler.max.get() / 1048576.0,
          Jmx.heapAfterLastGc() / 1048576.0,
          Runtime.getRuntime().maxMemory() >> 20);
      System.out.printf(
          "RESULT bytes=%d seconds=%.2f MBps=%.0f peakHeapBytes=%d sampledPeakHeapBytes=%d maxHeapBytes=%d"
              + " generatedSha256=%s decryptedSha256=%s%n",
          TOTAL,
          seconds,
          TOTAL / seconds / 1e6,
          peakPools,
          sampler.max.get(),
          Runtime.getRuntime().maxMemory(),
          digests[0],
          digests[1]);
      System.out.flush();
      System.exit(digests[0].equals(digests[1]) ? 0 : 2);
    }

    /** Encrypts and decrypts {@code total} generated bytes; returns both SHA-256 digests (hex). */
    static String[] run(EnvelopeClient client, long total) throws Exception {
      ChunkPipe pipe = new ChunkPipe(16);
      AtomicReference<String> generated = new AtomicReference<>();
      AtomicReference<Throwable> producerFailure = new AtomicReference<>();
      Thread producer =
          new Thread(
              () -> {
                try (OutputStream enc =
                    client.encryptingStream(pipe.out, Map.of("test", "1gib"), total)) {
                  MessageDigest sha = MessageDigest.getInstance("SHA-256");
                  SplittableRandom random = new SplittableRandom(20_240_601L);
                  byte[] chunk = new byte[100_003]; // not a multiple of the frame length
                  for (long done = 0; done < total; ) {
                    int n = (int) Math.min(chunk.length, total - done);
                    random.nextBytes(chunk);
                    sha.update(chunk, 0, n);
                    enc.write(chunk, 0, n);
                    done += n;
                  }
                  generated.set(hex(sha.digest()));
                } catch (Throwable t) {
                  producerFailure.set(t);
                  pipe.abort();
                }
              },
              "encrypting-producer");
      producer.setDaemon(true);
      producer.start();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long got = 0;
      try (DecryptingInputStream in = client.decryptingStream(pipe.in)) {
        byte[] buf = new byte[65_536 + 77];
        for (int n; (n = in.read(buf)) >= 0; ) {
          sha.update(buf, 0, n);
          got += n;
        }
      } catch (Throwable t) {
        producer.interrupt();
        if (producerFailure.get() != null) {
          t.addSuppressed(producerFailure.get());
        }
        throw t;
      }
      producer.join();
      if (producerFailure.get() != null) {
        throw new IllegalStateException("the producer failed", producerFailure.get());
      }
      if (got != total) {
        throw new IllegalStateException("decrypted " + got + " bytes, expected " + total);
      }
      return new String[] {generated.get(), hex(sha.digest())};
    }

    private static String hex(byte[] b) {
      StringBuilder sb = new StringBuilder();
      for (byte x : b) {
        sb.append(String.format("%02x", x));
      }
      return sb.toString();
    }
  }

  /** Samples heap use (total - free) while the run lasts. */
  static final class HeapSampler extends Thread {
    final AtomicLong max = new AtomicLong();
    volatile boolean stop;

    HeapSampler() {
      super("heap-sampler");
      setDaemon(true);
    }

    @Override
    public void run() {
      Runtime rt = Runtime.getRuntime();
      while (!stop) {
        max.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /**
   * A bounded single-producer, single-consumer pipe of byte chunks: at most {@code capacity} chunks
   * (one frame each here) are in flight, so memory stays bounded whatever the message size.
   */
  static final class ChunkPipe {
    private static final byte[] END = new byte[0];
    private static final byte[] ABORT = new byte[0];
    private final BlockingQueue<byte[]> queue;

    ChunkPipe(int capacity) {
      queue = new ArrayBlockingQueue<>(capacity);
    }

    void abort() {
      queue.clear();
      queue.offer(ABORT);
    }

    final OutputStream out =
        new OutputStream() {
          private boolean closed;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
              throw new IOException("pipe closed");
            }
            if (len > 0) {
              put(Arrays.copyOfRange(b, off, off + len));
            }
          }

          @Override
          public void close() throws IOException {
            if (!closed) {
              closed = true;
              put(END);
            }
          }

          private void put(byte[] chunk) throws IOException {
            try {
              queue.put(chunk);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException("interrupted", e);
            }
          }
        };

    final InputStream in =
        new InputStream() {
          private byte[] current;
          private int pos;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
              return 0;
            }
            while (current == null || (pos == current.length && current != END)) {
              try {
                current = queue.take();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
              }
              pos = 0;
              if (current == ABORT) {
                throw new IOException("the producer failed");
              }
            }
            if (current == END) {
              return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
          }
        };
  }
}
