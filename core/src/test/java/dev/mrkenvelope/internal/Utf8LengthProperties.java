package dev.mrkenvelope.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@code utf8Length} against the JDK's strict UTF-8 encoder, lone surrogates included. */
class Utf8LengthProperties {

  @Provide
  Arbitrary<String> anyChars() {
    // Every char value, so lone and reversed surrogates come up often.
    return Arbitraries.strings()
        .withCharRange(Character.MIN_VALUE, Character.MAX_VALUE)
        .ofMaxLength(12);
  }

  @Property(tries = 2000)
  void utf8Length_matchesTheJdkStrictEncoder_orRejectsWhatItRejects(@ForAll("anyChars") String s) {
    Integer expected;
    try {
      expected = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(s)).remaining();
    } catch (CharacterCodingException e) {
      expected = null;
    }
    if (expected == null) {
      assertThatThrownBy(() -> EncryptionContexts.utf8Length(s))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not valid Unicode");
    } else {
      assertThat(EncryptionContexts.utf8Length(s)).isEqualTo(expected);
    }
  }

  @Example
  void eachEncodedWidth_isCounted() {
    assertThat(EncryptionContexts.utf8Length("a\u00e9\u20ac\ud83d\ude00")).isEqualTo(1 + 2 + 3 + 4);
    assertThatThrownBy(() -> EncryptionContexts.utf8Length("x\ud83d"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EncryptionContexts.utf8Length("\ude00\ud83d"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
