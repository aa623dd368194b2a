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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** Apply on kms-local, checked with plain SDK calls in every Region. */
class ProvisionTest {
  @RegisterExtension static final LocalKmsExtension kms = AdminKit.extension();

  private static AdminKit f;

  @BeforeAll
  static void start() {
    f = kms.get(AdminKit.class);
  }

  @Test
  void applyThreeRegionSpec_createsExactlyTheDescribedResources() throws Exception {
    KeySetSpec spec = AdminKit.spec("alias/orders");
    Map<String, Integer> keysBefore = keyCounts();
    try (MrkAdmin admin = f.admin()) {
      Plan plan = admin.plan(spec);
      assertThat(plan.keyId()).isNull();
      assertThat(plan.changes())
          .extracting(Change::kind)
          .containsExactly(
              ChangeKind.CREATE_PRIMARY,
              ChangeKind.REPLICATE,
              ChangeKind.REPLICATE,
              ChangeKind.CREATE_ALIAS,
              ChangeKind.CREATE_ALIAS,
              ChangeKind.CREATE_ALIAS,
              ChangeKind.ENABLE_ROTATION);

      String keyId = admin.apply(plan).keyId();

      assertThat(keyId).startsWith("mrk-");
      Map<String, Integer> keysAfter = keyCounts();
      for (String r : List.of(A, B, C)) {
        assertThat(keysAfter.get(r)).as("keys in %s", r).isEqualTo(keysBefore.get(r) + 1);
        KmsClient sdk = f.sdk(r);
        KeyMetadata md = sdk.describeKey(b -> b.keyId("alias/orders")).keyMetadata();
        assertThat(md.keyId()).isEqualTo(keyId);
        assertThat(md.arn()).contains(":" + r + ":");
        assertThat(md.multiRegion()).isTrue();
        assertThat(md.keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(md.keySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(md.keyUsageAsString()).isEqualTo("ENCRYPT_DECRYPT");
        assertThat(md.description()).isEqualTo("orders data keys");
        assertThat(md.multiRegionConfiguration().primaryKey().region()).isEqualTo(A);
        assertThat(md.multiRegionConfiguration().replicaKeys())
            .extracting(k -> k.region())
            .containsExactlyInAnyOrder(B, C);
        List<AliasListEntry> aliases = new ArrayList<>();
        sdk.listAliasesPaginator(b -> b.keyId(keyId)).aliases().forEach(aliases::add);
        assertThat(aliases).extracting(AliasListEntry::aliasName).containsExactly("alias/orders");
        assertThat(sdk.listResourceTags(b -> b.keyId(keyId)).tags())
            .anySatisfy(
                t -> assertThat(t.tagKey() + "=" + t.tagValue()).isEqualTo("team=payments"));
        JsonNode policy =
            new ObjectMapper()
                .readTree(sdk.getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy());
        assertThat(replicateStatementRegions(policy)).containsExactly(B, C);
      }
      assertThat(keysAfter.get(OUTSIDE)).isEqualTo(keysBefore.get(OUTSIDE));
      assertThatThrownBy(() -> f.sdk(OUTSIDE).describeKey(b -> b.keyId(keyId)))
          .isInstanceOf(NotFoundException.class);
      var rotation = f.sdk(A).getKeyRotationStatus(b -> b.keyId(keyId));
      assertThat(rotation.keyRotationEnabled()).isTrue();
      assertThat(rotation.rotationPeriodInDays()).isEqualTo(180);
    }
  }

  @Test
  void secondApply_plansAndChangesNothing() {
    KeySetSpec spec = AdminKit.spec("alias/idempotent");
    try (MrkAdmin admin = f.admin()) {
      admin.apply(admin.plan(spec));
      long before =
          totalRequests(
              "CreateKey",
              "ReplicateKey",
              "PutKeyPolicy",
              "CreateAlias",
              "UpdateAlias",
              "EnableKeyRotation",
              "TagResource",
              "UpdateKeyDescription");

      Plan second = admin.plan(spec);
      ApplyResult result = admin.apply(second);

      assertThat(second.isEmpty()).as("second plan: %s", second).isTrue();
      assertThat(result.applied()).isEmpty();
      assertThat(
              totalRequests(
                  "CreateKey",
                  "ReplicateKey",
                  "PutKeyPolicy",
                  "CreateAlias",
                  "UpdateAlias",
                  "EnableKeyRotation",
                  "TagResource",
                  "UpdateKeyDescription"))
          .isEqualTo(before);
      assertThat(admin.audit(spec).clean()).isTrue();
    }
  }

  @Test
  void signingSpec_createsSignVerifyReplicasWithoutRotation() {
    KeySetSpec spec =
        KeySetSpec.builder()
            .alias("alias/jwt")
            .primaryRegion(A)
            .replicaRegions(B)
            .signing(software.amazon.awssdk.services.kms.model.KeySpec.ECC_NIST_P256)
            .policy(
                KeyPolicySpec.generated(
                    new PolicyTemplate(List.of(AdminKit.ADMIN), List.of(AdminKit.APP))))
            .build();
    try (MrkAdmin admin = f.admin()) {
      Plan plan = admin.plan(spec);
      assertThat(plan.changes())
          .extracting(Change::kind)
          .doesNotContain(ChangeKind.ENABLE_ROTATION);
      String keyId = admin.apply(plan).keyId();

      KeyMetadata md = f.sdk(B).describeKey(b -> b.keyId("alias/jwt")).keyMetadata();
      assertThat(md.keyId()).isEqualTo(keyId);
      assertThat(md.keyUsageAsString()).isEqualTo("SIGN_VERIFY");
      assertThat(admin.plan(spec).isEmpty()).isTrue();
    }
  }

  @Test
  void apply_waitsForNewReplicasToLeaveCreatingBeforeTouchingThem() {
    KeySetSpec spec = AdminKit.spec("alias/waited");
    long describesBefore = f.kms.requestCount(B, "DescribeKey");
    try (MrkAdmin admin = f.admin()) {
      admin.apply(admin.plan(spec));
    }
    // Plan reads the alias once; apply polls the new replica at least once until it is no longer
    // Creating (how many polls depends on the machine's speed) before aliasing it.
    assertThat(f.kms.requestCount(B, "DescribeKey") - describesBefore).isGreaterThanOrEqualTo(2);
    assertThat(f.sdk(B).describeKey(b -> b.keyId("alias/waited")).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
  }

  @Test
  void replicaStillCreatingAfterTheWait_stopsApplyNamingTheFix() throws Exception {
    KeySetSpec spec = AdminKit.spec("alias/impatient");
    // Creating lasts far longer than the one call between ReplicateKey and the first poll.
    try (LocalKmsExtension slowKms = AdminKit.extension(java.time.Duration.ofMillis(1500));
        AdminKit slow = slowKms.get(AdminKit.class);
        MrkAdmin admin =
            slow.admin(java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(1))) {
      Plan plan = admin.plan(spec);
      assertThatThrownBy(() -> admin.apply(plan))
          .isInstanceOf(MrkAdminException.class)
          .hasMessageContaining("still Creating")
          .hasMessageContaining("replicaWaitTimeout")
          .satisfies(
              e ->
                  assertThat(((MrkAdminException) e).applied())
                      .extracting(Change::kind)
                      .containsExactly(
                          ChangeKind.CREATE_PRIMARY, ChangeKind.REPLICATE, ChangeKind.REPLICATE));
      // Once replication finished, the next plan finishes the job.
      try (MrkAdmin patient = slow.admin()) {
        patient.apply(patient.plan(spec));
        assertThat(patient.audit(spec).clean()).isTrue();
      }
    }
  }

  private static List<String> replicateStatementRegions(JsonNode policy) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : policy.get("Statement")) {
      if (s.get("Action").toString().contains("kms:ReplicateKey")) {
        s.get("Condition")
            .get("StringEquals")
            .get("kms:ReplicaRegion")
            .forEach(r -> out.add(r.asText()));
      }
    }
    return out;
  }

  private static Map<String, Integer> keyCounts() {
    Map<String, Integer> m = new HashMap<>();
    for (String r : f.kms.regions()) {
      int[] n = {0};
      f.sdk(r).listKeysPaginator(b -> {}).keys().forEach(k -> n[0]++);
      m.put(r, n[0]);
    }
    return m;
  }

  private static long totalRequests(String... operations) {
    long n = 0;
    for (String r : f.kms.regions()) {
      for (String op : operations) {
        n += f.kms.requestCount(r, op);
      }
    }
    return n;
  }
}
