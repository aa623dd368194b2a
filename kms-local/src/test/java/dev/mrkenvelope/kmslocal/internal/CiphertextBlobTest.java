package dev.mrkenvelope.kmslocal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CiphertextBlobTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final SecretKey KEY = new SecretKeySpec(new byte[32], "AES");
  static final String ID = "mrk-0123456789abcdef0123456789abcdef";

  static byte[] seal(Map<String, String> ec) {
    return CiphertextBlob.encrypt(ID, 3, KEY, new byte[] {1, 2, 3}, ec, RANDOM);
  }

  @Test
  void header_carriesKeyIdAndVersion() {
    CiphertextBlob.Parsed p = CiphertextBlob.parse(seal(Map.of()));
    assertThat(p.keyId()).isEqualTo(ID);
    assertThat(p.materialVersion()).isEqualTo(3);
    assertThat(p.decrypt(KEY, Map.of())).containsExactly(1, 2, 3);
  }

  @Test
  void everyFlippedByte_isInvalidCiphertext() {
    byte[] blob = seal(Map.of("a", "b"));
    for (int i = 0; i < blob.length; i++) {
      byte[] bad = blob.clone();
      bad[i] ^= 0x01;
      assertThatThrownBy(() -> CiphertextBlob.parse(bad).decrypt(KEY, Map.of("a", "b")))
          .as("byte " + i)
          .isInstanceOf(KmsError.class)
          .satisfies(e -> assertThat(((KmsError) e).code()).isIn("InvalidCiphertextException"));
    }
  }

  @Test
  void truncatedBlobs_areInvalidCiphertext() {
    byte[] blob = seal(Map.of());
    for (int len = 0; len < blob.length; len++) {
      byte[] cut = Arrays.copyOf(blob, len);
      assertThatThrownBy(() -> CiphertextBlob.parse(cut).decrypt(KEY, Map.of()))
          .as("length " + len)
          .isInstanceOf(KmsError.class);
    }
  }

  @Test
  void canonicalContext_isLengthPrefixedAndOrderIndependent() {
    assertThat(CiphertextBlob.canonicalContext(Map.of("ab", "c")))
        .isNotEqualTo(CiphertextBlob.canonicalContext(Map.of("a", "bc")));
    Map<String, String> forward = new LinkedHashMap<>();
    forward.put("x", "1");
    forward.put("y", "2");
    Map<String, String> backward = new LinkedHashMap<>();
    backward.put("y", "2");
    backward.put("x", "1");
    assertThat(CiphertextBlob.canonicalContext(forward))
        .isEqualTo(CiphertextBlob.canonicalContext(backward));
  }

  @Test
  void canonicalContext_sortsByUtf8Bytes_notUtf16Units() {
    // U+FF61 is EF BD A1 in UTF-8; U+10000 is F0 90 80 80: UTF-8 order puts U+FF61 first, while
    // Java's String order (UTF-16 units FF61 vs D800) would put U+10000 first.
    String bmp = "\uFF61";
    String supplementary = new String(Character.toChars(0x10000));
    byte[] c = CiphertextBlob.canonicalContext(Map.of(supplementary, "s", bmp, "b"));
    // count(4) + keyLen(4) + first key bytes
    assertThat(Arrays.copyOfRange(c, 8, 11)).containsExactly(0xEF, 0xBD, 0xA1);
  }
}
