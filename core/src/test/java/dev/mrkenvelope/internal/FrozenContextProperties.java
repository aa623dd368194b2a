package dev.mrkenvelope.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A frozen context answers as a {@link LinkedHashMap} filled with the same pairs would, whether it
 * looks keys up by scanning (up to {@link FrozenContext#SCAN_LIMIT} pairs) or by its hash index,
 * with repeated keys and null values among the pairs.
 */
class FrozenContextProperties {
  /** Few distinct keys, so that lists repeat some; null among them, as a caller's map may hold. */
  private static final List<String> KEYS =
      java.util.Arrays.asList(
          "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "é", null);

  @Provide
  Arbitrary<List<Map.Entry<String, String>>> pairLists() {
    Arbitrary<String> keys = Arbitraries.of(KEYS);
    Arbitrary<String> values = Arbitraries.strings().alpha().ofMaxLength(3).injectNull(0.1);
    return Combinators.combine(keys, values)
        .as(FrozenContextProperties::pair)
        .list()
        .ofMaxSize(2 * KEYS.size());
  }

  private static Map.Entry<String, String> pair(String k, String v) {
    return new java.util.AbstractMap.SimpleImmutableEntry<>(k, v);
  }

  @Property(tries = 1000)
  void adoptAndOf_answerAsALinkedHashMapOfTheSamePairs(
      @ForAll("pairLists") List<Map.Entry<String, String>> list) {
    LinkedHashMap<String, String> expected = new LinkedHashMap<>();
    list.forEach(e -> expected.put(e.getKey(), e.getValue()));
    Map.Entry<String, String>[] array = FrozenContext.newPairs(list.size());
    for (int i = 0; i < array.length; i++) {
      array[i] = FrozenContext.pair(list.get(i).getKey(), list.get(i).getValue());
    }

    for (Map<String, String> frozen :
        List.of(FrozenContext.adopt(array), FrozenContext.of(new LinkedHashMap<>(expected)))) {
      assertThat(new ArrayList<>(frozen.entrySet()))
          .containsExactlyElementsOf(new ArrayList<>(expected.entrySet()));
      assertThat(frozen).isEqualTo(expected).hasSameHashCodeAs(expected).hasSize(expected.size());
      List<Object> probes = new ArrayList<>(KEYS);
      probes.add("absent");
      probes.add(42); // not a String: found nowhere, as in any map of strings
      for (Object key : probes) {
        assertThat(frozen.containsKey(key))
            .as("containsKey(%s)", key)
            .isEqualTo(expected.containsKey(key));
        assertThat(frozen.get(key)).as("get(%s)", key).isEqualTo(expected.get(key));
      }
      assertThat(frozen.entrySet().contains(Map.entry("a", "x")))
          .isEqualTo(expected.entrySet().contains(Map.entry("a", "x")));
      for (Map.Entry<String, String> e : expected.entrySet()) {
        assertThat(frozen.entrySet().contains(e)).isTrue();
      }
    }
  }
}
