package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.DecryptionMaterialsRequest;
import dev.mrkenvelope.materials.DefaultMaterialsManager;
import dev.mrkenvelope.materials.EncryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterialsRequest;
import dev.mrkenvelope.materials.MaterialsManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 3: what the encrypting stream writes, and when. */
class EncryptingOutputStreamTest {
  private static final int FRAME = 100;

  /** A sink that records flushes and closes, and can be told to fail. */
  private static final class RecordingSink extends ByteArrayOutputStream {
    int flushes;
    int closes;
    long failAfter = Long.MAX_VALUE;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      if (size() + len > failAfter) {
        throw new java.io.UncheckedIOException(new IOException("sink full"));
      }
      super.write(b, off, len);
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public void close() {
      closes++;
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void closeWithoutWrite_writesAValidEmptyMessageWithHeader(AlgorithmSuite suite)
      throws IOException {
    RecordingSink sink = new RecordingSink();
    OutputStream out =
        MessageFixtures.writer(suite, FRAME).encryptingStream(sink, Map.of("empty", "yes"));
    assertThat(sink.size()).isZero();
    out.close();
    byte[] m = sink.toByteArray();
    assertThat(sink.closes).isEqualTo(1);

    MessageFixtures.Layout l = MessageFixtures.layout(m);
    assertThat(l.version).isEqualTo(suite.messageFormatVersion());
    assertThat(l.suiteId).isEqualTo(suite.id());
    assertThat(l.frameLength).isEqualTo(FRAME);
    // Exactly one frame: the final frame, sequence number 1, no content.
    assertThat(l.frameStarts).containsExactly(l.headerLength);
    assertThat(MessageFixtures.u32(m, l.headerLength)).isEqualTo(0xFFFFFFFFL);
    assertThat(MessageFixtures.u32(m, l.headerLength + 4)).isEqualTo(1);
    assertThat(MessageFixtures.u32(m, l.headerLength + 20)).isZero();
    assertThat(l.footerOffset >= 0).isEqualTo(suite.isSigning());

    DecryptResult d = MessageFixtures.reader().decrypt(m);
    assertThat(d.plaintext()).isEmpty();
    assertThat(d.encryptionContext()).containsEntry("empty", "yes");
    assertThat(MessageFixtures.streamDecrypt(MessageFixtures.reader(), m)).isEmpty();
  }

  @Test
  void writeOrFlushAfterClose_throwsIoException_andCloseIsIdempotent() throws IOException {
    RecordingSink sink = new RecordingSink();
    OutputStream out =
        MessageFixtures.writer(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, FRAME)
            .encryptingStream(sink, Map.of());
    out.write(new byte[150]);
    out.close();
    byte[] written = sink.toByteArray();
    assertThatThrownBy(() -> out.write(1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> out.write(new byte[3])).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> out.write(new byte[3], 1, 0)).isInstanceOf(IOException.class);
    assertThatThrownBy(out::flush).isInstanceOf(IOException.class);
    out.close();
    assertThat(sink.toByteArray()).isEqualTo(written);
    assertThat(sink.closes).isEqualTo(1);
    assertThat(MessageFixtures.reader().decrypt(written).plaintext()).hasSize(150);
  }

  @Test
  void frames_reachTheSinkOnlyWhenComplete_andFlushNeverEmitsAPartialFrame() throws IOException {
    RecordingSink sink = new RecordingSink();
    byte[] pt = MessageFixtures.plaintext(2 * FRAME + 1, 3);
    OutputStream out =
        MessageFixtures.writer(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, FRAME)
            .encryptingStream(sink, Map.of());
    out.write(pt, 0, FRAME);
    out.flush();
    // A full frame is buffered but could still be the final one: nothing is written yet.
    assertThat(sink.size()).isZero();
    assertThat(sink.flushes).isEqualTo(1);
    out.write(pt[FRAME]);
    // Now frame 1 is known to be a regular frame: the header and frame 1 are out.
    int headerAndFrame1 = sink.size();
    out.write(pt, FRAME + 1, FRAME - 1);
    out.flush();
    // Frame 2 is full but may still be the final frame: it stays buffered.
    assertThat(sink.size()).isEqualTo(headerAndFrame1);
    out.write(pt, 2 * FRAME, 1);
    int throughFrame2 = sink.size();
    out.close();
    byte[] m = sink.toByteArray();
    MessageFixtures.Layout l = MessageFixtures.layout(m);
    assertThat(headerAndFrame1).isEqualTo(l.frameStarts.get(1));
    assertThat(throughFrame2).isEqualTo(l.frameStarts.get(2));
    assertThat(l.frameStarts).hasSize(3);
    assertThat(MessageFixtures.u32(m, l.frameStarts.get(2) + 20)).isEqualTo(1);
    assertThat(MessageFixtures.reader().decrypt(m).plaintext()).isEqualTo(pt);
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256"
      })
  void exactMultipleOfTheFrameLength_endsInAFullFinalFrame_likeTheByteArrayApi(AlgorithmSuite suite)
      throws IOException {
    for (int frames : new int[] {1, 3}) {
      byte[] pt = MessageFixtures.plaintext(frames * FRAME, frames);
      RecordingSink sink = new RecordingSink();
      try (OutputStream out =
          MessageFixtures.writer(suite, FRAME).encryptingStream(sink, Map.of())) {
        out.write(pt);
      }
      byte[] m = sink.toByteArray();
      MessageFixtures.Layout streamed = MessageFixtures.layout(m);
      MessageFixtures.Layout whole =
          MessageFixtures.layout(MessageFixtures.encrypt(suite, FRAME, pt, Map.of()));
      assertThat(streamed.frameStarts).hasSize(frames).isEqualTo(whole.frameStarts);
      assertThat(MessageFixtures.u32(m, streamed.frameStarts.get(frames - 1) + 20))
          .isEqualTo(FRAME);
      assertThat(MessageFixtures.reader().decrypt(m).plaintext()).isEqualTo(pt);
    }
  }

  @Test
  void sinkFailure_failsTheStream_laterWritesThrow_andCloseOnlyClosesTheSink() throws IOException {
    RecordingSink sink = new RecordingSink();
    sink.failAfter = 50; // the header alone is larger
    OutputStream out =
        MessageFixtures.writer(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, FRAME)
            .encryptingStream(sink, Map.of());
    assertThatThrownBy(() -> out.write(new byte[FRAME + 1]))
        .isInstanceOf(java.io.UncheckedIOException.class);
    assertThatThrownBy(() -> out.write(1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed");
    assertThatThrownBy(out::flush).isInstanceOf(IOException.class);
    out.close();
    assertThat(sink.closes).isEqualTo(1);
    assertThat(sink.size()).isZero();
  }

  @Test
  void plaintextLengthHint_reachesTheMaterialsManager() throws IOException {
    List<OptionalLong> seen = new ArrayList<>();
    MaterialsManager recording =
        new MaterialsManager() {
          private final MaterialsManager inner =
              DefaultMaterialsManager.create(MessageFixtures.KEYRING);

          @Override
          public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest request) {
            seen.add(request.plaintextLength());
            return inner.getEncryptionMaterials(request);
          }

          @Override
          public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest request) {
            return inner.decryptMaterials(request);
          }
        };
    EnvelopeClient client = EnvelopeClient.builder().materialsManager(recording).build();
    try (OutputStream out =
        client.encryptingStream(new ByteArrayOutputStream(), Map.of(), 12_345)) {
      out.write(new byte[12_345]);
    }
    try (OutputStream out = client.encryptingStream(new ByteArrayOutputStream(), Map.of())) {
      out.write(1);
    }
    assertThat(seen).containsExactly(OptionalLong.of(12_345), OptionalLong.empty());
  }

  @Test
  void invalidContext_isRefusedWhenTheStreamIsCreated() {
    EnvelopeClient client =
        MessageFixtures.writer(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, FRAME);
    RecordingSink sink = new RecordingSink();
    assertThatThrownBy(() -> client.encryptingStream(sink, Map.of("aws-crypto-x", "v")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.encryptingStream(sink, Map.of("k", "")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sink.size()).isZero();
  }

  @Test
  void writeOutOfBounds_throwsIndexOutOfBounds_andWritesNothing() throws IOException {
    RecordingSink sink = new RecordingSink();
    OutputStream out =
        MessageFixtures.writer(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 1)
            .encryptingStream(sink, Map.of());
    assertThatThrownBy(() -> out.write(new byte[4], 3, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> out.write(new byte[4], -1, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    out.write(new byte[] {1, 2});
    out.close();
    assertThat(MessageFixtures.reader().decrypt(sink.toByteArray()).plaintext())
        .containsExactly(1, 2);
  }

  @Test
  void streamedMessage_decryptsFromASourceWithTheSameBytes() throws IOException {
    // The encrypting and decrypting streams chained in memory, a frame at a time.
    byte[] pt = MessageFixtures.plaintext(10 * FRAME + 3, 11);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    EnvelopeClient client =
        MessageFixtures.writer(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, FRAME);
    try (OutputStream out = client.encryptingStream(sink, Map.of("a", "b"))) {
      for (byte b : pt) {
        out.write(b);
      }
    }
    try (DecryptingInputStream in =
        client.decryptingStream(new ByteArrayInputStream(sink.toByteArray()))) {
      assertThat(in.readAllBytes()).isEqualTo(pt);
      assertThat(in.encryptionContext()).containsEntry("a", "b");
    }
  }
}
