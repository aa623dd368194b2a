package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.MultiKeyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import dev.mrkenvelope.keyring.RawRsaKeyring;
import dev.mrkenvelope.keyring.RsaPadding;
import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 2 item 6: random and mutated input never yields anything but {@link
 * DecryptionFailedException} (or a {@link PolicyException} when the header really carries more EDKs
 * than the configured cap), never another exception type, never a successful decrypt of a modified
 * message, and never an allocation out of proportion to the input: every decrypt here is measured
 * with the thread's allocation counter and must stay below a bound linear in the input length.
 */
class HostileInputProperties {
  private static final Keyring OTHER_AES =
      RawAesKeyring.builder().keyNamespace("other").keyName("k2").wrappingKey(new byte[16]).build();
  private static final Keyring RSA = rsaKeyring();

  /** Reads AES- and RSA-wrapped keys; at most {@link MessageFixtures#MAX_EDKS} EDKs. */
  private static final EnvelopeClient READER =
      EnvelopeClient.builder()
          .keyring(MultiKeyring.builder().children(MessageFixtures.KEYRING, RSA).build())
          .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
          .maxEncryptedDataKeys(MessageFixtures.MAX_EDKS)
          .maxFrameLength(Integer.MAX_VALUE) // frame lengths up to 2^31-1 are part of the fuzzing
          .build();

  /** The same keys tried the other way round: a damaged AES key makes READER fall back to RSA. */
  private static final EnvelopeClient READER_RSA_FIRST =
      EnvelopeClient.builder()
          .keyring(MultiKeyring.builder().children(RSA, MessageFixtures.KEYRING).build())
          .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
          .maxFrameLength(Integer.MAX_VALUE)
          .build();

  /** Valid messages the mutations start from: several suites, frame layouts and EDK counts. */
  private static final List<byte[]> SEEDS = new ArrayList<>();

  /** Allocation of decrypting each seed unmodified (both APIs, the larger), the baseline. */
  private static final List<Long> SEED_ALLOCATION = new ArrayList<>();

  private static final AtomicLong MAX_EXCESS = new AtomicLong(Long.MIN_VALUE);
  private static final List<String> REPORT = new ArrayList<>();

  static {
    Keyring two =
        MultiKeyring.builder().generator(OTHER_AES).children(MessageFixtures.KEYRING).build();
    Keyring withRsa =
        MultiKeyring.builder().generator(MessageFixtures.KEYRING).children(RSA).build();
    Object[][] seeds = {
      {AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, MessageFixtures.KEYRING, 64, 200},
      {AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, two, 1, 5},
      {
        AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
        MessageFixtures.KEYRING,
        100,
        250
      },
      {AlgorithmSuite.AES_128_GCM_IV12_TAG16_NO_KDF, MessageFixtures.KEYRING, 16, 0},
      {AlgorithmSuite.AES_192_GCM_IV12_TAG16_HKDF_SHA256, withRsa, 32, 70},
      {
        AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256,
        MessageFixtures.KEYRING,
        4096,
        3000
      },
      {AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, MessageFixtures.KEYRING, 7, 1500},
    };
    for (Object[] s : seeds) {
      AlgorithmSuite suite = (AlgorithmSuite) s[0];
      EnvelopeClient w =
          EnvelopeClient.builder()
              .keyring((Keyring) s[1])
              .algorithmSuite(suite)
              .commitmentPolicy(
                  suite.isCommitting()
                      ? CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
                      : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
              .frameLength((Integer) s[2])
              .build();
      byte[] m =
          w.encrypt(
                  MessageFixtures.plaintext((Integer) s[3], 7),
                  Map.of("purpose", "fuzz", "é", "\uD801\uDC37"))
              .ciphertext();
      SEEDS.add(m);
    }
  }

  private static Keyring rsaKeyring() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair kp = g.generateKeyPair();
      return RawRsaKeyring.builder()
          .keyNamespace("rsa")
          .keyName("rsa-2048")
          .padding(RsaPadding.OAEP_SHA256_MGF1)
          .publicKey(kp.getPublic())
          .privateKey(kp.getPrivate())
          .build();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static synchronized long seedAllocation(int i) {
    while (SEED_ALLOCATION.size() <= i) {
      byte[] m = SEEDS.get(SEED_ALLOCATION.size());
      // Warm up first so class loading and JIT do not count, then measure. The baseline is the
      // most a valid decrypt of this message costs: either API, either keyring order (a damaged
      // AES-wrapped key legitimately makes the multi-keyring try the RSA one too).
      long max = 0;
      for (EnvelopeClient r : List.of(READER, READER_RSA_FIRST)) {
        r.decrypt(m);
        max = Math.max(max, measure(() -> r.decrypt(m)));
        max = Math.max(max, measure(() -> MessageFixtures.streamDecrypt(r, m)));
      }
      SEED_ALLOCATION.add(max);
    }
    return SEED_ALLOCATION.get(i);
  }

  private static long measure(MessageFixtures.ThrowingRunnable r) {
    long before = Jmx.allocatedBytes();
    try {
      r.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return Jmx.allocatedBytes() - before;
  }

  /** The allocation an input of {@code length} bytes may cause beyond the baseline. */
  static long allowance(int length) {
    return 64 * 1024 + 16L * length;
  }

  /**
   * Decrypts {@code input} with both APIs; each must fail with an allowed exception, within the
   * allocation budget {@code baseline + allowance(input.length)}.
   */
  static void assertHostileRejected(String what, byte[] input, long baseline) {
    for (int api = 0; api < 2; api++) {
      boolean stream = api == 1;
      Throwable[] thrown = new Throwable[1];
      long allocated = decryptMeasured(input, stream, thrown);
      if (allocated > baseline + allowance(input.length)) {
        // The first run through a code path may pay one-off costs (class initialisation, the
        // bootstrap of a string concatenation); only a repeatable excess counts.
        allocated = decryptMeasured(input, stream, thrown);
      }
      String where =
          what
              + (stream ? " (stream)" : " (byte[])")
              + " input "
              + input.length
              + " bytes "
              + MessageFixtures.hex(input);
      Throwable t = thrown[0];
      if (t == null) {
        throw new AssertionError(where + ": a modified or random message decrypted successfully");
      }
      if (t instanceof PolicyException) {
        int count = MessageFixtures.edkCountOrMinusOne(input);
        if (count <= MessageFixtures.MAX_EDKS) {
          throw new AssertionError(
              where + ": PolicyException although the EDK count is " + count, t);
        }
        assertThat(t).hasMessageContaining("maxEncryptedDataKeys");
      } else if (!(t instanceof DecryptionFailedException)) {
        throw new AssertionError(where + ": expected DecryptionFailedException but got " + t, t);
      }
      long excess = allocated - baseline - allowance(input.length);
      MAX_EXCESS.accumulateAndGet(excess, Math::max);
      if (excess > 0) {
        throw new AssertionError(
            where
                + ": allocated "
                + allocated
                + " bytes, baseline "
                + baseline
                + " + allowance "
                + allowance(input.length));
      }
    }
  }

  /** Decrypts {@code input}, storing what it threw; returns the bytes the thread allocated. */
  private static long decryptMeasured(byte[] input, boolean stream, Throwable[] thrown) {
    thrown[0] = null;
    long before = Jmx.allocatedBytes();
    try {
      if (stream) {
        try (DecryptingInputStream in = READER.decryptingStream(new ByteArrayInputStream(input))) {
          byte[] buf = new byte[8192];
          while (in.read(buf) >= 0) {
            // drain
          }
        }
      } else {
        READER.decrypt(input);
      }
    } catch (Throwable t) {
      thrown[0] = t;
    }
    return Jmx.allocatedBytes() - before;
  }

  // ---------------------------------------------------------------------------------------------
  // Random bytes, sometimes behind a plausible start so the parser gets past the first checks.

  @Property(tries = 4000, shrinking = ShrinkingMode.OFF)
  void randomBytes_behindPlausiblePrefixes_failOnlyWithDecryptionFailed(
      @ForAll("prefixes") Tuple.Tuple2<byte[], Integer> prefix, @ForAll("noise") byte[] noise) {
    byte[] input = MessageFixtures.concat(prefix.get1(), noise);
    int seed = prefix.get2();
    Statistics.label("prefix")
        .collect(
            seed >= 0
                ? "real header"
                : prefix.get1().length == 0
                    ? "none"
                    : String.format("%02x%02x", input[0], input[1]));
    warmUp();
    // Behind a real header, decrypting may legitimately cost what a valid message with that header
    // costs.
    assertHostileRejected("random", input, seed >= 0 ? seedAllocation(seed) : 0);
  }

  private static volatile boolean warm;

  private static void warmUp() {
    if (!warm) {
      for (int i = 0; i < SEEDS.size(); i++) {
        seedAllocation(i);
      }
      for (int i = 0; i < 50; i++) {
        try {
          READER.decrypt(new byte[] {2, 4, 0x78});
        } catch (DecryptionFailedException expected) {
          // warming the failure path
        }
      }
      warm = true;
    }
  }

  @Provide
  Arbitrary<Tuple.Tuple2<byte[], Integer>> prefixes() {
    Arbitrary<Tuple.Tuple2<byte[], Integer>> v1 =
        Arbitraries.of(AlgorithmSuite.values())
            .filter(s -> s.messageFormatVersion() == 1)
            .map(
                s ->
                    Tuple.of(
                        new byte[] {1, (byte) 0x80, (byte) (s.id() >>> 8), (byte) s.id()}, -1));
    Arbitrary<Tuple.Tuple2<byte[], Integer>> v2 =
        Arbitraries.of(
            Tuple.of(new byte[] {2, 4, 0x78}, -1), Tuple.of(new byte[] {2, 5, 0x78}, -1));
    // A real header with its body cut off and replaced by noise.
    Arbitrary<Tuple.Tuple2<byte[], Integer>> realHeader =
        Arbitraries.integers()
            .between(0, SEEDS.size() - 1)
            .map(
                i ->
                    Tuple.of(
                        Arrays.copyOf(
                            SEEDS.get(i), MessageFixtures.layout(SEEDS.get(i)).headerLength),
                        i));
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(Tuple.of(new byte[0], -1))),
        Tuple.of(3, v1),
        Tuple.of(3, v2),
        Tuple.of(2, realHeader));
  }

  @Provide
  Arbitrary<byte[]> noise() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
  }

  // ---------------------------------------------------------------------------------------------
  // Mutated valid messages.

  /** One edit of a message; returns a new array. */
  interface Mutation extends UnaryOperator<byte[]> {}

  @Property(tries = 4000, shrinking = ShrinkingMode.OFF)
  void mutatedMessages_neverDecrypt_andFailOnlyWithAllowedExceptions(
      @ForAll("seedIndexes") int seed, @ForAll("mutations") List<Mutation> mutations) {
    warmUp();
    byte[] original = SEEDS.get(seed);
    byte[] m = original;
    for (Mutation mu : mutations) {
      m = mu.apply(m);
    }
    Assume.that(!Arrays.equals(m, original));
    Statistics.label("mutations").collect(mutations.size());
    assertHostileRejected("mutated seed " + seed + " by " + mutations, m, seedAllocation(seed));
  }

  @Provide
  Arbitrary<Integer> seedIndexes() {
    return Arbitraries.integers().between(0, SEEDS.size() - 1);
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
    Arbitrary<Mutation> flip =
        Combinators.combine(where, Arbitraries.integers().between(0, 7))
            .as(
                (w, bit) ->
                    named(
                        "flip",
                        m -> {
                          if (m.length == 0) {
                            return m;
                          }
                          byte[] c = m.clone();
                          c[index(w, c.length)] ^= (byte) (1 << bit);
                          return c;
                        }));
    Arbitrary<Mutation> set =
        Combinators.combine(where, Arbitraries.bytes())
            .as(
                (w, v) ->
                    named(
                        "set",
                        m -> {
                          if (m.length == 0) {
                            return m;
                          }
                          byte[] c = m.clone();
                          c[index(w, c.length)] = v;
                          return c;
                        }));
    Arbitrary<Mutation> insert =
        Combinators.combine(
                where, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40))
            .as(
                (w, bytes) ->
                    named(
                        "insert" + bytes.length,
                        m -> {
                          int at = index(w, m.length + 1);
                          return MessageFixtures.concat(
                              Arrays.copyOf(m, at), bytes, Arrays.copyOfRange(m, at, m.length));
                        }));
    Arbitrary<Mutation> delete =
        Combinators.combine(where, Arbitraries.integers().between(1, 64))
            .as(
                (w, n) ->
                    named(
                        "delete" + n,
                        m -> {
                          int at = index(w, m.length + 1);
                          int end = Math.min(m.length, at + n);
                          return MessageFixtures.concat(
                              Arrays.copyOf(m, at), Arrays.copyOfRange(m, end, m.length));
                        }));
    Arbitrary<Mutation> duplicate =
        Combinators.combine(where, Arbitraries.integers().between(1, 200))
            .as(
                (w, n) ->
                    named(
                        "duplicate" + n,
                        m -> {
                          int at = index(w, m.length + 1);
                          int end = Math.min(m.length, at + n);
                          return MessageFixtures.concat(
                              Arrays.copyOf(m, end), Arrays.copyOfRange(m, at, m.length));
                        }));
    // A length-like field anywhere set to a huge value: u16 0xFFFF, u32 2^31-1 / 2^32-1, u64 2^36 /
    // 2^63.
    Arbitrary<Mutation> huge =
        Combinators.combine(where, Arbitraries.integers().between(0, 4))
            .as(
                (w, kind) ->
                    named(
                        "huge" + kind,
                        m -> {
                          int width = kind == 0 ? 2 : kind <= 2 ? 4 : 8;
                          if (m.length < width) {
                            return m;
                          }
                          byte[] c = m.clone();
                          int at = index(w, c.length - width + 1);
                          switch (kind) {
                            case 0:
                              c[at] = (byte) 0xFF;
                              c[at + 1] = (byte) 0xFF;
                              break;
                            case 1:
                              MessageFixtures.putU32(c, at, Integer.MAX_VALUE);
                              break;
                            case 2:
                              MessageFixtures.putU32(c, at, 0xFFFFFFFFL);
                              break;
                            case 3:
                              MessageFixtures.putU64(c, at, 1L << 36);
                              break;
                            default:
                              MessageFixtures.putU64(c, at, Long.MIN_VALUE);
                              break;
                          }
                          return c;
                        }));
    // The real length fields of the layout (EDK count and lengths, frame length, final-frame
    // length,
    // signature length), set to a random or extreme value.
    Arbitrary<Mutation> field =
        Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.longs().between(0, 0xFFFFFFFFL),
                Arbitraries.of(true, false))
            .as(
                (which, value, extreme) ->
                    named(
                        "field" + which + (extreme ? "max" : "=" + value),
                        m -> {
                          MessageFixtures.Layout l;
                          try {
                            l = MessageFixtures.layout(m);
                          } catch (RuntimeException | AssertionError notValidAnyMore) {
                            return m;
                          }
                          byte[] c = m.clone();
                          int finalStart = l.frameStarts.get(l.frameStarts.size() - 1);
                          switch (which) {
                            case 0:
                              putU16(
                                  c, l.edkCountOffset, extreme ? 0xFFFF : (int) (value & 0xFFFF));
                              break;
                            case 1:
                              putU16(
                                  c, l.firstEdkOffset, extreme ? 0xFFFF : (int) (value & 0xFFFF));
                              break;
                            case 2:
                              MessageFixtures.putU32(
                                  c, l.frameLengthOffset, extreme ? Integer.MAX_VALUE : value);
                              break;
                            case 3:
                              MessageFixtures.putU32(
                                  c, finalStart + 20, extreme ? 0xFFFFFFFFL : value);
                              break;
                            default:
                              if (l.footerOffset < 0) {
                                return m;
                              }
                              putU16(c, l.footerOffset, extreme ? 0xFFFF : (int) (value & 0xFFFF));
                              break;
                          }
                          return c;
                        }));
    Arbitrary<Mutation> truncate =
        where.map(w -> named("truncate", m -> Arrays.copyOf(m, index(w, m.length))));
    return Arbitraries.frequencyOf(
            Tuple.of(3, flip),
            Tuple.of(2, set),
            Tuple.of(2, insert),
            Tuple.of(2, delete),
            Tuple.of(1, duplicate),
            Tuple.of(2, huge),
            Tuple.of(3, field),
            Tuple.of(1, truncate))
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  private static int index(double where, int length) {
    return Math.max(0, Math.min(length - 1, (int) (where * length)));
  }

  private static void putU16(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 8);
    b[p + 1] = (byte) v;
  }

  private static Mutation named(String name, UnaryOperator<byte[]> f) {
    return new Mutation() {
      @Override
      public byte[] apply(byte[] m) {
        return f.apply(m);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Crafted inputs whose length fields claim huge sizes; each must fail fast and small.

  @Example
  void headerLengthFieldsClaimingHugeSizes_failFastWithoutLargeAllocation() {
    warmUp();
    byte[] v2Start = new byte[1 + 2 + 32];
    v2Start[0] = 2;
    v2Start[1] = 4;
    v2Start[2] = 0x78;
    // AAD length 65535 with nothing behind it.
    timed(
        "aad 65535",
        MessageFixtures.concat(v2Start, new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 1}),
        0);
    // One EDK whose three lengths all claim 65535.
    byte[] ff = {(byte) 0xFF, (byte) 0xFF};
    timed(
        "edk lengths 65535",
        MessageFixtures.concat(v2Start, new byte[] {0, 0, 0, 1}, ff, new byte[10]),
        0);
    // EDK count 65535: over the cap, a PolicyException before any EDK is read.
    byte[] manyEdks = MessageFixtures.concat(v2Start, new byte[] {0, 0}, ff, new byte[6]);
    assertThat(MessageFixtures.failureOf(() -> READER.decrypt(manyEdks)))
        .isInstanceOf(PolicyException.class);
    timed("edk count 65535", manyEdks, 0);
    // ... and with no cap, a DecryptionFailedException once the input runs out.
    MessageFixtures.assertRejected(
        "edk count 65535, no cap", () -> MessageFixtures.reader().decrypt(manyEdks));
    REPORT.add("crafted header length fields: 4 inputs rejected");
  }

  @Example
  void frameLengthOfTwoToTheThirtyOneMinusOne_withTinyFrames_failsFast() {
    warmUp();
    // A genuine header (authentic tag) announcing frames of 2^31-1 bytes.
    byte[] small =
        MessageFixtures.encrypt(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
            Integer.MAX_VALUE,
            new byte[3],
            Map.of());
    MessageFixtures.Layout l = MessageFixtures.layout(small);
    assertThat(l.frameLength).isEqualTo(Integer.MAX_VALUE);
    assertThat(MessageFixtures.reader().decrypt(small).plaintext()).hasSize(3);
    long baseline =
        Math.max(
            measure(() -> READER.decrypt(small)),
            measure(() -> MessageFixtures.streamDecrypt(READER, small)));
    byte[] header = Arrays.copyOf(small, l.headerLength);

    // A regular frame 1 of the announced size, with only 40 bytes present.
    byte[] regular = new byte[4 + 12 + 40];
    MessageFixtures.putU32(regular, 0, 1);
    timed("regular frame of 2^31-1 bytes", MessageFixtures.concat(header, regular), baseline);
    // A final frame claiming 2^31-1 content bytes (allowed by the frame length), 40 present.
    byte[] last = new byte[4 + 4 + 12 + 4 + 40];
    MessageFixtures.putU32(last, 0, 0xFFFFFFFFL);
    MessageFixtures.putU32(last, 4, 1);
    MessageFixtures.putU32(last, 20, Integer.MAX_VALUE);
    timed("final frame of 2^31-1 bytes", MessageFixtures.concat(header, last), baseline);
    // Final frame lengths beyond the frame length, and beyond any int.
    MessageFixtures.putU32(last, 20, 0xFFFFFFFFL);
    timed("final frame of 2^32-1 bytes", MessageFixtures.concat(header, last), baseline);
    REPORT.add("frame length 2^31-1 with tiny frames: 3 inputs rejected");
  }

  @Example
  void finalFrameLongerThanFrameLength_isRejected() {
    byte[] m =
        MessageFixtures.encrypt(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 16, new byte[40], Map.of());
    MessageFixtures.Layout l = MessageFixtures.layout(m);
    byte[] bad = m.clone();
    MessageFixtures.putU32(bad, l.frameStarts.get(l.frameStarts.size() - 1) + 20, 17);
    MessageFixtures.assertRejected("final frame 17 > 16 (byte[])", () -> READER.decrypt(bad));
    MessageFixtures.assertRejected(
        "final frame 17 > 16 (stream)", () -> MessageFixtures.streamDecrypt(READER, bad));
  }

  @Example
  void signatureLengthOf65535_withTinyFooter_failsFast() {
    warmUp();
    byte[] m = SEEDS.get(2);
    MessageFixtures.Layout l = MessageFixtures.layout(m);
    byte[] bad = Arrays.copyOf(m, l.footerOffset + 12);
    putU16(bad, l.footerOffset, 0xFFFF);
    timed("signature length 65535", bad, seedAllocation(2));
  }

  /** Rejected by both APIs within a second each (generous for a loaded 2-core machine). */
  private static void timed(String what, byte[] input, long baseline) {
    long t0 = System.nanoTime();
    assertHostileRejected(what, input, baseline);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).as(what + " took " + ms + " ms").isLessThan(2_000);
  }

  @AfterContainer
  static void printReport() {
    REPORT.forEach(r -> System.out.println("[HostileInputProperties] " + r));
    System.out.println(
        "[HostileInputProperties] seed decrypt allocation baselines (bytes): " + SEED_ALLOCATION);
    System.out.println(
        "[HostileInputProperties] largest allocation relative to the budget: "
            + MAX_EXCESS.get()
            + " bytes (negative = under budget)");
  }
}
