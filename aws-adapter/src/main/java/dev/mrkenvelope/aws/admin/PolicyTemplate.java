package dev.mrkenvelope.aws.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A least-privilege key policy for a key set, rendered for its Regions and key usage. Three
 * statements, all with {@code "Resource": "*"} (a key policy's resource is its own key):
 *
 * <ol>
 *   <li><b>KeyAdministration</b>: the administrators may read and manage the key (describe, get/put
 *       policy, tags, description, aliases, enable/disable, rotation, cancel deletion, change the
 *       primary Region, list/revoke grants) but not use it for cryptography, not replicate it
 *       outside the next statement, and not schedule its deletion.
 *   <li><b>KeyUse</b>: the users may {@code Encrypt}, {@code Decrypt}, {@code ReEncrypt*}, {@code
 *       GenerateDataKey*} and {@code DescribeKey} (encryption keys), or {@code Sign}, {@code
 *       Verify}, {@code GetPublicKey} and {@code DescribeKey} (signing keys).
 *   <li><b>ReplicateToSpecRegions</b> (only when the spec has replicas): the administrators may
 *       {@code ReplicateKey}, with a {@code StringEquals} condition on {@code kms:ReplicaRegion}
 *       listing exactly the spec's replica Regions, so nobody can copy the key elsewhere.
 * </ol>
 *
 * <p>Immutable and thread-safe.
 *
 * @param administrators IAM principal ARNs that manage the key set (the identity running {@link
 *     MrkAdmin#apply} must be one of them, or KMS refuses the policy as a lock-out)
 * @param users IAM principal ARNs of the services that encrypt/decrypt or sign/verify
 */
public record PolicyTemplate(List<String> administrators, List<String> users) {
  private static final Pattern PRINCIPAL =
      Pattern.compile("^arn:aws[a-z-]*:(iam|sts)::\\d{12}:.+$");

  static final List<String> ADMIN_ACTIONS =
      List.of(
          "kms:DescribeKey",
          "kms:GetKeyPolicy",
          "kms:PutKeyPolicy",
          "kms:ListKeyPolicies",
          "kms:ListResourceTags",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:UpdateKeyDescription",
          "kms:CreateAlias",
          "kms:UpdateAlias",
          "kms:DeleteAlias",
          "kms:EnableKey",
          "kms:DisableKey",
          "kms:GetKeyRotationStatus",
          "kms:EnableKeyRotation",
          "kms:DisableKeyRotation",
          "kms:ListKeyRotations",
          "kms:CancelKeyDeletion",
          "kms:UpdatePrimaryRegion",
          "kms:ListGrants",
          "kms:RevokeGrant");
  static final List<String> ENCRYPT_ACTIONS =
      List.of(
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:DescribeKey");
  static final List<String> SIGN_ACTIONS =
      List.of("kms:Sign", "kms:Verify", "kms:GetPublicKey", "kms:DescribeKey");

  /** Checks that both lists are non-empty IAM principal ARNs and copies them. */
  public PolicyTemplate {
    administrators = principals("administrators", administrators);
    users = principals("users", users);
  }

  private static List<String> principals(String field, List<String> arns) {
    if (arns == null || arns.isEmpty()) {
      throw new IllegalArgumentException(
          "policy template " + field + " must name at least one IAM principal ARN");
    }
    for (String a : arns) {
      if (a == null || !PRINCIPAL.matcher(a).matches()) {
        throw new IllegalArgumentException(
            "policy template "
                + field
                + " must be IAM principal ARNs like arn:aws:iam::111122223333:role/app: "
                + a);
      }
    }
    return List.copyOf(arns);
  }

  /** The policy document for a spec, as pretty-printed JSON. */
  String render(KeySetSpec spec) {
    ObjectNode root = PolicyDocuments.MAPPER.createObjectNode();
    root.put("Version", "2012-10-17");
    root.put("Id", "mrk-envelope-key-set");
    ArrayNode statements = root.putArray("Statement");
    statement(statements, "KeyAdministration", administrators, ADMIN_ACTIONS);
    statement(statements, "KeyUse", users, spec.signing() ? SIGN_ACTIONS : ENCRYPT_ACTIONS);
    if (!spec.replicaRegions().isEmpty()) {
      ObjectNode replicate =
          statement(
              statements, "ReplicateToSpecRegions", administrators, List.of("kms:ReplicateKey"));
      ArrayNode regions =
          replicate.putObject("Condition").putObject("StringEquals").putArray("kms:ReplicaRegion");
      spec.replicaRegions().forEach(regions::add);
    }
    return PolicyDocuments.pretty(root);
  }

  private static ObjectNode statement(
      ArrayNode statements, String sid, List<String> principals, List<String> actions) {
    ObjectNode s = statements.addObject();
    s.put("Sid", sid);
    s.put("Effect", "Allow");
    ArrayNode p = s.putObject("Principal").putArray("AWS");
    principals.forEach(p::add);
    ArrayNode a = s.putArray("Action");
    actions.forEach(a::add);
    s.put("Resource", "*");
    return s;
  }
}
