package dev.mrkenvelope.kmslocal.internal;

import static dev.mrkenvelope.kmslocal.internal.Checks.dryRun;
import static dev.mrkenvelope.kmslocal.internal.Checks.requireNotPendingDeletion;
import static dev.mrkenvelope.kmslocal.internal.Responses.array;
import static dev.mrkenvelope.kmslocal.internal.Responses.object;
import static dev.mrkenvelope.kmslocal.internal.Responses.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CreateGrant, ListGrants, RetireGrant and RevokeGrant. Grants belong to one replica, and their
 * tokens are valid only in its Region; {@link Access} honours them.
 */
final class GrantOperations extends OperationGroup {
  GrantOperations(KmsStore store, Access access) {
    super(store, access);
  }

  private static final Pattern GRANT_ID = Pattern.compile("^[0-9a-f]{64}$");

  ObjectNode createGrant(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    String grantee = req.requiredString("GranteePrincipal");
    String retiring = req.string("RetiringPrincipal");
    String name = req.string("Name");
    if (name != null
        && (name.isEmpty() || name.length() > 256 || !name.matches("^[a-zA-Z0-9:/_-]+$"))) {
      throw KmsError.validation(
          "Name", "Member must match ^[a-zA-Z0-9:/_-]+$ with 1-256 characters");
    }
    if (!req.has("Operations")) {
      throw KmsError.missing("Operations");
    }
    List<String> operations = req.stringList("Operations", Grant.OPERATIONS.length, 64);
    if (operations.isEmpty()) {
      throw KmsError.validation("Operations", "Member must have at least 1 item");
    }
    for (String op : operations) {
      if (!List.of(Grant.OPERATIONS).contains(op)) {
        throw KmsError.validation(
            "Operations",
            "Member must satisfy enum value set: " + String.join(", ", Grant.OPERATIONS));
      }
      if (!grantOperationFits(op, k.family.spec)) {
        throw KmsError.validation(
            "Operations",
            "Grant operation "
                + op
                + " is not valid for a "
                + k.family.spec
                + " key (KeyUsage "
                + k.family.spec.usage
                + ")");
      }
    }
    JsonNode c = req.raw("Constraints");
    Map<String, String> subset = constraint(c, "EncryptionContextSubset");
    Map<String, String> equals = constraint(c, "EncryptionContextEquals");
    if ((subset != null || equals != null) && !k.family.spec.symmetric()) {
      throw KmsError.validation(
          "Constraints", "Encryption context constraints apply only to symmetric encryption keys");
    }
    access.authorize(k, "CreateGrant", req);
    synchronized (store.lock) {
      requireNotPendingDeletion(k);
      Grant wanted =
          new Grant(
              HexFormat.of().formatHex(store.randomBytes(32)),
              k,
              store.nextSequence(),
              name,
              grantee,
              retiring,
              operations,
              subset,
              equals);
      Grant grant = wanted;
      if (name != null) {
        for (Grant g : k.grants.values()) {
          if (g.sameRequest(wanted)) {
            grant = g; // a retried CreateGrant: same grant id, a new token
          }
        }
      }
      dryRun(req);
      k.grants.putIfAbsent(grant.grantId, grant);
      String token =
          java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(store.randomBytes(96));
      grant.tokens.add(token);
      store.region(region).grantTokens.put(token, grant);
      return object().put("GrantToken", token).put("GrantId", grant.grantId);
    }
  }

  private static boolean grantOperationFits(String op, KeySpec spec) {
    switch (op) {
      case "Sign":
      case "Verify":
      case "GetPublicKey":
        return !spec.symmetric();
      case "CreateGrant":
      case "RetireGrant":
      case "DescribeKey":
        return true;
      default:
        return spec.symmetric();
    }
  }

  private static Map<String, String> constraint(JsonNode constraints, String member) {
    if (constraints == null || constraints.isNull()) {
      return null;
    }
    if (!constraints.isObject()) {
      throw KmsError.of("SerializationException", "Member Constraints must be a JSON object");
    }
    JsonNode m = constraints.get(member);
    if (m == null || m.isNull()) {
      return null;
    }
    if (!m.isObject()) {
      throw KmsError.of("SerializationException", "Member " + member + " must be a JSON object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return Collections.unmodifiableMap(out);
  }

  ObjectNode listGrants(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req.requiredString("KeyId"), "KeyId");
    int limit = req.intInRange("Limit", 50, 1, 100);
    String grantId = req.string("GrantId");
    String grantee = req.string("GranteePrincipal");
    access.authorize(k, "ListGrants");
    List<Grant> grants = new ArrayList<>(k.grants.values());
    grants.removeIf(
        g ->
            (grantId != null && !g.grantId.equals(grantId))
                || (grantee != null && !g.granteePrincipal.equals(grantee)));
    grants.sort(Comparator.comparingLong(g -> g.sequence));
    return page(req, limit, "Grants", grants, this::grantEntry);
  }

  private ObjectNode grantEntry(Grant g) {
    ObjectNode e = object().put("KeyId", g.key.arn).put("GrantId", g.grantId);
    if (g.name != null) {
      e.put("Name", g.name);
    }
    e.put("CreationDate", JsonRequest.epochSeconds(g.created));
    e.put("GranteePrincipal", g.granteePrincipal);
    if (g.retiringPrincipal != null) {
      e.put("RetiringPrincipal", g.retiringPrincipal);
    }
    e.put("IssuingAccount", store.caller());
    e.set("Operations", array(g.operations));
    if (g.contextSubset != null || g.contextEquals != null) {
      ObjectNode c = e.putObject("Constraints");
      if (g.contextSubset != null) {
        g.contextSubset.forEach(c.putObject("EncryptionContextSubset")::put);
      }
      if (g.contextEquals != null) {
        g.contextEquals.forEach(c.putObject("EncryptionContextEquals")::put);
      }
    }
    return e;
  }

  /** The grant a RetireGrant or RevokeGrant names by key and grant id, on this replica only. */
  private Grant grantById(RegionalKey k, String grantId) {
    if (!GRANT_ID.matcher(grantId).matches()) {
      throw KmsError.of(
          "InvalidGrantIdException", "Grant id " + grantId + " is not a grant id (64 hex digits).");
    }
    Grant g = k.grants.get(grantId);
    if (g == null) {
      throw KmsError.notFound(
          "Grant " + grantId + " does not exist on " + k.arn + " (grants are per Region).");
    }
    return g;
  }

  ObjectNode retireGrant(String region, JsonRequest req) {
    String token = req.string("GrantToken");
    Grant g;
    if (token != null) {
      g = store.region(region).grantTokens.get(token);
      if (g == null) {
        throw KmsError.of(
            "InvalidGrantTokenException",
            "The grant token is not valid in "
                + region
                + " (never issued here, or already retired).");
      }
    } else if (req.has("KeyId") && req.has("GrantId")) {
      RegionalKey k = store.resolve(region, req.requiredString("KeyId"), "KeyId");
      g = grantById(k, req.requiredString("GrantId"));
    } else {
      throw KmsError.of(
          "ValidationException", "Specify GrantToken, or KeyId and GrantId, to retire a grant.");
    }
    dryRun(req);
    removeGrant(region, g);
    return object();
  }

  ObjectNode revokeGrant(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req.requiredString("KeyId"), "KeyId");
    Grant g = grantById(k, req.requiredString("GrantId"));
    access.authorize(k, "RevokeGrant");
    dryRun(req);
    removeGrant(region, g);
    return object();
  }

  private void removeGrant(String region, Grant g) {
    synchronized (store.lock) {
      g.key.grants.remove(g.grantId);
      g.tokens.forEach(store.region(region).grantTokens::remove);
    }
  }
}
