package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KmsArnTest {
  static final String MRK =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  static final String SRK =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @Test
  void mrkKeyArn_parsesIntoParts() {
    KmsArn a = KmsArn.parse(MRK);
    assertThat(a.partition()).isEqualTo("aws");
    assertThat(a.region()).isEqualTo("us-east-1");
    assertThat(a.account()).isEqualTo("111122223333");
    assertThat(a.resourceType()).isEqualTo("key");
    assertThat(a.resourceId()).isEqualTo("mrk-1234abcd12ab34cd56ef1234567890ab");
    assertThat(a.isMrk()).isTrue();
    assertThat(a.toString()).isEqualTo(MRK);
  }

  @Test
  void aliasNamedMrk_isNeverMrk() {
    assertThat(KmsArn.parse("arn:aws:kms:us-east-1:111122223333:alias/mrk-looks-like-one").isMrk())
        .isFalse();
    assertThat(KmsArn.isMrkIdentifier("alias/mrk-1234")).isFalse();
    assertThat(KmsArn.isMrkIdentifier("arn:aws:kms:us-east-1:111122223333:alias/mrk-1234"))
        .isFalse();
    assertThat(KmsArn.isMrkIdentifier("mrk-1234")).isTrue();
    assertThat(KmsArn.isMrkIdentifier(MRK)).isTrue();
    assertThat(KmsArn.isMrkIdentifier(SRK)).isFalse();
  }

  @Test
  void isMrkIdentifier_invalidArn_throws() {
    assertThatThrownBy(() -> KmsArn.isMrkIdentifier("arn:aws:kms:us-east-1:111122223333:mrk-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a KMS key ARN");
    assertThatThrownBy(() -> KmsArn.isMrkIdentifier("arn:aws:s3:us-east-1:111122223333:key/mrk-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aliasWithSlashes_keepsRestInId() {
    KmsArn a = KmsArn.parse("arn:aws:kms:eu-west-1:111122223333:alias/team/app");
    assertThat(a.resourceType()).isEqualTo("alias");
    assertThat(a.resourceId()).isEqualTo("team/app");
  }

  @Test
  void malformedArns_areRejectedWithReason() {
    assertThatThrownBy(() -> KmsArn.parse("arn:aws:kms:us-east-1:111122223333"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not 6");
    assertThatThrownBy(() -> KmsArn.parse("arn:aws:s3:us-east-1:111122223333:key/x"))
        .hasMessageContaining("not 'kms'");
    assertThatThrownBy(() -> KmsArn.parse("arn::kms:us-east-1:111122223333:key/x"))
        .hasMessageContaining("partition is empty");
    assertThatThrownBy(() -> KmsArn.parse("arn:aws:kms::111122223333:key/x"))
        .hasMessageContaining("region is empty");
    assertThatThrownBy(() -> KmsArn.parse("arn:aws:kms:us-east-1::key/x"))
        .hasMessageContaining("account is empty");
    assertThatThrownBy(() -> KmsArn.parse("arn:aws:kms:us-east-1:111122223333:key/"))
        .hasMessageContaining("id is empty");
    assertThatThrownBy(() -> KmsArn.parse("arn:aws:kms:us-east-1:111122223333:grant/x"))
        .hasMessageContaining("'grant'");
    assertThatThrownBy(() -> KmsArn.parse("arx:aws:kms:us-east-1:111122223333:key/x"))
        .hasMessageContaining("'arn:'");
    assertThatThrownBy(() -> KmsArn.parse("arn:aws:kms:us-east-1:111122223333:keyx"))
        .hasMessageContaining("key/<id>");
    assertThat(KmsArn.tryParse("mrk-1234")).isEmpty();
  }

  @Test
  void mrkMatch_ignoresRegionOnlyForMrks() {
    String mrkWest = MRK.replace("us-east-1", "eu-west-1");
    assertThat(KmsArn.mrkMatch(MRK, mrkWest)).isTrue();
    assertThat(KmsArn.mrkMatch(SRK, SRK.replace("us-east-1", "eu-west-1"))).isFalse();
    assertThat(KmsArn.mrkMatch(SRK, SRK)).isTrue();
    assertThat(KmsArn.mrkMatch(MRK, mrkWest.replace("111122223333", "444455556666"))).isFalse();
    assertThat(KmsArn.mrkMatch(MRK, mrkWest.replace("arn:aws:", "arn:aws-cn:"))).isFalse();
    assertThat(KmsArn.mrkMatch("alias/mrk-x", "alias/mrk-x")).isTrue();
    assertThat(
            KmsArn.mrkMatch(
                "arn:aws:kms:us-east-1:111122223333:alias/mrk-x",
                "arn:aws:kms:eu-west-1:111122223333:alias/mrk-x"))
        .isFalse();
  }

  @Test
  void singleRegionKey_cannotBeRewritten() {
    assertThatThrownBy(() -> KmsArn.parse(SRK).inRegion("eu-west-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a multi-Region key");
    assertThat(KmsArn.parse(SRK).inRegion("us-east-1").toString()).isEqualTo(SRK);
  }

  // ------------------------------------------------------------------ properties

  @Provide
  Arbitrary<String> regions() {
    return Combinators.combine(
            Arbitraries.of("us", "eu", "ap", "sa", "ca", "me", "af", "il", "us-gov"),
            Arbitraries.of("east", "west", "central", "north", "south", "southeast", "northeast"),
            Arbitraries.integers().between(1, 9))
        .as((a, b, n) -> a + "-" + b + "-" + n);
  }

  @Provide
  Arbitrary<KmsArn> mrks() {
    return Combinators.combine(
            Arbitraries.of("aws", "aws-cn", "aws-us-gov"),
            regions(),
            Arbitraries.strings().numeric().ofLength(12),
            Arbitraries.strings().withChars("0123456789abcdef").ofLength(32))
        .as((p, r, a, id) -> KmsArn.parse("arn:" + p + ":kms:" + r + ":" + a + ":key/mrk-" + id));
  }

  @Property(tries = 200)
  void rewrittenMrk_matchesForDecrypt_andRoundTrips(
      @ForAll("mrks") KmsArn arn, @ForAll("regions") String region) {
    KmsArn moved = arn.inRegion(region);
    assertThat(moved.region()).isEqualTo(region);
    assertThat(moved.isMrk()).isTrue();
    assertThat(KmsArn.mrkMatch(arn.toString(), moved.toString())).isTrue();
    assertThat(KmsArn.parse(moved.toString())).isEqualTo(moved);
    assertThat(moved.inRegion(arn.region())).isEqualTo(arn);
  }

  @Property(tries = 200)
  void parse_toString_roundTrips(
      @ForAll("regions") String region, @ForAll("resources") String resource) {
    String s = "arn:aws:kms:" + region + ":111122223333:" + resource;
    assertThat(KmsArn.parse(s).toString()).isEqualTo(s);
  }

  @Provide
  Arbitrary<String> resources() {
    return Combinators.combine(
            Arbitraries.of("key/", "alias/"),
            Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars('-', '_', '/')
                .ofMinLength(1)
                .ofMaxLength(40))
        .as((t, id) -> t + id);
  }

  @Property(tries = 300)
  void arbitraryStrings_neverCrashParser(@ForAll String s) {
    // Either a clean parse or an IllegalArgumentException; tryParse never throws.
    KmsArn.tryParse(s).ifPresent(a -> assertThat(a.toString()).isEqualTo(s));
    try {
      KmsArn.parse(s);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).contains("not a KMS key ARN");
    }
  }

  @Property(tries = 200)
  void differentKeyIds_neverMatch(@ForAll("mrks") KmsArn a, @ForAll("mrks") KmsArn b) {
    if (!a.resourceId().equals(b.resourceId())) {
      assertThat(KmsArn.mrkMatch(a.toString(), b.toString())).isFalse();
    }
  }
}
