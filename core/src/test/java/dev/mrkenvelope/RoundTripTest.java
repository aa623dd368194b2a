package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.keyring.RawAesKeyring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoundTripTest {
  static final byte[] KEY = new byte[32];

  static EnvelopeClient client(AlgorithmSuite suite, int frame) {
    return EnvelopeClient.builder()
        .keyring(RawAesKeyring.builder().keyNamespace("ns").keyName("k").wrappingKey(KEY).build())
        .algorithmSuite(suite)
        .commitmentPolicy(
            suite.isCommitting()
                ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        .frameLength(frame)
        .build();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everySuite_roundTrips(AlgorithmSuite suite) throws Exception {
    for (int len : new int[] {0, 1, 99, 100, 101, 1000}) {
      EnvelopeClient c = client(suite, 100);
      byte[] pt = new byte[len];
      for (int i = 0; i < len; i++) {
        pt[i] = (byte) i;
      }
      EncryptResult e = c.encrypt(pt, Map.of("a", "b", "ключ", "значение"));
      DecryptResult d = c.decrypt(e.ciphertext());
      assertThat(d.plaintext()).isEqualTo(pt);
      assertThat(d.encryptionContext()).containsEntry("ключ", "значение");
      assertThat(d.algorithmSuite()).isEqualTo(suite);

      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream out = c.encryptingStream(sink, Map.of("a", "b"))) {
        out.write(pt);
      }
      assertThat(c.decrypt(sink.toByteArray()).plaintext()).isEqualTo(pt);
      try (DecryptingInputStream in =
          c.decryptingStream(new ByteArrayInputStream(e.ciphertext()))) {
        assertThat(in.readAllBytes()).isEqualTo(pt);
      }
      byte[] ct = e.ciphertext().clone();
      ct[ct.length / 2] ^= 1;
      assertThatThrownBy(() -> c.decrypt(ct)).isInstanceOf(DecryptionFailedException.class);
    }
  }
}
