package dev.mrkenvelope.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrozenContextTest {
  /** A mutable map of the pairs {@code k1, v1, k2, v2, ...} in that order. */
  private static LinkedHashMap<String, String> linked(String... pairs) {
    LinkedHashMap<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** The pairs {@code k1, v1, k2, v2, ...} as an array {@link FrozenContext#adopt} takes. */
  private static Map.Entry<String, String>[] pairs(String... kv) {
    Map.Entry<String, String>[] pairs = FrozenContext.newPairs(kv.length / 2);
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] = FrozenContext.pair(kv[2 * i], kv[2 * i + 1]);
    }
    return pairs;
  }

  @Test
  void adopt_repeatedKey_keepsFirstPositionAndLastValue_andShrinks() {
    Map<String, String> adopted = FrozenContext.adopt(pairs("a", "1", "b", "2", "a", "3"));
    assertThat(adopted).hasSize(2);
    assertThat(List.copyOf(adopted.entrySet()))
        .containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
  }

  @Test
  void of_mapWhoseEntriesRepeatAKey_keepsOnePairPerKey() {
    // A broken map (or one changed while it is copied) may yield a key twice.
    Map<String, String> broken =
        new java.util.AbstractMap<>() {
          @Override
          public java.util.Set<Map.Entry<String, String>> entrySet() {
            return new java.util.AbstractSet<>() {
              @Override
              public java.util.Iterator<Map.Entry<String, String>> iterator() {
                return List.of(Map.entry("k", "1"), Map.entry("k", "2")).iterator();
              }

              @Override
              public int size() {
                return 2;
              }
            };
          }
        };
    assertThat(FrozenContext.of(broken)).containsExactly(Map.entry("k", "2"));
  }

  @Test
  void ofMutableMap_copies_laterChangesDoNotReachIt() {
    Map<String, String> source = linked("b", "2", "a", "1");
    Map<String, String> frozen = FrozenContext.of(source);
    source.put("c", "3");
    source.put("a", "changed");
    assertThat(frozen).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
  }

  @Test
  void ofFrozen_returnsSameInstance() {
    Map<String, String> frozen = FrozenContext.of(Map.of("k", "v"));
    assertThat(FrozenContext.of(frozen)).isSameAs(frozen);
  }

  @Test
  void frozen_refusesEveryChange() {
    Map<String, String> frozen = FrozenContext.of(Map.of("k", "v"));
    assertThatThrownBy(() -> frozen.put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.remove("k")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(frozen::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.entrySet().iterator().next().setValue("y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.keySet().remove("k"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void frozen_equalsAndHashesAsAnyMapWithTheSamePairs() {
    LinkedHashMap<String, String> built = linked("z", "26", "a", "1");
    Map<String, String> adopted = FrozenContext.adopt(pairs("z", "26", "a", "1"));
    assertThat(adopted).isEqualTo(Map.of("a", "1", "z", "26")).hasSameHashCodeAs(built);
    assertThat(List.copyOf(adopted.keySet())).containsExactly("z", "a");
    assertThat(adopted.get("a")).isEqualTo("1");
    assertThat(adopted.containsKey("q")).isFalse();
    assertThat(adopted.toString()).isEqualTo(built.toString());
  }

  @Test
  void empty_isOneSharedInstance() {
    assertThat(FrozenContext.of(Map.of())).isSameAs(FrozenContext.adopt(pairs()));
  }

  @Test
  void serialize_frozen_sameBytesAsUncached_andEachCallGetsItsOwnCopy() {
    Map<String, String> source = linked("zeta", "1", "alpha", "2");
    Map<String, String> frozen = FrozenContext.of(source);
    byte[] first = EncryptionContexts.serialize(frozen);
    assertThat(first).isEqualTo(EncryptionContexts.serialize(new LinkedHashMap<>(source)));
    first[0] = 99;
    assertThat(EncryptionContexts.serialize(frozen))
        .isEqualTo(EncryptionContexts.serialize(new LinkedHashMap<>(source)))
        .isNotSameAs(EncryptionContexts.serialize(frozen));
  }

  @Test
  void serialize_frozenTooLong_throwsEveryTime() {
    Map<String, String> frozen = FrozenContext.of(Map.of("k", "v".repeat(70_000)));
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> EncryptionContexts.serialize(frozen))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void iteration_handsOutTheSameImmutableEntriesEveryPass() {
    Map<String, String> frozen = FrozenContext.of(Map.of("k", "v"));
    Map.Entry<String, String> first = frozen.entrySet().iterator().next();
    assertThat(frozen.entrySet().iterator().next()).isSameAs(first);
    assertThatThrownBy(() -> first.setValue("w")).isInstanceOf(UnsupportedOperationException.class);
    java.util.Iterator<Map.Entry<String, String>> it = frozen.entrySet().iterator();
    it.next();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(java.util.NoSuchElementException.class);
  }

  @Test
  void nullValue_isKept_soThatValidationCanNameIt() {
    Map<String, String> source = linked("k", null);
    Map<String, String> frozen = FrozenContext.of(source);
    assertThat(frozen).containsEntry("k", null);
    assertThatThrownBy(() -> EncryptionContexts.validateForEncrypt(frozen))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be null");
  }

  @Test
  void entrySet_refusesChanges_evenWhenEmptyOrUnmatched_andIsOrdered() {
    Map<String, String> empty = FrozenContext.of(Map.of());
    assertThatThrownBy(() -> empty.entrySet().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    Map<String, String> frozen = FrozenContext.of(Map.of("k", "v"));
    assertThatThrownBy(() -> frozen.entrySet().removeIf(e -> false))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.entrySet().retainAll(List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(frozen.entrySet().spliterator().hasCharacteristics(java.util.Spliterator.ORDERED))
        .isTrue();
    assertThat(frozen.entrySet()).contains(Map.entry("k", "v")).doesNotContain(Map.entry("k", "w"));
  }
}
