package dev.mrkenvelope.aws.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated policy template, and comparing policies by meaning rather than layout. */
class PolicyDocumentsTest {
  private static final String ROOT = "{\"AWS\":\"arn:aws:iam::111122223333:root\"}";

  @Test
  void template_restrictsReplicateKeyToExactlyTheReplicaRegions() throws Exception {
    KeySetSpec spec = AdminKit.spec("alias/p", List.of("eu-west-1", "ap-southeast-1"));
    JsonNode policy = new ObjectMapper().readTree(spec.policyDocument());

    List<JsonNode> replicate = new ArrayList<>();
    for (JsonNode s : policy.get("Statement")) {
      if (s.get("Action").toString().contains("kms:ReplicateKey")) {
        replicate.add(s);
      } else {
        // Nobody gets ReplicateKey (or a wildcard) outside the conditioned statement.
        assertThat(s.get("Action").toString())
            .doesNotContain("\"kms:*\"")
            .doesNotContain("Replicate");
      }
    }
    assertThat(replicate).hasSize(1);
    assertThat(replicate.get(0).get("Condition").get("StringEquals").get("kms:ReplicaRegion"))
        .extracting(JsonNode::asText)
        .containsExactly("eu-west-1", "ap-southeast-1");
    assertThat(PolicyDocuments.replicaRegionsAllowed(spec.policyDocument()))
        .containsExactlyInAnyOrder("eu-west-1", "ap-southeast-1");
  }

  @Test
  void templateWithoutReplicas_allowsNoReplication() {
    KeySetSpec spec = AdminKit.spec("alias/p", List.of());
    assertThat(spec.policyDocument()).doesNotContain("ReplicateKey");
    assertThat(PolicyDocuments.replicaRegionsAllowed(spec.policyDocument())).isEmpty();
  }

  @Test
  void templateUsers_getDataActionsOnlyAndAdminsNone() {
    String p = AdminKit.spec("alias/p").policyDocument();
    assertThat(PolicyTemplate.ADMIN_ACTIONS)
        .doesNotContain(
            "kms:Decrypt", "kms:ScheduleKeyDeletion", "kms:ReplicateKey", "kms:GenerateDataKey");
    assertThat(p).contains(AdminKit.APP).contains("kms:GenerateDataKey").contains("kms:Decrypt");
  }

  @Test
  void layoutOrderAndSingleValues_doNotMakePoliciesDiffer() {
    String a =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + ROOT
            + ",\"Action\":[\"kms:Decrypt\",\"kms:Encrypt\"],\"Resource\":\"*\"},{\"Effect\":\"Deny\","
            + "\"Principal\":\"*\",\"Action\":\"kms:ReplicateKey\",\"Resource\":\"*\"}]}";
    String b =
        "{\"Statement\":[{\"Resource\":[\"*\"],\"Principal\":{\"AWS\":[\"*\"]},\"Effect\":\"Deny\","
            + "\"Action\":[\"KMS:replicatekey\"]},\n {\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:Encrypt\"],"
            + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:root\"]},\"Resource\":\"*\"}],"
            + "\"Version\":\"2012-10-17\"}";

    assertThat(PolicyDocuments.equivalent(a, b)).isTrue();
  }

  @Test
  void anotherActionPrincipalOrCondition_makesPoliciesDiffer() {
    String base =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + ROOT
            + ",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"%s}]}";
    String p = String.format(base, "");
    assertThat(PolicyDocuments.equivalent(p, p.replace("kms:Decrypt", "kms:Encrypt"))).isFalse();
    assertThat(PolicyDocuments.equivalent(p, p.replace(":root", ":role/x"))).isFalse();
    assertThat(
            PolicyDocuments.equivalent(
                p,
                String.format(
                    base,
                    ",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\"111122223333\"}}")))
        .isFalse();
  }

  @Test
  void wildcardAllowWithoutCondition_allowsReplicationAnywhere() {
    String p =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + ROOT
            + ",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    assertThat(PolicyDocuments.replicaRegionsAllowed(p))
        .containsExactly(PolicyDocuments.ANY_REGION);
    String denyOnly = p.replace("Allow", "Deny");
    assertThat(PolicyDocuments.replicaRegionsAllowed(denyOnly)).isEmpty();
  }
}
