package dev.mrkenvelope;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/** Generators shared by the property classes. */
final class PropertyArbitraries {
  private PropertyArbitraries() {}

  static Arbitrary<AlgorithmSuite> suites() {
    return Arbitraries.of(AlgorithmSuite.class);
  }

  /** Mostly 1..8192 (biased to small), some round sizes, and a few large ones up to 2^31-1. */
  static Arbitrary<Integer> frameLengths() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            75,
            Arbitraries.integers().between(1, 8192).withDistribution(RandomDistribution.biased())),
        Tuple.of(15, Arbitraries.of(1, 2, 3, 16, 511, 512, 1024, 4096, 8191, 8192)),
        Tuple.of(10, Arbitraries.of(65_536, 1 << 20, Integer.MAX_VALUE - 1, Integer.MAX_VALUE)));
  }

  /** Mostly 0..64 KiB (biased to small), sometimes up to 1 MiB. */
  static Arbitrary<Integer> plaintextSizes() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            70,
            Arbitraries.integers()
                .between(0, 65_536)
                .withDistribution(RandomDistribution.biased())),
        Tuple.of(22, Arbitraries.integers().between(0, 65_536)),
        Tuple.of(8, Arbitraries.integers().between(65_537, 1 << 20)));
  }

  /**
   * Code points of every kind that is valid Unicode: ASCII, C0/C1 controls (NUL included), BMP
   * letters and specials, and supplementary characters (4-byte UTF-8, surrogate pairs in Java).
   */
  static Arbitrary<Integer> codePoints() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.integers().between(0x20, 0x7E)),
        Tuple.of(2, Arbitraries.integers().between(0x00, 0x1F)),
        Tuple.of(1, Arbitraries.of(0x7F, 0x80, 0x85, 0x9F, 0xA0, 0x2028, 0xFEFF, 0xFFFD, 0xFFFF)),
        Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
        Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
  }

  static Arbitrary<String> unicodeStrings(int maxCodePoints) {
    return codePoints()
        .list()
        .ofMinSize(1)
        .ofMaxSize(maxCodePoints)
        .map(PropertyArbitraries::fromCodePoints);
  }

  static String fromCodePoints(List<Integer> cps) {
    StringBuilder sb = new StringBuilder();
    cps.forEach(sb::appendCodePoint);
    return sb.toString();
  }

  /** Encryption contexts a caller may pass: non-empty keys and values, no reserved prefix. */
  static Arbitrary<Map<String, String>> contexts() {
    Arbitrary<String> keys =
        Arbitraries.oneOf(
                unicodeStrings(12), Arbitraries.of("aws", "aws-crypto", "a", "ключ", "\u0000"))
            .filter(k -> !k.startsWith("aws-crypto-"));
    return Arbitraries.maps(keys, unicodeStrings(24)).ofMaxSize(6);
  }
}
