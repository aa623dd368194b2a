package dev.mrkenvelope.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The shortcut for small ASCII contexts writes exactly the bytes of the general serialization
 * (UTF-8 encoded, sorted by encoded key), and declines every context it does not cover.
 */
class SerializationPathsProperties {

  @Provide
  Arbitrary<Map<String, String>> contexts() {
    // ASCII most of the time, sometimes a non-ASCII char; up to twice the shortcut's size.
    Arbitrary<String> strings =
        Arbitraries.oneOf(
            Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(6),
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(3));
    return Arbitraries.maps(strings, strings)
        .ofMaxSize(2 * EncryptionContexts.SMALL)
        .map(LinkedHashMap::new);
  }

  @Property(tries = 1000)
  void shortcut_writesTheGeneralBytes_orDeclines(@ForAll("contexts") Map<String, String> ec) {
    byte[] shortcut = EncryptionContexts.serializeSmallAscii(ec);
    boolean covered =
        !ec.isEmpty()
            && ec.size() <= EncryptionContexts.SMALL
            && ec.entrySet().stream().allMatch(e -> isAscii(e.getKey()) && isAscii(e.getValue()));
    assertThat(shortcut != null).isEqualTo(covered);
    if (covered) {
      assertThat(shortcut).isEqualTo(EncryptionContexts.serializeAny(ec));
    }
  }

  @Example
  void shortcut_ordersByBytes_notByInsertion() {
    Map<String, String> ec = new LinkedHashMap<>();
    for (String k : List.of("m", "Z", "a", "aa", "0", "~")) {
      ec.put(k, k + "v");
    }
    assertThat(EncryptionContexts.serializeSmallAscii(ec))
        .isEqualTo(EncryptionContexts.serializeAny(ec))
        .isNotNull();
  }

  private static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }
}
