package dev.mrkenvelope.aws.admin;

import static dev.mrkenvelope.aws.admin.AdminKit.A;
import static dev.mrkenvelope.aws.admin.AdminKit.B;
import static dev.mrkenvelope.aws.admin.AdminKit.C;
import static dev.mrkenvelope.aws.admin.AdminKit.OUTSIDE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.model.KmsException;

/** Audit findings beyond the acceptance drifts, and the report formats. */
class AuditTest {
  @RegisterExtension static final LocalKmsExtension kms = AdminKit.extension();

  private static AdminKit f;

  @BeforeAll
  static void start() {
    f = kms.get(AdminKit.class);
  }

  @Test
  void noKeySet_isOneCriticalFindingWhoseRepairIsTheWholeCreation() throws Exception {
    KeySetSpec spec = AdminKit.spec("alias/nothing-yet");
    try (MrkAdmin admin = f.admin()) {
      AuditReport report = admin.audit(spec);

      assertThat(report.findings())
          .extracting(Finding::kind)
          .containsExactly(FindingKind.KEY_SET_MISSING);
      assertThat(report.findings().get(0).severity()).isEqualTo(Severity.CRITICAL);
      assertThat(report.findings().get(0).repairs()).isEqualTo(admin.plan(spec).changes());
      JsonNode json = new ObjectMapper().readTree(report.toJson());
      assertThat(json.get("clean").asBoolean()).isFalse();
      assertThat(json.get("findings").get(0).get("repairedByApply").asBoolean()).isTrue();
      assertThat(report.toTable()).contains("KEY_SET_MISSING").contains("[apply]");
    }
  }

  @Test
  void unreachableRegion_isAFindingInAuditAndStopsPlan() {
    KeySetSpec spec = AdminKit.spec("alias/partly-visible");
    try (MrkAdmin admin = f.admin(java.time.Duration.ofSeconds(2))) {
      admin.apply(admin.plan(spec));
      f.kms.faults(C).outage();
      try {
        AuditReport report = admin.audit(spec);

        assertThat(report.findings())
            .extracting(Finding::kind, Finding::region)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(FindingKind.REGION_UNREADABLE, C));
        assertThatThrownBy(() -> admin.plan(spec))
            .isInstanceOf(MrkAdminException.class)
            .hasMessageContaining("cannot plan alias/partly-visible: " + C);
      } finally {
        f.kms.faults(C).heal();
      }
    }
  }

  @Test
  void aliasNamingAnotherKey_isOneFindingAndApplyMovesIt() {
    KeySetSpec spec = AdminKit.spec("alias/elsewhere");
    try (MrkAdmin admin = f.admin()) {
      String keyId = admin.apply(admin.plan(spec)).keyId();
      String other = f.kms.createKey(C);
      f.sdk(C).updateAlias(b -> b.aliasName(spec.alias()).targetKeyId(other));

      AuditReport report = admin.audit(spec);

      assertThat(report.findings())
          .extracting(Finding::kind, Finding::region)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(FindingKind.ALIAS_POINTS_ELSEWHERE, C));
      admin.apply(admin.plan(spec));
      assertThat(f.sdk(C).describeKey(b -> b.keyId(spec.alias())).keyMetadata().keyId())
          .isEqualTo(keyId);
    }
  }

  @Test
  void primaryMovedByUpdatePrimaryRegion_isReportedAndLeftToAHuman() {
    KeySetSpec spec = AdminKit.spec("alias/moved");
    try (MrkAdmin admin = f.admin()) {
      String keyId = admin.apply(admin.plan(spec)).keyId();
      f.sdk(A).updatePrimaryRegion(b -> b.keyId(keyId).primaryRegion(B));

      AuditReport report = admin.audit(spec);

      assertThat(report.findings())
          .extracting(Finding::kind)
          .containsExactly(FindingKind.PRIMARY_REGION_MOVED);
      assertThat(report.findings().get(0).fix()).contains("UpdatePrimaryRegion");
      assertThat(admin.plan(spec).isEmpty()).isTrue();
    }
  }

  @Test
  void generatedPolicy_deniesReplicationOutsideTheSpecAndAnExtraReplicaIsReported() {
    KeySetSpec spec = AdminKit.spec("alias/extra");
    try (MrkAdmin admin = f.admin()) {
      String keyId = admin.apply(admin.plan(spec)).keyId();

      assertThatThrownBy(() -> f.sdk(A).replicateKey(b -> b.keyId(keyId).replicaRegion(OUTSIDE)))
          .isInstanceOf(KmsException.class)
          .hasMessageContaining("kms:ReplicateKey");

      // Someone widens the policy, replicates, and apply restores the policy: the replica stays.
      f.sdk(A)
          .putKeyPolicy(
              b ->
                  b.keyId(keyId)
                      .policyName("default")
                      .policy(
                          AdminKit.spec("alias/extra", List.of(B, C, OUTSIDE)).policyDocument()));
      f.sdk(A).replicateKey(b -> b.keyId(keyId).replicaRegion(OUTSIDE));
      admin.apply(admin.plan(spec));
      AuditReport report = admin.audit(spec);

      assertThat(report.findings())
          .extracting(Finding::kind, Finding::region)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(FindingKind.EXTRA_REPLICA, OUTSIDE));
      assertThat(report.findings().get(0).repairs()).isEmpty();
      assertThat(report.findings().get(0).fix()).contains("human decision");
    }
  }
}
