package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.MultiKeyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §3: the decrypt limits a caller sets on the client and per call, each raised as a {@link
 * LimitExceededException} as soon as the header (or a frame header) shows it is exceeded.
 */
class DecryptLimitsTest {
  private static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;

  private static EnvelopeClient.Builder client() {
    return EnvelopeClient.builder().keyring(MessageFixtures.KEYRING).algorithmSuite(SUITE);
  }

  private static byte[] message(int frameLength, byte[] plaintext, Map<String, String> context) {
    return MessageFixtures.encrypt(SUITE, frameLength, plaintext, context);
  }

  private static LimitExceededException limitOf(MessageFixtures.ThrowingRunnable action) {
    Throwable t = MessageFixtures.failureOf(action);
    assertThat(t).isInstanceOf(LimitExceededException.class);
    return (LimitExceededException) t;
  }

  @Test
  void defaults_areTheDocumentedValues() {
    assertThat(EnvelopeClient.DEFAULT_MAX_HEADER_SIZE).isEqualTo(1 << 20);
    assertThat(EnvelopeClient.DEFAULT_MAX_FRAME_LENGTH).isEqualTo(1 << 20);
    assertThat(EnvelopeClient.DEFAULT_MAX_BODY_SIZE).isEqualTo(Long.MAX_VALUE);
    assertThat(EnvelopeClient.DEFAULT_MAX_ENCRYPTED_DATA_KEYS).isEqualTo(16);
  }

  @Test
  void hugeEdkStream_defaultLimits_stopsAtTheEdkCount() {
    HostileMessages.CountingInputStream source =
        new HostileMessages.CountingInputStream(HostileMessages.hugeEdkStream());
    DecryptingInputStream in = client().build().decryptingStream(source);

    LimitExceededException e = limitOf(in::read);
    assertThat(e.limit()).isEqualTo(MessageLimit.ENCRYPTED_DATA_KEYS);
    assertThat(e.maximum()).isEqualTo(16);
    assertThat(e).hasMessageContaining("65535").hasMessageContaining("maxEncryptedDataKeys(16)");
    assertThat(source.count).as("bytes read: up to and including the EDK count").isEqualTo(39);
  }

  @Test
  void hugeEdkStream_edkLimitRaised_stopsBeforeReadingPastTheHeaderSize() {
    EnvelopeClient c = client().maxEncryptedDataKeys(0xFFFF).build();
    for (int limit : new int[] {EnvelopeClient.DEFAULT_MAX_HEADER_SIZE, 4096, 200_000}) {
      HostileMessages.CountingInputStream source =
          new HostileMessages.CountingInputStream(HostileMessages.hugeEdkStream());
      DecryptOptions options =
          limit == EnvelopeClient.DEFAULT_MAX_HEADER_SIZE
              ? DecryptOptions.defaults()
              : DecryptOptions.defaults().withMaxHeaderSize(limit);
      DecryptingInputStream in = c.decryptingStream(source, options);

      LimitExceededException e = limitOf(in::read);
      assertThat(e.limit()).isEqualTo(MessageLimit.HEADER_SIZE);
      assertThat(e.maximum()).isEqualTo(limit);
      assertThat(e).hasMessageContaining("maxHeaderSize(" + limit + ")");
      assertThat(source.count)
          .as("bytes read with maxHeaderSize %d", limit)
          .isLessThanOrEqualTo(limit);
    }
  }

  @Test
  void headerLargerThanTheLimit_failsInBothApis_andAnOptionRaisesIt() throws IOException {
    byte[] m = message(4096, new byte[5], Map.of("big", "x".repeat(5000)));
    int headerLength = MessageFixtures.layout(m).headerLength;
    EnvelopeClient c = client().maxHeaderSize(4096).build();

    assertThat(limitOf(() -> c.decrypt(m)).limit()).isEqualTo(MessageLimit.HEADER_SIZE);
    HostileMessages.CountingInputStream source =
        new HostileMessages.CountingInputStream(new ByteArrayInputStream(m));
    assertThat(limitOf(() -> c.decryptingStream(source).read()).limit())
        .isEqualTo(MessageLimit.HEADER_SIZE);
    assertThat(source.count).isLessThanOrEqualTo(4096);

    DecryptOptions larger = DecryptOptions.defaults().withMaxHeaderSize(headerLength);
    assertThat(c.decrypt(m, larger).plaintext()).hasSize(5);
    try (DecryptingInputStream in = c.decryptingStream(new ByteArrayInputStream(m), larger)) {
      assertThat(in.readAllBytes()).hasSize(5);
    }
    assertThat(
            limitOf(
                    () ->
                        c.decrypt(m, DecryptOptions.defaults().withMaxHeaderSize(headerLength - 1)))
                .maximum())
        .isEqualTo(headerLength - 1);
  }

  @Test
  void frameLengthAboveTheLimit_failsBeforeAnyBodyByteIsRead() throws IOException {
    byte[] m = message(2 << 20, new byte[10], Map.of());
    int frameLengthEnd = MessageFixtures.layout(m).frameLengthOffset + 4;
    EnvelopeClient c = client().build();

    LimitExceededException e = limitOf(() -> c.decrypt(m));
    assertThat(e.limit()).isEqualTo(MessageLimit.FRAME_LENGTH);
    assertThat(e)
        .hasMessageContaining(String.valueOf(2 << 20))
        .hasMessageContaining("maxFrameLength(1048576)");
    HostileMessages.CountingInputStream source =
        new HostileMessages.CountingInputStream(new ByteArrayInputStream(m));
    assertThat(limitOf(() -> c.decryptingStream(source).read()).limit())
        .isEqualTo(MessageLimit.FRAME_LENGTH);
    assertThat(source.count).as("read up to the frame length field only").isEqualTo(frameLengthEnd);

    DecryptOptions larger = DecryptOptions.defaults().withMaxFrameLength(2 << 20);
    assertThat(c.decrypt(m, larger).plaintext()).hasSize(10);
    try (DecryptingInputStream in = c.decryptingStream(new ByteArrayInputStream(m), larger)) {
      assertThat(in.readAllBytes()).hasSize(10);
    }
    assertThat(client().maxFrameLength(2 << 20).build().decrypt(m).plaintext()).hasSize(10);
  }

  @Test
  void bodyLargerThanTheLimit_streamReleasesEarlierFramesOnly_byteArrayReleasesNothing()
      throws IOException {
    byte[] plaintext = MessageFixtures.plaintext(1000, 5);
    byte[] m = message(100, plaintext, Map.of()); // nine regular frames and a full final frame
    EnvelopeClient c = client().maxBodySize(450).build();

    LimitExceededException e = limitOf(() -> c.decrypt(m));
    assertThat(e.limit()).isEqualTo(MessageLimit.BODY_SIZE);
    assertThat(e.maximum()).isEqualTo(450);
    DecryptingInputStream in = c.decryptingStream(new ByteArrayInputStream(m));
    byte[] released = new byte[1000];
    int got = 0;
    try {
      for (int n; (n = in.read(released, got, released.length - got)) > 0; ) {
        got += n;
      }
    } catch (LimitExceededException expected) {
      assertThat(expected.limit()).isEqualTo(MessageLimit.BODY_SIZE);
    }
    assertThat(got).as("the four frames within the limit").isEqualTo(400);
    assertThat(java.util.Arrays.copyOf(released, got))
        .isEqualTo(java.util.Arrays.copyOf(plaintext, 400));
    assertThatThrownBy(in::read).isInstanceOf(LimitExceededException.class);

    assertThat(c.decrypt(m, DecryptOptions.defaults().withMaxBodySize(1000)).plaintext())
        .isEqualTo(plaintext);
    try (DecryptingInputStream all =
        client().maxBodySize(1000).build().decryptingStream(new ByteArrayInputStream(m))) {
      assertThat(all.readAllBytes()).isEqualTo(plaintext);
    }
  }

  @Test
  void moreEdksThanTheDefault_failsBeforeAnyKeyringRuns_andEncryptRefusesToWriteThem() {
    List<Keyring> keyrings = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      keyrings.add(
          RawAesKeyring.builder()
              .keyNamespace("ns")
              .keyName("k" + i)
              .wrappingKey(new byte[32])
              .build());
    }
    Keyring seventeen =
        MultiKeyring.builder().generator(keyrings.get(0)).children(keyrings.subList(1, 17)).build();
    byte[] m =
        EnvelopeClient.builder()
            .keyring(seventeen)
            .algorithmSuite(SUITE)
            .maxEncryptedDataKeys(17)
            .build()
            .encrypt(new byte[3], Map.of())
            .ciphertext();
    HostileMessages.CountingKeyring counting = new HostileMessages.CountingKeyring(seventeen);
    EnvelopeClient reader = EnvelopeClient.builder().keyring(counting).build();

    LimitExceededException e = limitOf(() -> reader.decrypt(m));
    assertThat(e.limit()).isEqualTo(MessageLimit.ENCRYPTED_DATA_KEYS);
    assertThat(counting.decryptCalls).hasValue(0);
    assertThat(limitOf(() -> reader.encrypt(new byte[3], Map.of())).limit())
        .isEqualTo(MessageLimit.ENCRYPTED_DATA_KEYS);
    assertThat(
            EnvelopeClient.builder()
                .keyring(counting)
                .maxEncryptedDataKeys(17)
                .build()
                .decrypt(m)
                .plaintext())
        .hasSize(3);
  }

  @Test
  void junkEdksUnderTheLimit_costOneAttemptEach_withoutStackTraces() {
    byte[] m =
        HostileMessages.junkEdkMessage(
            16, "props", HostileMessages.rawAesProviderInfo("aes-256"), 48, 7);
    Throwable t = MessageFixtures.failureOf(() -> client().build().decrypt(m));

    assertThat(t).isInstanceOf(NoDecryptableKeyException.class);
    assertThat(t.getSuppressed())
        .hasSize(16)
        .allSatisfy(
            s -> {
              assertThat(s).isInstanceOf(DataKeyUnwrapException.class);
              assertThat(s.getStackTrace()).isEmpty();
            });
  }

  @Test
  void badLimitValues_areRejectedWithTheSettingAndTheFix() {
    assertThatThrownBy(() -> EnvelopeClient.builder().maxHeaderSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxHeaderSize must be positive: 0");
    assertThatThrownBy(() -> EnvelopeClient.builder().maxFrameLength(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxFrameLength must be positive: -1");
    assertThatThrownBy(() -> DecryptOptions.defaults().withMaxBodySize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBodySize");
    assertThatThrownBy(() -> EnvelopeClient.builder().maxEncryptedDataKeys(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 65535");
    assertThat(DecryptOptions.defaults().withMaxHeaderSize(10).maxHeaderSize()).hasValue(10);
    assertThat(DecryptOptions.defaults().maxFrameLength()).isEmpty();
  }

  @Test
  void unsignedOnly_appliesToTheByteArrayApiToo() {
    byte[] signed =
        MessageFixtures.encrypt(
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
            4096,
            new byte[2],
            Map.of());
    assertThatThrownBy(
            () -> MessageFixtures.reader().decrypt(signed, DecryptOptions.unsignedOnly()))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("unsignedOnly");
    assertThat(
            MessageFixtures.reader()
                .decrypt(message(4096, new byte[2], Map.of()), DecryptOptions.unsignedOnly())
                .plaintext())
        .hasSize(2);
  }
}
