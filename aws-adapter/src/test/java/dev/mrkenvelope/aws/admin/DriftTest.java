package dev.mrkenvelope.aws.admin;

import static dev.mrkenvelope.aws.admin.AdminKit.A;
import static dev.mrkenvelope.aws.admin.AdminKit.B;
import static dev.mrkenvelope.aws.admin.AdminKit.C;
import static dev.mrkenvelope.aws.admin.AdminKit.OUTSIDE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * Drift injected with plain SDK calls: each kind gives exactly one finding of the right kind in the
 * right Region, and apply repairs all but the disabled replica.
 */
class DriftTest {
  @RegisterExtension static final LocalKmsExtension kms = AdminKit.extension();

  private static AdminKit f;

  @BeforeAll
  static void start() {
    f = kms.get(AdminKit.class);
  }

  /** One way to break a healthy three-Region key set, and what audit must say about it. */
  enum Drift {
    REPLICA_DISABLED(
        FindingKind.KEY_DISABLED, B, (alias, keyId) -> f.sdk(B).disableKey(b -> b.keyId(keyId))),
    REPLICA_POLICY_REPLACED(
        FindingKind.POLICY_DIFFERS,
        C,
        (alias, keyId) ->
            f.sdk(C)
                .putKeyPolicy(
                    b ->
                        b.keyId(keyId)
                            .policyName("default")
                            .policy(AdminKit.spec(alias, List.of()).policyDocument()))),
    ALIAS_DELETED_IN_ONE_REGION(
        FindingKind.ALIAS_MISSING,
        B,
        (alias, keyId) -> f.sdk(B).deleteAlias(b -> b.aliasName(alias))),
    ROTATION_DISABLED(
        FindingKind.ROTATION_DISABLED,
        A,
        (alias, keyId) -> f.sdk(A).disableKeyRotation(b -> b.keyId(keyId))),
    /** Set up below: the key set is built without the C replica. */
    REPLICA_MISSING(FindingKind.REPLICA_MISSING, C, (alias, keyId) -> {}),
    REPLICA_REGION_WIDENED(
        FindingKind.REPLICA_REGION_OUTSIDE_SPEC,
        A,
        (alias, keyId) ->
            f.sdk(A)
                .putKeyPolicy(
                    b ->
                        b.keyId(keyId)
                            .policyName("default")
                            .policy(
                                AdminKit.spec(alias, List.of(B, C, OUTSIDE)).policyDocument())));

    final FindingKind kind;
    final String region;
    final BiConsumer<String, String> inject;

    Drift(FindingKind kind, String region, BiConsumer<String, String> inject) {
      this.kind = kind;
      this.region = region;
      this.inject = inject;
    }
  }

  @ParameterizedTest
  @EnumSource(Drift.class)
  void injectedDrift_givesOneFindingAndApplyRepairsIt(Drift drift) {
    String alias =
        "alias/drift-" + drift.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    KeySetSpec spec = AdminKit.spec(alias);
    try (MrkAdmin admin = f.admin()) {
      String keyId = provision(admin, spec, drift);
      assertThat(admin.audit(spec).clean() || drift == Drift.REPLICA_MISSING).isTrue();

      drift.inject.accept(alias, keyId);
      AuditReport report = admin.audit(spec);

      assertThat(report.findings()).as(report.toTable()).hasSize(1);
      Finding finding = report.findings().get(0);
      assertThat(finding.kind()).isEqualTo(drift.kind);
      assertThat(finding.region()).isEqualTo(drift.region);
      assertThat(report.toJson()).contains("\"kind\" : \"" + drift.kind.name() + "\"");

      admin.apply(admin.plan(spec));
      AuditReport after = admin.audit(spec);

      if (drift == Drift.REPLICA_DISABLED) {
        assertThat(after.findings())
            .extracting(Finding::kind)
            .containsExactly(FindingKind.KEY_DISABLED);
        assertThat(after.findings().get(0).fix()).contains("human decision");
        assertThat(after.findings().get(0).repairs()).isEmpty();
        assertThat(f.sdk(B).describeKey(b -> b.keyId(keyId)).keyMetadata().keyState())
            .isEqualTo(KeyState.DISABLED);
      } else {
        assertThat(after.clean()).as(after.toTable()).isTrue();
        assertRepairedWithPlainSdk(drift, alias, keyId, spec);
      }
      assertThat(admin.plan(spec).isEmpty()).isTrue();
    }
  }

  /** Applies the spec; for REPLICA_MISSING, a two-Region set carrying the three-Region policy. */
  private static String provision(MrkAdmin admin, KeySetSpec spec, Drift drift) {
    if (drift != Drift.REPLICA_MISSING) {
      return admin.apply(admin.plan(spec)).keyId();
    }
    KeySetSpec partial =
        KeySetSpec.builder()
            .alias(spec.alias())
            .primaryRegion(A)
            .replicaRegions(B)
            .description(spec.description())
            .tags(spec.tags())
            .rotation(spec.rotation())
            .policy(KeyPolicySpec.document(spec.policyDocument()))
            .build();
    return admin.apply(admin.plan(partial)).keyId();
  }

  private static void assertRepairedWithPlainSdk(
      Drift drift, String alias, String keyId, KeySetSpec spec) {
    String r = drift.region;
    switch (drift) {
      case REPLICA_POLICY_REPLACED, REPLICA_REGION_WIDENED ->
          assertThat(
                  PolicyDocuments.equivalent(
                      spec.policyDocument(),
                      f.sdk(r).getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy()))
              .isTrue();
      case ALIAS_DELETED_IN_ONE_REGION, REPLICA_MISSING ->
          assertThat(f.sdk(r).describeKey(b -> b.keyId(alias)).keyMetadata().keyId())
              .isEqualTo(keyId);
      case ROTATION_DISABLED ->
          assertThat(f.sdk(A).getKeyRotationStatus(b -> b.keyId(keyId)).keyRotationEnabled())
              .isTrue();
      default -> throw new AssertionError(drift);
    }
  }
}
