package dev.mrkenvelope.aws.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.services.kms.model.KeySpec;

/** The JSON form of a key-set spec: round trips, and clear errors for bad input. */
class KeySetSpecJsonProperties {
  private static final List<String> REGIONS =
      List.of("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "sa-east-1");

  @Property(tries = 200)
  void toJsonThenFromJson_givesAnEqualSpec(@ForAll("specs") KeySetSpec spec) {
    assertThat(KeySetSpec.fromJson(spec.toJson())).isEqualTo(spec);
  }

  @Provide
  Arbitrary<KeySetSpec> specs() {
    Arbitrary<List<String>> regions =
        Arbitraries.of(REGIONS).list().uniqueElements().ofMinSize(1).ofMaxSize(4);
    Arbitrary<String> alias =
        Arbitraries.strings()
            .withChars("abcXYZ09-_/:")
            .ofMinLength(1)
            .ofMaxLength(30)
            .filter(s -> !s.startsWith("aws/"))
            .map(s -> "alias/" + s);
    Arbitrary<Map<String, String>> tags =
        Arbitraries.maps(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10),
                Arbitraries.strings().ofMaxLength(20))
            .ofMaxSize(4);
    Arbitrary<Boolean> signing = Arbitraries.of(true, false);
    Arbitrary<Integer> period = Arbitraries.integers().between(90, 2560);
    Arbitrary<Boolean> generated = Arbitraries.of(true, false);
    return Combinators.combine(
            regions, alias, tags, signing, period, generated, Arbitraries.strings().ofMaxLength(40))
        .as(
            (rs, a, t, sign, p, gen, description) -> {
              KeySetSpec.Builder b =
                  KeySetSpec.builder()
                      .alias(a)
                      .primaryRegion(rs.get(0))
                      .replicaRegions(rs.subList(1, rs.size()))
                      .tags(t)
                      .description(description);
              if (sign) {
                b.signing(KeySpec.ECC_NIST_P384);
              } else {
                b.rotation(p % 2 == 0 ? Rotation.every(p) : Rotation.off());
              }
              PolicyTemplate template =
                  new PolicyTemplate(
                      List.of("arn:aws:iam::111122223333:role/admin"),
                      List.of("arn:aws:iam::111122223333:role/app"));
              b.policy(
                  gen
                      ? KeyPolicySpec.generated(template)
                      : KeyPolicySpec.document(
                          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                              + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\","
                              + "\"Resource\":\"*\"}]}"));
              return b.build();
            });
  }

  @Property(tries = 200)
  void arbitraryText_isReadOrRefusedWithIllegalArgument(@ForAll("jsonish") String text) {
    try {
      KeySetSpec.fromJson(text);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> jsonish() {
    String valid = AdminKit.spec("alias/x").toJson();
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("{}[]\":,0123456789abc ").ofMaxLength(60),
        Arbitraries.integers().between(0, valid.length()).map(n -> valid.substring(0, n)));
  }

  @Example
  void minimalSpec_getsTheDocumentedDefaults() {
    KeySetSpec spec =
        KeySetSpec.fromJson(
            "{\"alias\":\"alias/orders\",\"primaryRegion\":\"us-east-1\","
                + "\"policy\":{\"generate\":{\"administrators\":[\"arn:aws:iam::111122223333:role/a\"],"
                + "\"users\":[\"arn:aws:iam::111122223333:role/u\"]}}}");

    assertThat(spec.replicaRegions()).isEmpty();
    assertThat(spec.keySpec()).isEqualTo(KeySpec.SYMMETRIC_DEFAULT);
    assertThat(spec.rotation()).isEqualTo(Rotation.every(365));
    assertThat(spec.tags()).isEmpty();
  }

  @Example
  void unknownField_isRefusedByName() {
    String json =
        AdminKit.spec("alias/x").toJson().replace("\"alias\"", "\"replicas\" : [], \"alias\"");
    assertThatThrownBy(() -> KeySetSpec.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown field 'replicas'");
  }

  @Example
  void duplicateField_isRefused() {
    String json =
        AdminKit.spec("alias/x")
            .toJson()
            .replace("\"alias\"", "\"alias\" : \"alias/y\", \"alias\"");
    assertThatThrownBy(() -> KeySetSpec.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate field 'alias'");
  }

  @Example
  void primaryListedAsReplica_isRefused() {
    assertThatThrownBy(
            () ->
                KeySetSpec.builder()
                    .alias("alias/x")
                    .primaryRegion("us-east-1")
                    .replicaRegions("eu-west-1", "us-east-1")
                    .policy(KeyPolicySpec.document("{\"Statement\":[]}"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replicaRegions")
        .hasMessageContaining("us-east-1");
  }

  @Example
  void rotationOnASigningKey_isRefused() {
    assertThatThrownBy(
            () ->
                KeySetSpec.builder()
                    .alias("alias/x")
                    .primaryRegion("us-east-1")
                    .signing(KeySpec.ECC_NIST_P256)
                    .rotation(Rotation.every(365))
                    .policy(KeyPolicySpec.document("{\"Statement\":[]}"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rotation must be off");
  }

  @Example
  void oversizedInput_isRefusedBeforeParsing() {
    String huge = "{\"alias\":\"" + "a".repeat(KeySetSpecJson.MAX_CHARS) + "\"}";
    assertThatThrownBy(() -> KeySetSpec.fromJson(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most");
  }
}
