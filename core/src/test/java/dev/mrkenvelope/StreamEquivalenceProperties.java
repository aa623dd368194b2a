package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 3: the stream and byte[] APIs are interchangeable. Whatever the chunking of writes and
 * reads (single bytes, odd sizes, {@code skip}, {@code available}, {@code read()}), and however the
 * source hands out its bytes, a stream-encrypted message decrypts with the byte[] API and a
 * byte[]-encrypted one with the stream API to the same plaintext, and both have the same layout.
 */
class StreamEquivalenceProperties {

  /** One step of writing plaintext: write(int), write(byte[], off, len) of n bytes, or flush(). */
  enum WriteKind {
    SINGLE,
    CHUNK,
    FLUSH
  }

  /** One step of reading plaintext. */
  enum ReadKind {
    SINGLE,
    CHUNK,
    SKIP,
    AVAILABLE,
    READ_N_BYTES
  }

  @Property(tries = 400, shrinking = ShrinkingMode.BOUNDED)
  void streamEncrypted_withRandomWriteChunks_decryptsWithByteArrayApi(
      @ForAll("suites") AlgorithmSuite suite,
      @ForAll("frames") int frameLength,
      @ForAll("sizes") int requestedSize,
      @ForAll("writes") List<Tuple.Tuple2<WriteKind, Integer>> plan)
      throws IOException {
    int size = boundedSize(requestedSize, frameLength);
    byte[] plaintext = MessageFixtures.plaintext(size, size ^ frameLength);
    EnvelopeClient client = MessageFixtures.writer(suite, frameLength);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    int written = 0;
    int step = 0;
    try (OutputStream out = client.encryptingStream(sink, Map.of("chunked", "yes"))) {
      while (written < size) {
        Tuple.Tuple2<WriteKind, Integer> op = plan.get(step++ % plan.size());
        switch (op.get1()) {
          case SINGLE:
            out.write(plaintext[written++]);
            break;
          case FLUSH:
            out.flush();
            break;
          default:
            int n = Math.min(op.get2(), size - written);
            // Write from the middle of a larger array, so offsets are exercised.
            byte[] padded = new byte[n + 7];
            System.arraycopy(plaintext, written, padded, 3, n);
            out.write(padded, 3, n);
            written += n;
            break;
        }
      }
    }
    byte[] streamed = sink.toByteArray();
    DecryptResult d = MessageFixtures.reader().decrypt(streamed);
    assertThat(d.plaintext()).isEqualTo(plaintext);
    assertThat(d.encryptionContext()).containsEntry("chunked", "yes");

    // Same layout as the byte[] API: same header size, frames and, unsigned, the same length.
    byte[] whole = client.encrypt(plaintext, Map.of("chunked", "yes")).ciphertext();
    MessageFixtures.Layout ls = MessageFixtures.layout(streamed);
    MessageFixtures.Layout lw = MessageFixtures.layout(whole);
    assertThat(ls.headerLength).isEqualTo(lw.headerLength);
    assertThat(ls.frameStarts).isEqualTo(lw.frameStarts);
    assertThat(ls.bodyEnd).isEqualTo(lw.bodyEnd);
    if (!suite.isSigning()) {
      assertThat(streamed).hasSameSizeAs(whole);
    }
    Statistics.label("frames")
        .collect(ls.frameStarts.size() == 1 ? "1" : ls.frameStarts.size() <= 10 ? "2..10" : ">10");
  }

  @Property(tries = 400, shrinking = ShrinkingMode.BOUNDED)
  void byteArrayEncrypted_withRandomReadChunksAndTrickleSource_decryptsWithStreamApi(
      @ForAll("suites") AlgorithmSuite suite,
      @ForAll("frames") int frameLength,
      @ForAll("sizes") int requestedSize,
      @ForAll("reads") List<Tuple.Tuple2<ReadKind, Integer>> plan,
      @ForAll @IntRange(min = 1, max = 5000) int sourceChunk)
      throws IOException {
    int size = boundedSize(requestedSize, frameLength);
    byte[] plaintext = MessageFixtures.plaintext(size, size * 7L + frameLength);
    byte[] ct =
        MessageFixtures.writer(suite, frameLength)
            .encrypt(plaintext, Map.of("r", "s"))
            .ciphertext();
    MessageFixtures.TrickleInputStream source =
        new MessageFixtures.TrickleInputStream(ct, size, sourceChunk);

    byte[] seen = new byte[size];
    boolean[] skipped = new boolean[size];
    int pos = 0;
    int step = 0;
    try (DecryptingInputStream in = MessageFixtures.reader().decryptingStream(source)) {
      assertThat(in.available()).isZero();
      assertThat(in.algorithmSuite()).isEqualTo(suite);
      assertThat(in.encryptionContext()).containsEntry("r", "s");
      while (true) {
        Tuple.Tuple2<ReadKind, Integer> op = plan.get(step++ % plan.size());
        int n = op.get2();
        if (op.get1() == ReadKind.SINGLE) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          seen[pos++] = (byte) b;
        } else if (op.get1() == ReadKind.CHUNK) {
          byte[] buf = new byte[n + 5];
          int r = in.read(buf, 2, n);
          if (r < 0) {
            break;
          }
          assertThat(r).isBetween(1, n);
          System.arraycopy(buf, 2, seen, pos, r);
          pos += r;
        } else if (op.get1() == ReadKind.READ_N_BYTES) {
          byte[] got = in.readNBytes(n);
          System.arraycopy(got, 0, seen, pos, got.length);
          pos += got.length;
          if (got.length < n) {
            assertThat(pos).isEqualTo(size);
            assertThat(in.read()).isEqualTo(-1);
            break;
          }
        } else if (op.get1() == ReadKind.SKIP) {
          long s = in.skip(n);
          assertThat(s).isBetween(0L, (long) Math.min(n, size - pos));
          if (s == 0) {
            // skip returns 0 only at the end here (the source never blocks).
            assertThat(pos).isEqualTo(size);
            break;
          }
          Arrays.fill(skipped, pos, pos + (int) s, true);
          pos += (int) s;
        } else {
          int a = in.available();
          // Only decrypted, authenticated plaintext is available: never more than remains.
          assertThat(a).isBetween(0, size - pos);
        }
      }
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.read(new byte[3], 0, 3)).isEqualTo(-1);
      assertThat(in.available()).isZero();
    }
    assertThat(pos).isEqualTo(size);
    for (int i = 0; i < size; i++) {
      if (!skipped[i] && seen[i] != plaintext[i]) {
        throw new AssertionError("plaintext differs at " + i);
      }
    }
    assertThat(source.closed).isTrue();
    assertThat(source.position()).isEqualTo(ct.length);
  }

  @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
  void streamToStream_roundTrips_andMatchesByteArrayApi(
      @ForAll("suites") AlgorithmSuite suite,
      @ForAll("frames") int frameLength,
      @ForAll("sizes") int requestedSize,
      @ForAll @IntRange(min = 1, max = 70_000) int writeChunk,
      @ForAll @IntRange(min = 1, max = 70_000) int readChunk)
      throws IOException {
    int size = boundedSize(requestedSize, frameLength);
    byte[] plaintext = MessageFixtures.plaintext(size, 99L * size + frameLength);
    EnvelopeClient client = MessageFixtures.writer(suite, frameLength);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = client.encryptingStream(sink, Map.of(), size)) {
      for (int off = 0; off < size; off += writeChunk) {
        out.write(plaintext, off, Math.min(writeChunk, size - off));
      }
    }
    byte[] ct = sink.toByteArray();
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    try (DecryptingInputStream in =
        client.decryptingStream(new MessageFixtures.TrickleInputStream(ct, size, 9000))) {
      byte[] buf = new byte[readChunk];
      for (int r; (r = in.read(buf)) >= 0; ) {
        back.write(buf, 0, r);
      }
    }
    assertThat(back.toByteArray()).isEqualTo(plaintext);
    assertThat(client.decrypt(ct).plaintext()).isEqualTo(plaintext);
  }

  /** Caps the frame count at 20000, so frame length 1 does not meet a 300 KB plaintext. */
  static int boundedSize(int size, int frameLength) {
    return (int) Math.min(size, frameLength * 20_000L);
  }

  @Provide
  Arbitrary<AlgorithmSuite> suites() {
    return PropertyArbitraries.suites();
  }

  @Provide
  Arbitrary<Integer> frames() {
    return PropertyArbitraries.frameLengths();
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            90,
            Arbitraries.integers()
                .between(0, 65_536)
                .withDistribution(net.jqwik.api.RandomDistribution.biased())),
        Tuple.of(10, Arbitraries.integers().between(65_537, 300_000)));
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<WriteKind, Integer>>> writes() {
    Arbitrary<Integer> n = chunkSizes();
    return Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(WriteKind.SINGLE)),
            Tuple.of(6, Arbitraries.just(WriteKind.CHUNK)),
            Tuple.of(1, Arbitraries.just(WriteKind.FLUSH)))
        .flatMap(k -> n.map(x -> Tuple.of(k, x)))
        .list()
        .ofMinSize(1)
        .ofMaxSize(12)
        // At least one step must make progress.
        .filter(l -> l.stream().anyMatch(t -> t.get1() != WriteKind.FLUSH));
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<ReadKind, Integer>>> reads() {
    Arbitrary<Integer> n = chunkSizes();
    return Combinators.combine(
            Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(ReadKind.SINGLE)),
                Tuple.of(6, Arbitraries.just(ReadKind.CHUNK)),
                Tuple.of(2, Arbitraries.just(ReadKind.SKIP)),
                Tuple.of(1, Arbitraries.just(ReadKind.AVAILABLE)),
                Tuple.of(2, Arbitraries.just(ReadKind.READ_N_BYTES))),
            n)
        .as(Tuple::of)
        .list()
        .ofMinSize(1)
        .ofMaxSize(12)
        .filter(l -> l.stream().anyMatch(t -> t.get1() != ReadKind.AVAILABLE));
  }

  /** Single bytes, odd sizes, around frame sizes, and large. */
  private static Arbitrary<Integer> chunkSizes() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(1, 17)),
        Tuple.of(3, Arbitraries.integers().between(18, 5000)),
        Tuple.of(1, Arbitraries.of(4095, 4096, 4097, 8191, 8192, 8193)),
        Tuple.of(1, Arbitraries.integers().between(5001, 100_000)));
  }
}
