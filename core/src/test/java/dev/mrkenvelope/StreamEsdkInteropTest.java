package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import com.amazonaws.encryptionsdk.CryptoInputStream;
import com.amazonaws.encryptionsdk.CryptoOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * Issue 3: our streams against ESDK-Java 3.0.2's {@code CryptoOutputStream}/{@code
 * CryptoInputStream}, both directions, multi-MiB messages, both committing suites, with the same
 * raw AES wrapping key, namespace and key name on both sides.
 */
class StreamEsdkInteropTest {
  private static final int SIZE = 5 * 1024 * 1024 + 13;
  private static final Map<String, String> CONTEXT =
      Map.of("stream", "interop", "ключ", "😀\u0007");

  private static final IKeyring ESDK_KEYRING =
      MaterialProviders.builder()
          .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
          .build()
          .CreateRawAesKeyring(
              CreateRawAesKeyringInput.builder()
                  .keyNamespace("props")
                  .keyName("aes-256")
                  .wrappingKey(ByteBuffer.wrap(MessageFixtures.WRAPPING_KEY))
                  .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16)
                  .build());

  private static AwsCrypto esdk(AlgorithmSuite suite, int frameLength) {
    return AwsCrypto.builder()
        .withCommitmentPolicy(
            com.amazonaws.encryptionsdk.CommitmentPolicy.RequireEncryptRequireDecrypt)
        .withEncryptionAlgorithm(
            suite.isSigning()
                ? CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
                : CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
        .withEncryptionFrameSize(frameLength)
        .build();
  }

  private static EnvelopeClient ours(AlgorithmSuite suite, int frameLength) {
    return EnvelopeClient.builder()
        .keyring(MessageFixtures.KEYRING)
        .algorithmSuite(suite)
        .frameLength(frameLength)
        .build();
  }

  /** Writes {@code size} deterministic bytes in chunks of varying size; returns their SHA-256. */
  private static byte[] writeGenerated(OutputStream out, int size, long seed) throws IOException {
    MessageDigest sha = sha256();
    SplittableRandom r = new SplittableRandom(seed);
    byte[] buf = new byte[70_000];
    for (int done = 0; done < size; ) {
      int n = Math.min(size - done, 1 + r.nextInt(buf.length));
      r.nextBytes(buf);
      out.write(buf, 0, n);
      sha.update(buf, 0, n);
      done += n;
    }
    return sha.digest();
  }

  /** Reads {@code in} to its end in chunks of varying size; returns the SHA-256 and the length. */
  private static Object[] readDigest(InputStream in) throws IOException {
    MessageDigest sha = sha256();
    SplittableRandom r = new SplittableRandom(7);
    byte[] buf = new byte[100_000];
    long total = 0;
    for (int n; (n = in.read(buf, 0, 1 + r.nextInt(buf.length))) >= 0; ) {
      sha.update(buf, 0, n);
      total += n;
    }
    return new Object[] {sha.digest(), total};
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> suitesAndFrames() {
    return Stream.of(
        Arguments.of(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 4096),
        Arguments.of(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 65_536),
        Arguments.of(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 1000),
        Arguments.of(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 4096),
        Arguments.of(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 65_536));
  }

  @ParameterizedTest
  @MethodSource("suitesAndFrames")
  void ourEncryptingStream_decryptsWithEsdkCryptoInputStream(AlgorithmSuite suite, int frameLength)
      throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream(SIZE + 100_000);
    byte[] expected;
    try (OutputStream out = ours(suite, frameLength).encryptingStream(sink, CONTEXT)) {
      expected = writeGenerated(out, SIZE, frameLength);
    }
    CryptoInputStream<?> in =
        esdk(suite, frameLength)
            .createDecryptingStream(ESDK_KEYRING, new ByteArrayInputStream(sink.toByteArray()));
    Object[] got = readDigest(in);
    assertThat((long) got[1]).isEqualTo(SIZE);
    assertThat((byte[]) got[0]).isEqualTo(expected);
    assertThat(in.getCryptoResult().getEncryptionContext()).containsAllEntriesOf(CONTEXT);
    assertThat(in.getCryptoResult().getCryptoAlgorithm().getValue()).isEqualTo((short) suite.id());
    in.close();
  }

  @ParameterizedTest
  @MethodSource("suitesAndFrames")
  void esdkCryptoOutputStream_decryptsWithOurDecryptingStream(AlgorithmSuite suite, int frameLength)
      throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream(SIZE + 100_000);
    byte[] expected;
    try (CryptoOutputStream<?> out =
        esdk(suite, frameLength).createEncryptingStream(ESDK_KEYRING, sink, CONTEXT)) {
      expected = writeGenerated(out, SIZE, frameLength);
    }
    byte[] ct = sink.toByteArray();
    try (DecryptingInputStream in =
        ours(suite, frameLength)
            .decryptingStream(new MessageFixtures.TrickleInputStream(ct, 1, 50_000))) {
      assertThat(in.algorithmSuite()).isEqualTo(suite);
      assertThat(in.encryptionContext()).containsAllEntriesOf(CONTEXT);
      Object[] got = readDigest(in);
      assertThat((long) got[1]).isEqualTo(SIZE);
      assertThat((byte[]) got[0]).isEqualTo(expected);
    }
    // And through our byte[] API.
    assertThat(
            MessageDigest.isEqual(
                sha256().digest(ours(suite, frameLength).decrypt(ct).plaintext()), expected))
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("suitesAndFrames")
  void emptyPlaintext_throughEitherStream_decryptsOnTheOtherSide(
      AlgorithmSuite suite, int frameLength) throws IOException {
    ByteArrayOutputStream ourSink = new ByteArrayOutputStream();
    ours(suite, frameLength).encryptingStream(ourSink, CONTEXT).close();
    CryptoInputStream<?> esdkIn =
        esdk(suite, frameLength)
            .createDecryptingStream(ESDK_KEYRING, new ByteArrayInputStream(ourSink.toByteArray()));
    assertThat(esdkIn.readAllBytes()).isEmpty();
    assertThat(esdkIn.getCryptoResult().getEncryptionContext()).containsAllEntriesOf(CONTEXT);

    // ESDK-Java 3.0.2 still writes its header lazily on the first write(...) call, even an empty
    // one (aws-encryption-sdk-java#218): an empty write is needed to get a message at all.
    ByteArrayOutputStream esdkSink = new ByteArrayOutputStream();
    try (OutputStream out =
        esdk(suite, frameLength).createEncryptingStream(ESDK_KEYRING, esdkSink, CONTEXT)) {
      out.write(new byte[0]);
    }
    try (DecryptingInputStream in =
        ours(suite, frameLength)
            .decryptingStream(new ByteArrayInputStream(esdkSink.toByteArray()))) {
      assertThat(in.readAllBytes()).isEmpty();
      assertThat(in.encryptionContext()).containsAllEntriesOf(CONTEXT);
    }
  }

  @Test
  void esdkStreamClosedWithoutWrite_writesNoHeader_andWeRejectWhatItWrote() throws IOException {
    AlgorithmSuite suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
    ByteArrayOutputStream esdkSink = new ByteArrayOutputStream();
    esdk(suite, 4096).createEncryptingStream(ESDK_KEYRING, esdkSink, CONTEXT).close();
    byte[] headerless = esdkSink.toByteArray();
    // Only a final frame: FFFFFFFF, sequence 1, IV, length 0, tag (aws-encryption-sdk-java#218).
    assertThat(headerless).hasSize(40);
    assertThat(MessageFixtures.u32(headerless, 0)).isEqualTo(0xFFFFFFFFL);
    MessageFixtures.assertRejected(
        "ESDK headerless (byte[])", () -> ours(suite, 4096).decrypt(headerless));
    MessageFixtures.assertRejected(
        "ESDK headerless (stream)",
        () -> MessageFixtures.streamDecrypt(ours(suite, 4096), headerless));
    assertThatThrownBy(() -> esdk(suite, 4096).decryptData(ESDK_KEYRING, headerless))
        .as("the ESDK cannot read it either")
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void unsignedOnlyStreams_onBothSides_agreeOnWhatTheyAccept() throws IOException {
    AlgorithmSuite unsigned = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
    AlgorithmSuite signed = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
    byte[] pt = MessageFixtures.plaintext(100_000, 5);

    byte[] ourUnsigned = ours(unsigned, 4096).encrypt(pt, CONTEXT).ciphertext();
    CryptoInputStream<?> esdkIn =
        esdk(unsigned, 4096)
            .createUnsignedMessageDecryptingStream(
                ESDK_KEYRING, new ByteArrayInputStream(ourUnsigned));
    assertThat(esdkIn.readAllBytes()).isEqualTo(pt);

    ByteArrayOutputStream esdkSigned = new ByteArrayOutputStream();
    try (OutputStream out =
        esdk(signed, 4096).createEncryptingStream(ESDK_KEYRING, esdkSigned, CONTEXT)) {
      out.write(pt);
    }
    DecryptingInputStream refusing =
        ours(signed, 4096)
            .decryptingStream(
                new ByteArrayInputStream(esdkSigned.toByteArray()), DecryptOptions.unsignedOnly());
    assertThatThrownBy(refusing::read).isInstanceOf(PolicyException.class);

    ByteArrayOutputStream esdkUnsigned = new ByteArrayOutputStream();
    try (OutputStream out =
        esdk(unsigned, 4096).createEncryptingStream(ESDK_KEYRING, esdkUnsigned, CONTEXT)) {
      out.write(pt);
    }
    try (DecryptingInputStream in =
        ours(unsigned, 4096)
            .decryptingStream(
                new ByteArrayInputStream(esdkUnsigned.toByteArray()),
                DecryptOptions.unsignedOnly())) {
      assertThat(in.readAllBytes()).isEqualTo(pt);
    }
  }

  /**
   * An ESDK non-framed (frame size 0) v2 message: the only way to get one with an authentic header.
   */
  private static byte[] esdkNonFramed(AlgorithmSuite suite, byte[] pt) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = esdk(suite, 0).createEncryptingStream(ESDK_KEYRING, sink, CONTEXT)) {
      out.write(pt);
    }
    return sink.toByteArray();
  }

  private static byte[] esdkNonFramed(byte[] pt) throws IOException {
    return esdkNonFramed(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, pt);
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384"
      })
  void esdkNonFramedMessage_decryptsWithOurStreamAndByteArrayApis(AlgorithmSuite suite)
      throws IOException {
    byte[] pt = MessageFixtures.plaintext(300_000, 9);
    byte[] m = esdkNonFramed(suite, pt);
    assertThat(MessageFixtures.reader().decrypt(m).plaintext()).isEqualTo(pt);
    try (DecryptingInputStream in =
        MessageFixtures.reader()
            .decryptingStream(new MessageFixtures.TrickleInputStream(m, 3, 4000))) {
      assertThat(in.algorithmSuite()).isEqualTo(suite);
      assertThat(in.readAllBytes()).isEqualTo(pt);
    }
    // The single block is released only whole: a flipped bit anywhere in it or in the footer
    // yields no plaintext at all from the stream.
    byte[] bad = m.clone();
    bad[m.length - (suite.isSigning() ? 120 : 5)] ^= 1;
    DecryptingInputStream in =
        MessageFixtures.reader().decryptingStream(new ByteArrayInputStream(bad));
    byte[] buf = new byte[pt.length];
    assertThatThrownBy(() -> in.read(buf)).isInstanceOf(DecryptionFailedException.class);
    assertThat(buf).containsOnly(0);
  }

  @Test
  void nonFramedLengthClaimingHugeSizes_failsFastWithDecryptionFailed() throws IOException {
    byte[] m = esdkNonFramed(new byte[10]);
    // Header: the non-framed header ends where the body's IV starts; find it from the end: the
    // body is IV(12) ‖ u64 length ‖ ciphertext(10) ‖ tag(16).
    int body = m.length - (12 + 8 + 10 + 16);
    assertThat(MessageFixtures.u32(m, body + 12 + 4)).isEqualTo(10);
    for (long claimed :
        new long[] {1L << 36, (1L << 36) - 32, Long.MIN_VALUE, -1L, Integer.MAX_VALUE, 11}) {
      byte[] bad = m.clone();
      MessageFixtures.putU64(bad, body + 12, claimed);
      long t0 = System.nanoTime();
      MessageFixtures.assertRejected(
          "non-framed length " + claimed, () -> MessageFixtures.reader().decrypt(bad));
      MessageFixtures.assertRejected(
          "non-framed length " + claimed + " (stream)",
          () -> MessageFixtures.streamDecrypt(MessageFixtures.reader(), bad));
      assertThat((System.nanoTime() - t0) / 1_000_000).as("length %d", claimed).isLessThan(2_000);
    }
    // Cut anywhere, still rejected.
    for (int len = 0; len < m.length; len++) {
      byte[] cut = Arrays.copyOf(m, len);
      MessageFixtures.assertRejected(
          "non-framed prefix " + len,
          () -> MessageFixtures.streamDecrypt(MessageFixtures.reader(), cut));
    }
  }
}
