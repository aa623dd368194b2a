package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12: {@code mrkenvelope.messages} times the streams as it times the byte[] API. */
class ClientMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EnvelopeClient client =
      EnvelopeClient.builder()
          .keyring(MessageFixtures.KEYRING)
          .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
          .frameLength(64)
          .meterRegistry(registry)
          .build();

  private long count(String operation, String outcome) {
    var timer =
        Search.in(registry)
            .name("mrkenvelope.messages")
            .tag("operation", operation)
            .tag("outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private byte[] streamEncrypt(byte[] plaintext) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = client.encryptingStream(sink, Map.of("k", "v"))) {
      out.write(plaintext);
    }
    return sink.toByteArray();
  }

  @Test
  void streams_areTimedLikeTheByteArrayApi() throws IOException {
    byte[] m = streamEncrypt(new byte[300]);
    assertThat(count("encrypt", "success")).isEqualTo(1);

    try (DecryptingInputStream in = client.decryptingStream(new ByteArrayInputStream(m))) {
      assertThat(in.readAllBytes()).hasSize(300);
      assertThat(count("decrypt", "success"))
          .as("timed when the message ends, before close")
          .isEqualTo(1);
    }
    assertThat(count("decrypt", "success")).as("close after the end adds nothing").isEqualTo(1);

    client.decrypt(client.encrypt(new byte[3], Map.of()).ciphertext());
    assertThat(count("encrypt", "success")).isEqualTo(2);
    assertThat(count("decrypt", "success")).isEqualTo(2);
  }

  @Test
  void decryptingStreamFailures_areTimedOnceWithTheirOutcome() throws IOException {
    byte[] m = streamEncrypt(new byte[300]);
    byte[] bad = m.clone();
    bad[bad.length - 3] ^= 1;
    DecryptingInputStream in = client.decryptingStream(new ByteArrayInputStream(bad));
    assertThatThrownBy(in::readAllBytes).isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(in::read).isInstanceOf(DecryptionFailedException.class);
    in.close();
    assertThat(count("decrypt", "decryption_failed")).isEqualTo(1);
    assertThat(count("decrypt", "incomplete")).isZero();

    DecryptingInputStream big =
        client.decryptingStream(
            new ByteArrayInputStream(m), DecryptOptions.defaults().withMaxBodySize(10));
    assertThatThrownBy(big::readAllBytes).isInstanceOf(LimitExceededException.class);
    assertThat(count("decrypt", "policy")).isEqualTo(1);

    try (DecryptingInputStream abandoned = client.decryptingStream(new ByteArrayInputStream(m))) {
      assertThat(abandoned.read()).isGreaterThanOrEqualTo(0);
    }
    assertThat(count("decrypt", "incomplete")).isEqualTo(1);
    assertThat(count("decrypt", "success")).isZero();
  }

  @Test
  void encryptingStreamFailure_isTimedOnce() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    OutputStream out = client.encryptingStream(sink, Map.of(), 10);
    assertThatThrownBy(() -> out.write(new byte[11])).isInstanceOf(IOException.class);
    out.close();
    assertThat(count("encrypt", "error")).isEqualTo(1);
    assertThat(count("encrypt", "success")).isZero();
  }
}
