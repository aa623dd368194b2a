package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/** Issue 2 item 6: the byte[] API round-trips every suite, frame length, context and size. */
class MessageRoundTripProperties {

  @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED)
  void anySuiteFrameContextAndSize_roundTripsWithExactLayout(
      @ForAll("suites") AlgorithmSuite suite,
      @ForAll("frames") int frameLength,
      @ForAll("sizes") int requestedSize,
      @ForAll("contexts") Map<String, String> context) {
    // Keep the frame count (and so the run time) bounded for frame length 1 and 1 MiB inputs.
    int size = (int) Math.min(requestedSize, frameLength * 20_000L);
    Statistics.label("suite").collect(suite);
    Statistics.label("size")
        .collect(size == 0 ? "0" : size <= 4096 ? "1..4K" : size <= 65_536 ? "4K..64K" : ">64K");

    byte[] plaintext = MessageFixtures.plaintext(size, size * 31L + frameLength);
    EnvelopeClient client = MessageFixtures.writer(suite, frameLength);
    EncryptResult e = client.encrypt(plaintext, context);
    byte[] ct = e.ciphertext();

    assertThat(e.algorithmSuite()).isEqualTo(suite);
    assertThat(e.encryptionContext()).containsAllEntriesOf(context);
    assertThat(e.encryptionContext().containsKey("aws-crypto-public-key"))
        .isEqualTo(suite.isSigning());
    assertThat(e.encryptionContext()).hasSize(context.size() + (suite.isSigning() ? 1 : 0));

    // Layout: the header says what we asked for, and the frames are exactly as the format dictates.
    MessageFixtures.Layout l = MessageFixtures.layout(ct);
    assertThat(l.version).isEqualTo(suite.messageFormatVersion());
    assertThat(l.suiteId).isEqualTo(suite.id());
    assertThat(l.frameLength).isEqualTo(frameLength);
    long regular = size == 0 ? 0 : (size - 1L) / frameLength;
    assertThat(l.frameStarts).hasSize((int) regular + 1);
    long finalLength = size - regular * frameLength;
    assertThat(MessageFixtures.u32(ct, l.frameStarts.get(l.frameStarts.size() - 1) + 20))
        .isEqualTo(finalLength);
    assertThat(l.footerOffset >= 0).isEqualTo(suite.isSigning());

    DecryptResult d = MessageFixtures.reader().decrypt(ct);
    assertThat(d.plaintext()).isEqualTo(plaintext);
    assertThat(d.encryptionContext()).isEqualTo(e.encryptionContext());
    assertThat(d.algorithmSuite()).isEqualTo(suite);
    assertThat(d.encryptedDataKeys()).isEqualTo(e.encryptedDataKeys());

    // Every stored pair, given back as the reproduced context, is accepted.
    assertThat(MessageFixtures.reader().decrypt(ct, context).plaintext()).isEqualTo(plaintext);
  }

  @Provide
  Arbitrary<AlgorithmSuite> suites() {
    return PropertyArbitraries.suites();
  }

  @Provide
  Arbitrary<Integer> frames() {
    return PropertyArbitraries.frameLengths();
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return PropertyArbitraries.plaintextSizes();
  }

  @Provide
  Arbitrary<Map<String, String>> contexts() {
    return PropertyArbitraries.contexts();
  }
}
