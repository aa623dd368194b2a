package dev.mrkenvelope.aws.admin;

import static dev.mrkenvelope.aws.admin.AdminKit.A;
import static dev.mrkenvelope.aws.admin.AdminKit.B;
import static dev.mrkenvelope.aws.admin.AdminKit.C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.model.KeySpec;

/** DR readiness drills on kms-local: the N×N matrix, a blackholed Region, a disabled replica. */
class DrillTest {
  private static final List<String> REGIONS = List.of(A, B, C);
  @RegisterExtension static final LocalKmsExtension kms = AdminKit.extension();

  private static AdminKit f;
  private static String encryptionArn;
  private static String signingArn;

  @BeforeAll
  static void start() {
    f = kms.get(AdminKit.class);
    try (MrkAdmin admin = f.admin()) {
      encryptionArn = f.kms.keyArn(A, admin.apply(admin.plan(AdminKit.spec("alias/dr"))).keyId());
      KeySetSpec signing =
          KeySetSpec.builder()
              .alias("alias/dr-sign")
              .primaryRegion(A)
              .replicaRegions(B, C)
              .signing(KeySpec.ECC_NIST_P256)
              .policy(
                  KeyPolicySpec.generated(
                      new PolicyTemplate(List.of(AdminKit.ADMIN), List.of(AdminKit.APP))))
              .build();
      signingArn = f.kms.keyArn(A, admin.apply(admin.plan(signing)).keyId());
    }
  }

  @Test
  void healthyKeySet_passesAllNineCellsWithEachRegionsOwnEndpoint() {
    f.kms.resetRequestCounts();
    try (MrkAdmin admin = f.admin(Duration.ofSeconds(5))) {
      DrillReport report = admin.drill(encryptionArn, REGIONS);

      assertThat(report.ready()).as(report.toTable()).isTrue();
      assertThat(report.cells()).hasSize(9).allMatch(DrillCell::passed);
      assertThat(report.probes())
          .allSatisfy(
              p -> {
                assertThat(p.keyState()).isEqualTo("Enabled");
                assertThat(p.policy()).isEqualTo(RegionProbe.PolicyCheck.CONSISTENT);
              });
      assertThat(report.kmsCalls()).isEqualTo(3 * 3 + 3 * 3);
      for (String r : REGIONS) {
        // Each Region decrypts the three data keys itself: no cross-Region calls.
        assertThat(f.kms.requestCount(r, "Decrypt")).as("Decrypt in %s", r).isEqualTo(3);
        assertThat(f.kms.requestCount(r, "GenerateDataKey")).isEqualTo(1);
      }
    }
  }

  @Test
  void blackholedRegion_failsItsRowAndColumnWithinTheTimeoutAndNothingElse() {
    f.kms.faults(C).blackhole();
    try (MrkAdmin admin = f.admin(Duration.ofSeconds(3))) {
      // A hang guard only: the drill bounds itself by the call timeout.
      DrillReport report =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30), () -> admin.drill(encryptionArn, REGIONS));

      assertThat(report.ready()).isFalse();
      for (DrillCell c : report.cells()) {
        boolean touchesC = c.from().equals(C) || c.to().equals(C);
        assertThat(c.passed()).as("%s -> %s: %s", c.from(), c.to(), c.error()).isEqualTo(!touchesC);
        if (touchesC) {
          assertThat(c.error()).contains(C).contains("Timeout");
          assertThat(c.fix()).contains(C).contains("did not answer");
        }
      }
      assertThat(report.probes().get(2).generated()).isFalse();
      assertThat(report.probes().get(0).ready()).isTrue();
      assertThat(report.toTable()).contains("FAIL " + A + " -> " + C);
    }
  }

  @Test
  void disabledReplica_failedCellsNameThePairTheErrorAndTheFix() {
    f.sdk(B).disableKey(b -> b.keyId(encryptionArn.replace(A, B)));
    try (MrkAdmin admin = f.admin(Duration.ofSeconds(5))) {
      DrillReport report = admin.drill(encryptionArn, REGIONS);

      DrillCell into = report.cell(A, B);
      assertThat(into.passed()).isFalse();
      assertThat(into.error()).startsWith("DisabledException");
      assertThat(into.fix()).contains("EnableKey in " + B);
      assertThat(report.cell(B, A).passed()).isFalse();
      assertThat(report.cell(A, C).passed()).isTrue();
      assertThat(report.failures()).hasSize(5);
      assertThat(report.probes().get(1).keyState()).isEqualTo("Disabled");
    } finally {
      f.sdk(B).enableKey(b -> b.keyId(encryptionArn.replace(A, B)));
    }
  }

  @Test
  void signingKey_signsInEachRegionAndVerifiesEverywhere() {
    f.kms.resetRequestCounts();
    try (MrkAdmin admin = f.admin(Duration.ofSeconds(5))) {
      DrillReport report = admin.drill(signingArn, REGIONS);

      assertThat(report.ready()).as(report.toTable()).isTrue();
      for (String r : REGIONS) {
        assertThat(f.kms.requestCount(r, "Sign")).isEqualTo(1);
        assertThat(f.kms.requestCount(r, "Verify")).isEqualTo(3);
      }
    }
  }

  @Test
  void regionWithoutClient_isRefusedBeforeAnyCall() {
    try (MrkAdmin admin = MrkAdmin.builder().clients(java.util.Map.of(A, f.sdk(A))).build()) {
      assertThatThrownBy(() -> admin.drill(encryptionArn, REGIONS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no KMS client for " + B);
    }
  }
}
