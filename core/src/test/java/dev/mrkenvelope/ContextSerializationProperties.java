package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.internal.EncryptionContexts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A parsed header's context keeps the header's bytes as its serialization only when they are the
 * canonical ones; either way the keyring's AAD on decrypt must equal a fresh canonical
 * serialization of the same pairs, which is what every other ESDK reader computes.
 */
class ContextSerializationProperties {

  @Provide
  Arbitrary<Map<String, String>> contexts() {
    return PropertyArbitraries.contexts();
  }

  @Property(tries = 300)
  void canonicalHeaderBytes_parse_serializeToTheSameBytes(
      @ForAll("contexts") Map<String, String> ec) {
    byte[] canonical = EncryptionContexts.serialize(new LinkedHashMap<>(ec));
    Map<String, String> parsed = HeaderCodec.parseContext(canonical, 0, canonical.length);
    assertThat(parsed).isEqualTo(ec);
    assertThat(EncryptionContexts.serialize(parsed)).isEqualTo(canonical);
  }

  @Property(tries = 300)
  void headerBytesInAnyOrder_parse_serializeCanonically(
      @ForAll("contexts") Map<String, String> ec, @ForAll long seed) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(ec.entrySet());
    Collections.shuffle(entries, new java.util.Random(seed));
    byte[] shuffled = serializeInOrder(entries);
    Map<String, String> parsed = HeaderCodec.parseContext(shuffled, 0, shuffled.length);
    assertThat(parsed).isEqualTo(ec);
    assertThat(EncryptionContexts.serialize(parsed))
        .isEqualTo(EncryptionContexts.serialize(new LinkedHashMap<>(ec)));
  }

  @Example
  void unsortedHeader_isNotTakenAsTheSerialization() {
    List<Map.Entry<String, String>> entries = List.of(Map.entry("b", "2"), Map.entry("a", "1"));
    byte[] unsorted = serializeInOrder(entries);
    Map<String, String> parsed = HeaderCodec.parseContext(unsorted, 0, unsorted.length);
    byte[] aad = EncryptionContexts.serialize(parsed);
    assertThat(aad)
        .isNotEqualTo(unsorted)
        .isEqualTo(serializeInOrder(List.of(entries.get(1), entries.get(0))));
  }

  @Example
  void canonicalBytesInsideALargerArray_areCopiedNotShared() {
    byte[] canonical = EncryptionContexts.serialize(Map.of("k", "v"));
    byte[] message = new byte[canonical.length + 10];
    System.arraycopy(canonical, 0, message, 5, canonical.length);
    Map<String, String> parsed = HeaderCodec.parseContext(message, 5, canonical.length);
    message[5 + 2 + 2] = 'x'; // the caller reuses its buffer after the decrypt
    assertThat(EncryptionContexts.serialize(parsed)).isEqualTo(canonical);
  }

  @Example
  void keysInUtf16Order_areNotUtf8Order_soTheirBytesAreNotTaken() {
    // U+10000 sorts before U+E000 as UTF-16 (a surrogate) but after it as UTF-8 (F0.. > EE..).
    Map.Entry<String, String> supplementary = Map.entry("\uD800\uDC00", "1");
    Map.Entry<String, String> privateUse = Map.entry("\uE000", "2");
    byte[] utf16Order = serializeInOrder(List.of(supplementary, privateUse));
    Map<String, String> parsed = HeaderCodec.parseContext(utf16Order, 0, utf16Order.length);
    assertThat(EncryptionContexts.serialize(parsed))
        .isNotEqualTo(utf16Order)
        .isEqualTo(serializeInOrder(List.of(privateUse, supplementary)));
  }

  @Example
  void repeatedKey_adjacentOrApart_isMalformed() {
    for (List<Map.Entry<String, String>> entries :
        List.of(
            List.of(Map.entry("a", "1"), Map.entry("a", "1")),
            List.of(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("a", "3")))) {
      byte[] bytes = serializeInOrder(entries);
      assertThatThrownBy(() -> HeaderCodec.parseContext(bytes, 0, bytes.length))
          .as("%s", entries)
          .isInstanceOf(DecryptionFailedException.class);
    }
  }

  @Example
  void countLargerThanTheBytesCanHold_isMalformedBeforeAnyPairIsRead() {
    byte[] bytes = serializeInOrder(List.of(Map.entry("k", "v")));
    bytes[0] = (byte) 0xFF; // 65,281 pairs claimed in 8 bytes
    assertThatThrownBy(() -> HeaderCodec.parseContext(bytes, 0, bytes.length))
        .isInstanceOf(DecryptionFailedException.class);
  }

  /** The format's layout with the entries in the given order, as a careless writer might emit. */
  private static byte[] serializeInOrder(List<Map.Entry<String, String>> entries) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    if (entries.isEmpty()) {
      return new byte[0];
    }
    out.write(entries.size() >>> 8);
    out.write(entries.size());
    for (Map.Entry<String, String> e : entries) {
      for (String s : new String[] {e.getKey(), e.getValue()}) {
        byte[] b = EncryptionContexts.utf8(s);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }
}
