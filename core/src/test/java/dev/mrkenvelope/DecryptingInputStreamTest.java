package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.MultiKeyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 3: what the decrypting stream releases, when it fails, and what it does with its source.
 */
class DecryptingInputStreamTest {
  private static final EnvelopeClient READER = MessageFixtures.reader();
  private static final int FRAME = 100;
  private static final byte SENTINEL = (byte) 0xA5;

  private static byte[] message(AlgorithmSuite suite, int size) {
    return MessageFixtures.encrypt(
        suite, FRAME, MessageFixtures.plaintext(size, 42), Map.of("t", "u"));
  }

  private static byte[] plaintext(int size) {
    return MessageFixtures.plaintext(size, 42);
  }

  /**
   * Reads the stream one {@code read()} at a time. Returns the bytes released before the failure;
   * fails the test if the stream ends cleanly or throws anything but DecryptionFailedException.
   */
  private static byte[] releasedBeforeFailure(InputStream in, String what) {
    List<Byte> out = new ArrayList<>();
    try {
      for (int b; (b = in.read()) >= 0; ) {
        out.add((byte) b);
      }
    } catch (DecryptionFailedException expected) {
      byte[] r = new byte[out.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = out.get(i);
      }
      return r;
    } catch (Throwable t) {
      throw new AssertionError(what + ": expected DecryptionFailedException, got " + t, t);
    }
    throw new AssertionError(
        what + ": the stream ended cleanly (-1) after " + out.size() + " bytes");
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256",
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256"
      })
  void everyTruncationPoint_failsWithDecryptionFailed_andReleasesOnlyWholeAuthenticFrames(
      AlgorithmSuite suite) {
    int size = 3 * FRAME + 37; // three regular frames and a final frame of 37 bytes
    byte[] m = message(suite, size);
    byte[] pt = plaintext(size);
    MessageFixtures.Layout l = MessageFixtures.layout(m);
    assertThat(l.frameStarts).hasSize(4);
    for (int len = 0; len < m.length; len++) {
      byte[] cut = Arrays.copyOf(m, len);
      // Alternate between a source that hands out everything and one that trickles.
      InputStream source =
          len % 2 == 0
              ? new ByteArrayInputStream(cut)
              : new MessageFixtures.TrickleInputStream(cut, len, 7);
      byte[] released =
          releasedBeforeFailure(READER.decryptingStream(source), suite + " prefix " + len);
      // Only regular frames that are entirely inside the prefix can have been released.
      int wholeFrames = 0;
      for (int f = 1; f < l.frameStarts.size(); f++) {
        if (l.frameStarts.get(f) <= len) {
          wholeFrames = f;
        }
      }
      assertThat(released.length).as("prefix %d", len).isLessThanOrEqualTo(wholeFrames * FRAME);
      assertThat(released).isEqualTo(Arrays.copyOf(pt, released.length));
      // readAllBytes never returns a short plaintext either.
      MessageFixtures.assertRejected(
          "readAllBytes prefix " + len, () -> MessageFixtures.streamDecrypt(READER, cut));
    }
  }

  private static byte[] frame(byte[] m, MessageFixtures.Layout l, int index) {
    int start = l.frameStarts.get(index);
    int end = index + 1 < l.frameStarts.size() ? l.frameStarts.get(index + 1) : l.bodyEnd;
    return Arrays.copyOfRange(m, start, end);
  }

  /** Rebuilds {@code m} with its frames in the order given (indexes into the original frames). */
  private static byte[] withFrames(byte[] m, int... order) {
    MessageFixtures.Layout l = MessageFixtures.layout(m);
    List<byte[]> parts = new ArrayList<>();
    parts.add(Arrays.copyOf(m, l.headerLength));
    for (int i : order) {
      parts.add(frame(m, l, i));
    }
    parts.add(Arrays.copyOfRange(m, l.bodyEnd, m.length));
    return MessageFixtures.concat(parts.toArray(new byte[0][]));
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
        "AES_256_GCM_IV12_TAG16_NO_KDF"
      })
  void reorderedDuplicatedOrDroppedFrames_areRejectedByBothApis(AlgorithmSuite suite) {
    byte[] m = message(suite, 3 * FRAME + 37);
    byte[] pt = plaintext(3 * FRAME + 37);
    assertThat(MessageFixtures.reader().decrypt(withFrames(m, 0, 1, 2, 3)).plaintext())
        .isEqualTo(pt);
    int[][] orders = {
      {1, 0, 2, 3}, // swapped
      {0, 2, 1, 3},
      {0, 0, 1, 2, 3}, // duplicated
      {0, 1, 1, 2, 3},
      {0, 1, 2, 2, 3},
      {0, 2, 3}, // dropped
      {0, 1, 2}, // final frame dropped
      {0, 1, 3}, // last regular frame dropped
      {3}, // only the final frame
      {0, 1, 2, 3, 3}, // final frame twice
    };
    for (int[] order : orders) {
      byte[] bad = withFrames(m, order);
      String what = suite + " frames " + Arrays.toString(order);
      MessageFixtures.assertRejected(what + " (byte[])", () -> READER.decrypt(bad));
      byte[] released =
          releasedBeforeFailure(READER.decryptingStream(new ByteArrayInputStream(bad)), what);
      // Frames before the first out-of-place one may have been released, and only they. (A
      // complete message followed by a copy of its final frame is a message with trailing bytes:
      // all of it is authentic and released, and the end of the stream is the error.)
      int inPlace = 0;
      while (inPlace < order.length && inPlace < 4 && order[inPlace] == inPlace) {
        inPlace++;
      }
      int releasable = inPlace == 4 ? 3 * FRAME + 37 : inPlace * FRAME;
      assertThat(released.length).as(what).isLessThanOrEqualTo(releasable);
      assertThat(released).isEqualTo(Arrays.copyOf(pt, released.length));
    }
  }

  @Test
  void framesSwapped_withSequenceNumbersRewritten_failTheirTags() {
    byte[] m = message(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 3 * FRAME);
    byte[] bad = withFrames(m, 1, 0, 2);
    MessageFixtures.Layout l = MessageFixtures.layout(bad);
    MessageFixtures.putU32(bad, l.frameStarts.get(0), 1);
    MessageFixtures.putU32(bad, l.frameStarts.get(1), 2);
    MessageFixtures.assertRejected("swapped, renumbered (byte[])", () -> READER.decrypt(bad));
    assertThat(
            releasedBeforeFailure(
                READER.decryptingStream(new ByteArrayInputStream(bad)), "renumbered"))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384"
      })
  void trailingBytes_failAtTheEnd_andEveryLaterReadFailsToo(AlgorithmSuite suite)
      throws IOException {
    for (int extra : new int[] {1, 2, 100}) {
      byte[] m = MessageFixtures.concat(message(suite, 250), new byte[extra]);
      DecryptingInputStream in = READER.decryptingStream(new ByteArrayInputStream(m));
      byte[] released = releasedBeforeFailure(in, "trailing " + extra);
      assertThat(released).isEqualTo(plaintext(250));
      // The failure sticks: no later call may report a clean end of stream.
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(in::read)
            .as("read() after failure, %d trailing", extra)
            .isInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> in.read(new byte[10]))
            .isInstanceOf(DecryptionFailedException.class);
      }
    }
  }

  /** A keyring that counts how often it is asked to decrypt. */
  private static final class CountingKeyring implements Keyring {
    final AtomicInteger decrypts = new AtomicInteger();

    @Override
    public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
      return MessageFixtures.KEYRING.onEncrypt(materials);
    }

    @Override
    public DecryptionMaterials onDecrypt(
        DecryptionMaterials materials, List<EncryptedDataKey> edks) {
      decrypts.incrementAndGet();
      return MessageFixtures.KEYRING.onDecrypt(materials, edks);
    }
  }

  @ParameterizedTest
  @EnumSource(value = AlgorithmSuite.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*ECDSA.*")
  void unsignedOnly_refusesSignedMessages_beforeAnyKeyIsUnwrapped(AlgorithmSuite suite) {
    byte[] m = message(suite, 10);
    CountingKeyring keyring = new CountingKeyring();
    EnvelopeClient client =
        EnvelopeClient.builder()
            .keyring(keyring)
            .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
            .build();
    DecryptingInputStream in =
        client.decryptingStream(new ByteArrayInputStream(m), DecryptOptions.unsignedOnly());
    assertThatThrownBy(in::read)
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("unsignedOnly");
    assertThatThrownBy(in::encryptionContext).isInstanceOf(PolicyException.class);
    assertThatThrownBy(in::algorithmSuite).isInstanceOf(PolicyException.class);
    assertThat(keyring.decrypts).hasValue(0);
  }

  @ParameterizedTest
  @EnumSource(value = AlgorithmSuite.class, mode = EnumSource.Mode.MATCH_NONE, names = ".*ECDSA.*")
  void unsignedOnly_acceptsUnsignedMessages(AlgorithmSuite suite) throws IOException {
    byte[] m = message(suite, 250);
    try (DecryptingInputStream in =
        READER.decryptingStream(new ByteArrayInputStream(m), DecryptOptions.unsignedOnly())) {
      assertThat(in.algorithmSuite()).isEqualTo(suite);
      assertThat(in.readAllBytes()).isEqualTo(plaintext(250));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void headerAccessors_workBeforeTheFirstRead_andConsumeOnlyTheHeader(AlgorithmSuite suite)
      throws IOException {
    byte[] m = message(suite, 250);
    MessageFixtures.Layout l = MessageFixtures.layout(m);
    MessageFixtures.TrickleInputStream source = new MessageFixtures.TrickleInputStream(m, 1, 5);
    try (DecryptingInputStream in = READER.decryptingStream(source)) {
      assertThat(source.position()).isZero(); // nothing is read at construction
      assertThat(in.encryptionContext()).containsEntry("t", "u");
      assertThat(in.encryptionContext().containsKey("aws-crypto-public-key"))
          .isEqualTo(suite.isSigning());
      assertThat(in.algorithmSuite()).isEqualTo(suite);
      assertThat(source.position()).isEqualTo(l.headerLength);
      assertThat(in.available()).isZero();
      assertThat(in.readAllBytes()).isEqualTo(plaintext(250));
      assertThat(in.encryptionContext()).containsEntry("t", "u");
    }
  }

  @Test
  void headerAccessors_onAForgedHeader_throwDecryptionFailed() {
    byte[] m = message(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 10);
    m[5] ^= 1; // message ID: the commitment no longer matches
    DecryptingInputStream in = READER.decryptingStream(new ByteArrayInputStream(m));
    assertThatThrownBy(in::encryptionContext).isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(in::read).isInstanceOf(DecryptionFailedException.class);
  }

  /** A source that records whether it was closed. */
  private static final class ClosableSource extends FilterInputStream {
    int closes;

    ClosableSource(byte[] b) {
      super(new ByteArrayInputStream(b));
    }

    @Override
    public void close() throws IOException {
      closes++;
      super.close();
    }
  }

  @Test
  void close_closesTheSource_atAnyPoint_andIsIdempotent() throws IOException {
    byte[] m = message(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 1000);
    for (int readFirst : new int[] {-1, 0, 1, 150, 1000}) {
      ClosableSource source = new ClosableSource(m);
      DecryptingInputStream in = READER.decryptingStream(source);
      if (readFirst == 0) {
        in.encryptionContext();
      } else if (readFirst > 0) {
        assertThat(in.readNBytes(readFirst)).hasSize(readFirst);
      }
      in.close();
      in.close();
      assertThat(source.closes).as("after reading %d", readFirst).isEqualTo(1);
      assertThatThrownBy(in::read).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> in.read(new byte[4], 0, 4)).isInstanceOf(IOException.class);
      assertThat(in.available()).as("nothing is available from a closed stream").isZero();
    }
  }

  @Test
  void close_afterAFailure_closesTheSource() throws IOException {
    byte[] m = message(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 1000);
    m[m.length - 3] ^= 1;
    ClosableSource source = new ClosableSource(m);
    try (DecryptingInputStream in = READER.decryptingStream(source)) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(DecryptionFailedException.class);
    }
    assertThat(source.closes).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
        "AES_192_GCM_IV12_TAG16_NO_KDF"
      })
  void tamperedFrame_theReadThatReachesItThrows_andReleasesNothingOfIt(AlgorithmSuite suite)
      throws IOException {
    int size = 5 * FRAME + 10;
    byte[] pt = plaintext(size);
    byte[] m = message(suite, size);
    MessageFixtures.Layout l = MessageFixtures.layout(m);
    for (int bad = 0; bad < l.frameStarts.size(); bad++) {
      byte[] t = m.clone();
      // A ciphertext byte in the middle of frame `bad` (past its 16- or 24-byte frame header).
      t[l.frameStarts.get(bad) + 24 + 3] ^= 0x40;
      byte[] buf = new byte[size + 64];
      Arrays.fill(buf, SENTINEL);
      int pos = 0;
      DecryptingInputStream in = READER.decryptingStream(new ByteArrayInputStream(t));
      DecryptionFailedException failure = null;
      try {
        for (int r; (r = in.read(buf, pos, buf.length - pos)) >= 0; ) {
          pos += r;
        }
      } catch (DecryptionFailedException e) {
        failure = e;
      }
      assertThat(failure).as("frame %d tampered", bad).isNotNull();
      assertThat(pos).as("released before frame %d", bad).isEqualTo(bad * FRAME);
      assertThat(Arrays.copyOf(buf, pos)).isEqualTo(Arrays.copyOf(pt, pos));
      for (int i = pos; i < buf.length; i++) {
        if (buf[i] != SENTINEL) {
          throw new AssertionError(
              "byte " + i + " of the caller's buffer was written by a failed read");
        }
      }
      assertThat(in.available()).isZero();
      assertThatThrownBy(in::read).isInstanceOf(DecryptionFailedException.class);
      assertThatThrownBy(() -> in.skip(1)).isInstanceOf(DecryptionFailedException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(value = AlgorithmSuite.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*ECDSA.*")
  void badSignature_finalFrameIsNeverReleased(AlgorithmSuite suite) {
    int size = 2 * FRAME + 50;
    byte[] m = message(suite, size);
    MessageFixtures.Layout l = MessageFixtures.layout(m);
    // Flip a bit inside the DER signature (past its u16 length and the SEQUENCE header).
    m[l.footerOffset + 2 + 10] ^= 1;
    byte[] released =
        releasedBeforeFailure(
            READER.decryptingStream(new ByteArrayInputStream(m)), suite + " bad signature");
    assertThat(released).isEqualTo(Arrays.copyOf(plaintext(size), 2 * FRAME));
    MessageFixtures.assertRejected("bad signature (byte[])", () -> READER.decrypt(m));
  }

  @Test
  void sourceIoException_surfacesAsIoException_fromReadAndUnchecked_fromHeaderAccessors() {
    byte[] m = message(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 1000);
    IOException boom = new IOException("disk on fire");
    for (int failAt : new int[] {5, MessageFixtures.layout(m).headerLength + 20}) {
      InputStream failing =
          new FilterInputStream(new ByteArrayInputStream(m)) {
            int pos;

            @Override
            public int read() throws IOException {
              if (pos++ >= failAt) {
                throw boom;
              }
              return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              if (pos >= failAt) {
                throw boom;
              }
              int r = super.read(b, off, Math.min(len, failAt - pos));
              pos += Math.max(r, 0);
              return r;
            }
          };
      DecryptingInputStream in = READER.decryptingStream(failing);
      if (failAt == 5) {
        assertThatThrownBy(in::encryptionContext)
            .isInstanceOf(UncheckedIOException.class)
            .hasCause(boom);
        assertThatThrownBy(in::read).isSameAs(boom);
      } else {
        assertThatThrownBy(in::readAllBytes).isSameAs(boom);
      }
    }
  }

  @Test
  void tooManyEncryptedDataKeys_streamThrowsPolicyException_fromTheFirstRead() {
    Keyring second =
        RawAesKeyring.builder().keyNamespace("x").keyName("y").wrappingKey(new byte[16]).build();
    EnvelopeClient writer =
        EnvelopeClient.builder()
            .keyring(
                MultiKeyring.builder().generator(MessageFixtures.KEYRING).children(second).build())
            .build();
    byte[] m = writer.encrypt(new byte[5], Map.of()).ciphertext();
    EnvelopeClient capped =
        EnvelopeClient.builder().keyring(MessageFixtures.KEYRING).maxEncryptedDataKeys(1).build();
    DecryptingInputStream in = capped.decryptingStream(new ByteArrayInputStream(m));
    assertThatThrownBy(in::read)
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("maxEncryptedDataKeys");
  }

  @Test
  void reproducedContext_inOptions_mustMatchTheMessage() throws IOException {
    byte[] m = message(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 10);
    try (DecryptingInputStream ok =
        READER.decryptingStream(
            new ByteArrayInputStream(m),
            DecryptOptions.defaults().withReproducedContext(Map.of("t", "u")))) {
      assertThat(ok.readAllBytes()).isEqualTo(plaintext(10));
    }
    DecryptingInputStream wrong =
        READER.decryptingStream(
            new ByteArrayInputStream(m),
            DecryptOptions.defaults().withReproducedContext(Map.of("t", "v")));
    assertThatThrownBy(wrong::read).isInstanceOf(DecryptionFailedException.class);
    // A pair that was never authenticated (as a required pair) makes the header tag fail.
    DecryptingInputStream extra =
        READER.decryptingStream(
            new ByteArrayInputStream(m),
            DecryptOptions.defaults().withReproducedContext(Map.of("new", "pair")));
    assertThatThrownBy(extra::read).isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void commitmentPolicy_requireDecrypt_refusesV1Messages_fromTheStream() {
    byte[] m = message(AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, 10);
    EnvelopeClient strict = EnvelopeClient.builder().keyring(MessageFixtures.KEYRING).build();
    assertThatThrownBy(() -> strict.decryptingStream(new ByteArrayInputStream(m)).read())
        .isInstanceOf(PolicyException.class);
  }

  @Test
  void zeroLengthRead_returnsZero_andEmptyMessage_endsCleanly() throws IOException {
    byte[] m = message(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 0);
    try (DecryptingInputStream in = READER.decryptingStream(new ByteArrayInputStream(m))) {
      assertThat(in.read(new byte[1], 0, 0)).isZero();
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.skip(10)).isZero();
    }
  }
}
