package dev.mrkenvelope.kmslocal.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Authorization: the key policy, then grants on the same replica. A grant applies when the request
 * presents one of its tokens in {@code GrantTokens}, or when its grantee is the caller (kms-local
 * knows one caller, the account root); it lifts an implicit denial, never an explicit Deny.
 *
 * <p>Thread-safe: reads volatile key state and concurrent maps only.
 */
final class Access {
  private final KmsStore store;

  Access(KmsStore store) {
    this.store = store;
  }

  /**
   * Allows the call when the key policy does, or when it only implicitly denies and a grant on this
   * replica allows {@code action} for {@code ec} (a grant presented by one of {@code presented}'s
   * tokens, or one whose grantee is the caller). An explicit Deny wins over grants.
   */
  void authorize(
      RegionalKey k,
      String action,
      Map<String, String> extra,
      Map<String, String> ec,
      List<Grant> presented) {
    if (k.policy.allowsEverything()) {
      return;
    }
    Map<String, String> ctx = new HashMap<>(4 + extra.size() * 2);
    ctx.put("kms:CallerAccount", store.account);
    ctx.put("aws:RequestedRegion", k.region);
    ctx.putAll(extra);
    KeyPolicy.Decision d = k.policy.decide("kms:" + action, ctx);
    if (d == KeyPolicy.Decision.ALLOW
        || (d == KeyPolicy.Decision.IMPLICIT_DENY && grantAllows(k, action, ec, presented))) {
      return;
    }
    throw KmsError.accessDenied(
        "User: "
            + store.caller()
            + " is not authorized to perform: kms:"
            + action
            + " on resource: "
            + k.arn
            + " because the key policy denies it and no grant allows it (change it with"
            + " PutKeyPolicy, or CreateGrant and pass the grant token).");
  }

  private boolean grantAllows(
      RegionalKey k, String action, Map<String, String> ec, List<Grant> presented) {
    for (Grant g : k.grants.values()) {
      boolean applies = presented.contains(g) || g.granteePrincipal.equals(store.caller());
      if (applies && g.allows(action, ec)) {
        return true;
      }
    }
    return false;
  }

  void authorize(RegionalKey k, String action, Map<String, String> extra) {
    authorize(k, action, extra, Map.of(), List.of());
  }

  void authorize(RegionalKey k, String action) {
    authorize(k, action, Map.of());
  }

  /** For operations a grant may allow: the request's GrantTokens count. */
  void authorize(RegionalKey k, String action, JsonRequest req) {
    authorize(k, action, Map.of(), Map.of(), presentedGrants(k.region, req));
  }

  /** Authorizes a call whose encryption context is visible to policy conditions and grants. */
  void authorizeWithContext(RegionalKey k, String action, Map<String, String> ec, JsonRequest req) {
    List<Grant> presented = presentedGrants(k.region, req);
    if (k.policy.allowsEverything() || ec.isEmpty()) {
      authorize(k, action, Map.of(), ec, presented);
      return;
    }
    Map<String, String> m = new HashMap<>();
    ec.forEach((key, v) -> m.put("kms:EncryptionContext:" + key, v));
    authorize(k, action, m, ec, presented);
  }

  /**
   * The grants named by the request's GrantTokens; a token not issued in this Region is invalid.
   */
  private List<Grant> presentedGrants(String region, JsonRequest req) {
    List<String> tokens = req.stringList("GrantTokens", 10, 8192);
    if (tokens.isEmpty()) {
      return List.of();
    }
    List<Grant> grants = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      Grant g = store.region(region).grantTokens.get(t);
      if (g == null) {
        throw KmsError.of(
            "InvalidGrantTokenException",
            "The grant token is not valid in "
                + region
                + ": it was never issued here, or its grant"
                + " was retired or revoked (grants and their tokens are per Region).");
      }
      grants.add(g);
    }
    return grants;
  }
}
