package dev.mrkenvelope.kmslocal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * The KMS itself: keys, aliases and policies of every Region in one store, and one method per
 * operation turning a request body into a response body (or a {@link KmsError}).
 *
 * <p>Thread safety: safe for any number of concurrent callers. Management operations (those that
 * change state) run under one store lock, since they are rare and must keep a key family
 * consistent across Regions; the data path (Encrypt, Decrypt, GenerateDataKey, Sign, Verify) reads
 * volatile state without locking.
 */
public final class KmsService {
  /** Every operation kms-local implements, by its X-Amz-Target name. */
  public static final Set<String> OPERATIONS =
      Collections.unmodifiableSet(
          new TreeSet<>(
              List.of(
                  "CancelKeyDeletion",
                  "CreateAlias",
                  "CreateGrant",
                  "CreateKey",
                  "Decrypt",
                  "DeleteAlias",
                  "DescribeKey",
                  "DisableKey",
                  "DisableKeyRotation",
                  "EnableKey",
                  "EnableKeyRotation",
                  "Encrypt",
                  "GenerateDataKey",
                  "GenerateDataKeyWithoutPlaintext",
                  "GenerateRandom",
                  "GetKeyPolicy",
                  "GetKeyRotationStatus",
                  "GetPublicKey",
                  "ListAliases",
                  "ListGrants",
                  "ListKeyPolicies",
                  "ListKeyRotations",
                  "ListKeys",
                  "ListResourceTags",
                  "PutKeyPolicy",
                  "ReEncrypt",
                  "ReplicateKey",
                  "RetireGrant",
                  "RevokeGrant",
                  "RotateKeyOnDemand",
                  "ScheduleKeyDeletion",
                  "Sign",
                  "TagResource",
                  "UntagResource",
                  "UpdateAlias",
                  "UpdateKeyDescription",
                  "UpdatePrimaryRegion",
                  "Verify")));

  private static final Pattern REGION = Pattern.compile("^([a-z]+-){2,3}\\d+$");
  private static final Pattern ALIAS = Pattern.compile("^alias/[a-zA-Z0-9:/_-]+$");
  private static final int MAX_ON_DEMAND_ROTATIONS = 25;

  private static final class RegionState {
    final Map<String, RegionalKey> keys = new ConcurrentHashMap<>();
    final Map<String, Alias> aliases = new ConcurrentHashMap<>();
    /** Grant tokens issued in this Region; a token names one grant on one replica. */
    final Map<String, Grant> grantTokens = new ConcurrentHashMap<>();
  }

  private static final class Alias {
    final String name;
    final String targetKeyId;
    final Instant created;
    final Instant updated;

    Alias(String name, String targetKeyId, Instant created, Instant updated) {
      this.name = name;
      this.targetKeyId = targetKeyId;
      this.created = created;
      this.updated = updated;
    }
  }

  private final String account;
  private final Map<String, RegionState> regions;
  private final Object lock = new Object();
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong sequence = new AtomicLong();
  private final long replicaCreationNanos;

  /**
   * A store serving {@code regionNames} for {@code account}; a new replica stays {@code Creating}
   * for {@code replicaCreation} (zero: enabled at once).
   */
  public KmsService(String account, List<String> regionNames, Duration replicaCreation) {
    this.account = account;
    this.replicaCreationNanos = replicaCreation.toNanos();
    Map<String, RegionState> m = new LinkedHashMap<>();
    for (String r : regionNames) {
      m.put(r, new RegionState());
    }
    this.regions = Collections.unmodifiableMap(m);
  }

  /**
   * Runs one operation in one Region.
   *
   * @throws KmsError for every KMS-level failure, to be written as an error response
   */
  public ObjectNode handle(String region, String operation, JsonRequest req) {
    switch (operation) {
      case "CreateKey":
        return createKey(region, req);
      case "DescribeKey":
        return describeKey(region, req);
      case "ListKeys":
        return listKeys(region, req);
      case "Encrypt":
        return encrypt(region, req);
      case "Decrypt":
        return decrypt(region, req);
      case "GenerateDataKey":
        return generateDataKey(region, req, true);
      case "GenerateDataKeyWithoutPlaintext":
        return generateDataKey(region, req, false);
      case "ReEncrypt":
        return reEncrypt(region, req);
      case "EnableKey":
        return setEnabled(region, req, true);
      case "DisableKey":
        return setEnabled(region, req, false);
      case "ScheduleKeyDeletion":
        return scheduleKeyDeletion(region, req);
      case "CancelKeyDeletion":
        return cancelKeyDeletion(region, req);
      case "CreateAlias":
        return createAlias(region, req);
      case "UpdateAlias":
        return updateAlias(region, req);
      case "DeleteAlias":
        return deleteAlias(region, req);
      case "ListAliases":
        return listAliases(region, req);
      case "GetKeyPolicy":
        return getKeyPolicy(region, req);
      case "PutKeyPolicy":
        return putKeyPolicy(region, req);
      case "EnableKeyRotation":
        return setRotation(region, req, true);
      case "DisableKeyRotation":
        return setRotation(region, req, false);
      case "GetKeyRotationStatus":
        return getKeyRotationStatus(region, req);
      case "RotateKeyOnDemand":
        return rotateKeyOnDemand(region, req);
      case "ReplicateKey":
        return replicateKey(region, req);
      case "UpdatePrimaryRegion":
        return updatePrimaryRegion(region, req);
      case "Sign":
        return sign(region, req);
      case "Verify":
        return verify(region, req);
      case "GetPublicKey":
        return getPublicKey(region, req);
      case "TagResource":
        return tagResource(region, req);
      case "UntagResource":
        return untagResource(region, req);
      case "ListResourceTags":
        return listResourceTags(region, req);
      case "UpdateKeyDescription":
        return updateKeyDescription(region, req);
      case "ListKeyPolicies":
        return listKeyPolicies(region, req);
      case "ListKeyRotations":
        return listKeyRotations(region, req);
      case "GenerateRandom":
        return generateRandom(req);
      case "CreateGrant":
        return createGrant(region, req);
      case "ListGrants":
        return listGrants(region, req);
      case "RetireGrant":
        return retireGrant(region, req);
      case "RevokeGrant":
        return revokeGrant(region, req);
      default:
        throw KmsError.of(
            "UnknownOperationException",
            "Operation " + operation + " is not supported by kms-local; supported: " + OPERATIONS);
    }
  }

  // ---------------------------------------------------------------- resolution and checks

  private RegionState region(String region) {
    return regions.get(region);
  }

  public String keyArn(String region, String keyId) {
    return "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
  }

  private String aliasArn(String region, String alias) {
    return "arn:aws:kms:" + region + ":" + account + ":" + alias;
  }

  /** Resolves a key id, key ARN, alias name or alias ARN in the called Region only. */
  private RegionalKey resolve(String region, String id, boolean aliasesAllowed) {
    return resolve(region, id, aliasesAllowed ? null : "TargetKeyId");
  }

  /**
   * As above; {@code keyOnlyMember} names the request member when aliases are not allowed there
   * (null when they are).
   */
  private RegionalKey resolve(String region, String id, String keyOnlyMember) {
    boolean aliasesAllowed = keyOnlyMember == null;
    String resource = id;
    if (id.startsWith("arn:")) {
      String[] parts = id.split(":", 6);
      if (parts.length != 6
          || !parts[2].equals("kms")
          || parts[1].isEmpty()
          || !(parts[5].startsWith("key/") || parts[5].startsWith("alias/"))) {
        throw KmsError.of("InvalidArnException", "Invalid arn " + id);
      }
      if (!parts[3].equals(region)) {
        throw KmsError.notFound("Invalid arn " + parts[3]);
      }
      if (!parts[4].equals(account)) {
        throw KmsError.notFound("Invalid arn " + parts[4]);
      }
      resource = parts[5];
    }
    RegionState rs = region(region);
    if (resource.startsWith("alias/")) {
      if (!aliasesAllowed) {
        throw KmsError.validation(
            keyOnlyMember, "Member must be a key id or key ARN, not an alias: " + id);
      }
      Alias a = rs.aliases.get(resource);
      if (a == null) {
        throw KmsError.notFound("Alias " + aliasArn(region, resource) + " is not found.");
      }
      return rs.keys.get(a.targetKeyId);
    }
    String keyId = resource.startsWith("key/") ? resource.substring(4) : resource;
    RegionalKey k = rs.keys.get(keyId);
    if (k == null) {
      throw KmsError.notFound("Key '" + keyArn(region, keyId) + "' does not exist");
    }
    return k;
  }

  private RegionalKey resolve(String region, JsonRequest req, String member) {
    return resolve(region, req.requiredString(member), true);
  }

  /** Crypto operations need an enabled key (Updating is transient and still works, as on AWS). */
  private static void requireUsable(RegionalKey k) {
    String s = k.state();
    switch (s) {
      case "Enabled":
      case "Updating":
        return;
      case "Disabled":
        throw KmsError.of("DisabledException", k.arn + " is disabled.");
      case RegionalKey.CREATING:
        throw KmsError.invalidState(
            k.arn + " is Creating; retry when DescribeKey in " + k.region + " reports Enabled.");
      case "PendingDeletion":
      case "PendingReplicaDeletion":
        throw KmsError.invalidState(k.arn + " is pending deletion.");
      default:
        throw KmsError.invalidState(k.arn + " is " + s + ".");
    }
  }

  /** Management changes need a settled key: not pending deletion, not a replica still Creating. */
  private static void requireNotPendingDeletion(RegionalKey k) {
    String s = k.state();
    if (s.startsWith("Pending")) {
      throw KmsError.invalidState(k.arn + " is pending deletion.");
    }
    if (s.equals(RegionalKey.CREATING)) {
      throw KmsError.invalidState(
          k.arn + " is Creating; retry when DescribeKey in " + k.region + " reports Enabled.");
    }
  }

  private static void requireUsage(RegionalKey k, String usage, String operation) {
    if (!k.family.spec.usage.equals(usage)) {
      throw KmsError.of(
          "InvalidKeyUsageException",
          k.arn + " key usage is " + k.family.spec.usage + " which is not valid for " + operation + ".");
    }
  }

  private static void requirePrimary(RegionalKey k) {
    if (!k.family.multiRegion || !k.isPrimary()) {
      throw KmsError.unsupported(k.arn + " is not a multi-region primary key.");
    }
  }

  /** The only principal kms-local knows: every call comes from the account's root. */
  private String caller() {
    return "arn:aws:iam::" + account + ":root";
  }

  /**
   * Allows the call when the key policy does, or when it only implicitly denies and a grant on
   * this replica allows {@code action} for {@code ec} (a grant presented by one of {@code
   * presented}'s tokens, or one whose grantee is the caller). An explicit Deny wins over grants.
   */
  private void authorize(
      RegionalKey k, String action, Map<String, String> extra, Map<String, String> ec, List<Grant> presented) {
    if (k.policy.allowsEverything()) {
      return;
    }
    Map<String, String> ctx = new HashMap<>(4 + extra.size() * 2);
    ctx.put("kms:CallerAccount", account);
    ctx.put("aws:RequestedRegion", k.region);
    ctx.putAll(extra);
    KeyPolicy.Decision d = k.policy.decide("kms:" + action, ctx);
    if (d == KeyPolicy.Decision.ALLOW
        || (d == KeyPolicy.Decision.IMPLICIT_DENY && grantAllows(k, action, ec, presented))) {
      return;
    }
    throw KmsError.accessDenied(
        "User: "
            + caller()
            + " is not authorized to perform: kms:"
            + action
            + " on resource: "
            + k.arn
            + " because the key policy denies it and no grant allows it (change it with"
            + " PutKeyPolicy, or CreateGrant and pass the grant token).");
  }

  private boolean grantAllows(RegionalKey k, String action, Map<String, String> ec, List<Grant> presented) {
    for (Grant g : k.grants.values()) {
      boolean applies = presented.contains(g) || g.granteePrincipal.equals(caller());
      if (applies && g.allows(action, ec)) {
        return true;
      }
    }
    return false;
  }

  private void authorize(RegionalKey k, String action, Map<String, String> extra) {
    authorize(k, action, extra, Map.of(), List.of());
  }

  private void authorize(RegionalKey k, String action) {
    authorize(k, action, Map.of());
  }

  /** For operations a grant may allow: the request's GrantTokens count. */
  private void authorize(RegionalKey k, String action, JsonRequest req) {
    authorize(k, action, Map.of(), Map.of(), presentedGrants(k.region, req));
  }

  /** Authorizes a call whose encryption context is visible to policy conditions and grants. */
  private void authorizeWithContext(RegionalKey k, String action, Map<String, String> ec, JsonRequest req) {
    List<Grant> presented = presentedGrants(k.region, req);
    if (k.policy.allowsEverything() || ec.isEmpty()) {
      authorize(k, action, Map.of(), ec, presented);
      return;
    }
    Map<String, String> m = new HashMap<>();
    ec.forEach((key, v) -> m.put("kms:EncryptionContext:" + key, v));
    authorize(k, action, m, ec, presented);
  }

  /** The grants named by the request's GrantTokens; a token not issued in this Region is invalid. */
  private List<Grant> presentedGrants(String region, JsonRequest req) {
    List<String> tokens = req.stringList("GrantTokens", 10, 8192);
    if (tokens.isEmpty()) {
      return List.of();
    }
    List<Grant> grants = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      Grant g = region(region).grantTokens.get(t);
      if (g == null) {
        throw KmsError.of(
            "InvalidGrantTokenException",
            "The grant token is not valid in " + region + ": it was never issued here, or its grant"
                + " was retired or revoked (grants and their tokens are per Region).");
      }
      grants.add(g);
    }
    return grants;
  }

  private static void requireSymmetricAlgorithm(RegionalKey k, String algorithm) {
    if (algorithm != null && !algorithm.equals("SYMMETRIC_DEFAULT")) {
      throw KmsError.of(
          "InvalidKeyUsageException",
          "Algorithm " + algorithm + " is incompatible with key spec " + k.family.spec + ".");
    }
  }

  private static String encryptionAlgorithm(JsonRequest req, String member) {
    return req.enumValue(
        member,
        "SYMMETRIC_DEFAULT",
        "SYMMETRIC_DEFAULT",
        "RSAES_OAEP_SHA_1",
        "RSAES_OAEP_SHA_256",
        "SM2PKE");
  }

  private static void dryRun(JsonRequest req) {
    dryRun(req.bool("DryRun"));
  }

  /** DryRun is checked last, after every check a real call would fail, as on AWS. */
  private static void dryRun(boolean set) {
    if (set) {
      throw KmsError.of(
          "DryRunOperationException",
          "The request would have succeeded, but the DryRun option is set.");
    }
  }

  private static ObjectNode object() {
    return JsonRequest.MAPPER.createObjectNode();
  }

  private static void validateDescription(String description) {
    if (description != null && description.length() > 8192) {
      throw KmsError.validation("Description", "Member must have length less than or equal to 8192");
    }
  }

  /** A new policy must keep PutKeyPolicy allowed unless the caller bypasses the safety check. */
  private KeyPolicy policyFrom(JsonRequest req) {
    String text = req.string("Policy");
    if (text == null) {
      return KeyPolicy.defaultFor(account);
    }
    KeyPolicy p = KeyPolicy.parse(text, account);
    if (!req.bool("BypassPolicyLockoutSafetyCheck")
        && !p.allows("kms:PutKeyPolicy", Map.of("kms:CallerAccount", account))) {
      throw KmsError.of(
          "MalformedPolicyDocumentException",
          "The new key policy will not allow you to update the key policy in the future; allow"
              + " kms:PutKeyPolicy or set BypassPolicyLockoutSafetyCheck to true.");
    }
    return p;
  }

  // ---------------------------------------------------------------- key management

  private ObjectNode createKey(String region, JsonRequest req) {
    String specName = req.string("KeySpec");
    String cmkSpec = req.string("CustomerMasterKeySpec");
    if (specName != null && cmkSpec != null) {
      throw KmsError.validation(
          "KeySpec", "Specify KeySpec or the deprecated CustomerMasterKeySpec, not both");
    }
    KeySpec spec = KeySpec.parse(specName != null ? specName : cmkSpec != null ? cmkSpec : "SYMMETRIC_DEFAULT");
    String usage =
        req.enumValue(
            "KeyUsage", null, "ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT");
    if (usage == null) {
      if (!spec.symmetric()) {
        throw KmsError.validation(
            "KeyUsage", "Member is required for asymmetric keys; use SIGN_VERIFY for " + spec);
      }
      usage = spec.usage;
    }
    if (!usage.equals(spec.usage) && (spec.rsa() ? usage.equals("ENCRYPT_DECRYPT") : usage.equals("KEY_AGREEMENT"))) {
      throw KmsError.unsupported(
          "KeyUsage " + usage + " for " + spec + " keys is not supported by kms-local; use SIGN_VERIFY.");
    }
    if (!usage.equals(spec.usage)) {
      throw KmsError.validation(
          "KeyUsage", "KeyUsage " + usage + " is not compatible with KeySpec " + spec + "; use " + spec.usage);
    }
    String origin = req.enumValue("Origin", "AWS_KMS", "AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
    if (!origin.equals("AWS_KMS")) {
      throw KmsError.unsupported("Origin " + origin + " is not supported by kms-local; use AWS_KMS.");
    }
    String description = req.string("Description");
    validateDescription(description);
    Map<String, String> tags = req.tags("Tags");
    KeyPolicy policy = policyFrom(req);
    boolean multiRegion = req.bool("MultiRegion");
    String keyId =
        multiRegion
            ? "mrk-" + HexFormat.of().formatHex(randomBytes(16))
            : java.util.UUID.randomUUID().toString();
    KeyFamily family =
        new KeyFamily(keyId, spec, multiRegion, spec.symmetric() ? newMaterial(0, false) : null, region);
    RegionalKey key =
        new RegionalKey(
            family,
            region,
            keyArn(region, keyId),
            sequence.incrementAndGet(),
            description == null ? "" : description,
            policy,
            tags,
            0);
    ObjectNode out = object();
    synchronized (lock) {
      region(region).keys.put(keyId, key);
      out.set("KeyMetadata", metadata(key));
    }
    return out;
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private KeyFamily.Material newMaterial(int version, boolean onDemand) {
    byte[] raw = randomBytes(32);
    KeyFamily.Material m =
        new KeyFamily.Material(
            version, new SecretKeySpec(raw, "AES"), HexFormat.of().formatHex(randomBytes(32)), onDemand);
    java.util.Arrays.fill(raw, (byte) 0); // SecretKeySpec keeps its own copy
    return m;
  }

  /** KeyMetadata as real KMS returns it; caller holds the lock (reads the family's Regions). */
  private ObjectNode metadata(RegionalKey k) {
    KeyFamily f = k.family;
    ObjectNode m = object();
    m.put("AWSAccountId", account);
    m.put("KeyId", f.keyId);
    m.put("Arn", k.arn);
    m.put("CreationDate", JsonRequest.epochSeconds(k.created));
    String state = k.state();
    m.put("Enabled", state.equals(RegionalKey.ENABLED));
    m.put("Description", k.description);
    m.put("KeyUsage", f.spec.usage);
    m.put("KeyState", state);
    if (k.deletionDate != null) {
      m.put("DeletionDate", JsonRequest.epochSeconds(k.deletionDate));
    }
    if (state.startsWith("Pending")) {
      m.put("PendingDeletionWindowInDays", k.pendingWindowDays);
    }
    m.put("Origin", "AWS_KMS");
    m.put("KeyManager", "CUSTOMER");
    m.put("CustomerMasterKeySpec", f.spec.name());
    m.put("KeySpec", f.spec.name());
    if (f.spec.symmetric()) {
      m.set("EncryptionAlgorithms", array(f.spec.encryptionAlgorithms()));
      m.put("CurrentKeyMaterialId", f.current().materialId());
    } else {
      m.set("SigningAlgorithms", array(f.spec.signingAlgorithms()));
    }
    m.put("MultiRegion", f.multiRegion);
    if (f.multiRegion) {
      ObjectNode mrc = m.putObject("MultiRegionConfiguration");
      mrc.put("MultiRegionKeyType", k.isPrimary() ? "PRIMARY" : "REPLICA");
      ObjectNode primary = mrc.putObject("PrimaryKey");
      primary.put("Arn", keyArn(f.primaryRegion, f.keyId));
      primary.put("Region", f.primaryRegion);
      ArrayNode replicas = mrc.putArray("ReplicaKeys");
      for (String r : f.regions) {
        if (!r.equals(f.primaryRegion)) {
          replicas.addObject().put("Arn", keyArn(r, f.keyId)).put("Region", r);
        }
      }
    }
    return m;
  }

  private static ArrayNode array(List<String> values) {
    ArrayNode a = JsonRequest.MAPPER.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  private ObjectNode describeKey(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    authorize(k, "DescribeKey", req);
    ObjectNode out = object();
    synchronized (lock) {
      out.set("KeyMetadata", metadata(k));
    }
    return out;
  }

  private ObjectNode listKeys(String region, JsonRequest req) {
    int limit = req.intInRange("Limit", 100, 1, 1000);
    List<RegionalKey> keys = new ArrayList<>(region(region).keys.values());
    keys.sort(Comparator.comparingLong(k -> k.sequence));
    ObjectNode out = object();
    int start = marker(req);
    ArrayNode arr = out.putArray("Keys");
    int end = Math.min(keys.size(), start + limit);
    for (int i = start; i < end; i++) {
      arr.addObject().put("KeyId", keys.get(i).keyId()).put("KeyArn", keys.get(i).arn);
    }
    page(out, end, keys.size());
    return out;
  }

  private static int marker(JsonRequest req) {
    String marker = req.string("Marker");
    if (marker == null) {
      return 0;
    }
    try {
      int v = Integer.parseInt(marker);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through: an unknown marker is the client's error
    }
    throw KmsError.of("InvalidMarkerException", "Marker " + marker + " was not returned by a previous call.");
  }

  private static void page(ObjectNode out, int end, int size) {
    boolean truncated = end < size;
    out.put("Truncated", truncated);
    if (truncated) {
      out.put("NextMarker", Integer.toString(end));
    }
  }

  private ObjectNode setEnabled(String region, JsonRequest req, boolean enable) {
    RegionalKey k = resolve(region, req, "KeyId");
    authorize(k, enable ? "EnableKey" : "DisableKey");
    synchronized (lock) {
      requireNotPendingDeletion(k);
      k.state(enable ? RegionalKey.ENABLED : "Disabled");
    }
    return object();
  }

  private ObjectNode scheduleKeyDeletion(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    int days = req.intInRange("PendingWindowInDays", 30, 7, 30);
    authorize(k, "ScheduleKeyDeletion");
    ObjectNode out = object();
    synchronized (lock) {
      requireNotPendingDeletion(k);
      k.pendingWindowDays = days;
      boolean hasReplicas = k.family.multiRegion && k.isPrimary() && k.family.regions.size() > 1;
      // An MRK primary waits for its replicas: its window starts only when the last one is gone.
      if (hasReplicas) {
        k.state("PendingReplicaDeletion");
        k.deletionDate = null;
      } else {
        k.state("PendingDeletion");
        k.deletionDate = Instant.now().plus(Duration.ofDays(days));
        out.put("DeletionDate", JsonRequest.epochSeconds(k.deletionDate));
      }
      out.put("KeyId", k.arn);
      out.put("KeyState", k.state());
      out.put("PendingWindowInDays", days);
    }
    return out;
  }

  private ObjectNode cancelKeyDeletion(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    authorize(k, "CancelKeyDeletion");
    synchronized (lock) {
      if (!k.state().startsWith("Pending")) {
        throw KmsError.invalidState(k.arn + " is not pending deletion.");
      }
      k.state("Disabled"); // as on AWS: a rescued key comes back disabled
      k.deletionDate = null;
    }
    return object().put("KeyId", k.arn);
  }

  private ObjectNode updateKeyDescription(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    String d = req.requiredString("Description");
    validateDescription(d);
    authorize(k, "UpdateKeyDescription");
    synchronized (lock) {
      requireNotPendingDeletion(k);
      k.description = d;
    }
    return object();
  }

  // ---------------------------------------------------------------- aliases

  private static String aliasName(JsonRequest req) {
    String name = req.requiredString("AliasName");
    if (name.length() > 256 || !ALIAS.matcher(name).matches()) {
      throw KmsError.validation(
          "AliasName", "Member must start with alias/ and match ^[a-zA-Z0-9:/_-]+$ (was " + name + ")");
    }
    return name;
  }

  private ObjectNode createAlias(String region, JsonRequest req) {
    String name = aliasName(req);
    if (name.startsWith("alias/aws/")) {
      throw KmsError.of(
          "InvalidAliasNameException",
          "Alias names that begin with alias/aws/ are reserved for AWS managed keys; choose another name.");
    }
    RegionalKey k = resolve(region, req.requiredString("TargetKeyId"), false);
    authorize(k, "CreateAlias");
    synchronized (lock) {
      requireNotPendingDeletion(k);
      Instant now = Instant.now();
      if (region(region).aliases.putIfAbsent(name, new Alias(name, k.keyId(), now, now)) != null) {
        throw KmsError.of(
            "AlreadyExistsException", "An alias with the name " + aliasArn(region, name) + " already exists");
      }
    }
    return object();
  }

  private ObjectNode updateAlias(String region, JsonRequest req) {
    String name = aliasName(req);
    RegionalKey k = resolve(region, req.requiredString("TargetKeyId"), false);
    authorize(k, "UpdateAlias");
    synchronized (lock) {
      requireNotPendingDeletion(k);
      Alias old = region(region).aliases.get(name);
      if (old == null) {
        throw KmsError.notFound("Alias " + aliasArn(region, name) + " is not found.");
      }
      RegionalKey current = region(region).keys.get(old.targetKeyId);
      if (current.family.spec != k.family.spec) {
        throw KmsError.validation(
            "TargetKeyId", "The new target key must have the same key spec and usage as the current one");
      }
      region(region).aliases.put(name, new Alias(name, k.keyId(), old.created, Instant.now()));
    }
    return object();
  }

  private ObjectNode deleteAlias(String region, JsonRequest req) {
    String name = aliasName(req);
    synchronized (lock) {
      Alias a = region(region).aliases.get(name);
      if (a == null) {
        throw KmsError.notFound("Alias " + aliasArn(region, name) + " is not found.");
      }
      authorize(region(region).keys.get(a.targetKeyId), "DeleteAlias");
      region(region).aliases.remove(name);
    }
    return object();
  }

  private ObjectNode listAliases(String region, JsonRequest req) {
    int limit = req.intInRange("Limit", 50, 1, 100);
    String filter = req.string("KeyId");
    String keyId = filter == null ? null : resolve(region, filter, "KeyId").keyId();
    List<Alias> aliases = new ArrayList<>(region(region).aliases.values());
    aliases.removeIf(a -> keyId != null && !a.targetKeyId.equals(keyId));
    aliases.sort(Comparator.comparing(a -> a.name));
    int start = marker(req);
    int end = Math.min(aliases.size(), start + limit);
    ObjectNode out = object();
    ArrayNode arr = out.putArray("Aliases");
    for (int i = start; i < end; i++) {
      Alias a = aliases.get(i);
      arr.addObject()
          .put("AliasName", a.name)
          .put("AliasArn", aliasArn(region, a.name))
          .put("TargetKeyId", a.targetKeyId)
          .put("CreationDate", JsonRequest.epochSeconds(a.created))
          .put("LastUpdatedDate", JsonRequest.epochSeconds(a.updated));
    }
    page(out, end, aliases.size());
    return out;
  }

  // ---------------------------------------------------------------- policies and tags

  private static void policyName(JsonRequest req) {
    String name = req.string("PolicyName");
    if (name != null && !name.equals("default")) {
      throw KmsError.notFound("Policy " + name + " does not exist; the only policy name is default.");
    }
  }

  private ObjectNode getKeyPolicy(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    policyName(req);
    authorize(k, "GetKeyPolicy");
    return object().put("Policy", k.policy.json()).put("PolicyName", "default");
  }

  private ObjectNode putKeyPolicy(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    policyName(req);
    req.requiredString("Policy");
    KeyPolicy p = policyFrom(req);
    authorize(k, "PutKeyPolicy");
    synchronized (lock) {
      requireNotPendingDeletion(k);
      k.policy = p;
    }
    return object();
  }

  private static ArrayNode tagArray(Map<String, String> tags) {
    ArrayNode a = JsonRequest.MAPPER.createArrayNode();
    tags.forEach((key, v) -> a.addObject().put("TagKey", key).put("TagValue", v));
    return a;
  }

  private ObjectNode tagResource(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    if (!req.has("Tags")) {
      throw KmsError.missing("Tags");
    }
    Map<String, String> add = req.tags("Tags");
    authorize(k, "TagResource");
    synchronized (lock) {
      requireNotPendingDeletion(k);
      Map<String, String> m = new LinkedHashMap<>(k.tags);
      m.putAll(add);
      k.tags = Collections.unmodifiableMap(m);
    }
    return object();
  }

  private ObjectNode untagResource(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    JsonNode keys = req.raw("TagKeys");
    if (keys == null || !keys.isArray()) {
      throw KmsError.missing("TagKeys");
    }
    authorize(k, "UntagResource");
    synchronized (lock) {
      requireNotPendingDeletion(k);
      Map<String, String> m = new LinkedHashMap<>(k.tags);
      keys.forEach(t -> m.remove(t.asText()));
      k.tags = Collections.unmodifiableMap(m);
    }
    return object();
  }

  private ObjectNode listResourceTags(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    authorize(k, "ListResourceTags");
    ObjectNode out = object();
    out.set("Tags", tagArray(k.tags));
    out.put("Truncated", false);
    return out;
  }

  // ---------------------------------------------------------------- multi-Region keys

  /**
   * ReplicateKey whose new replica is Enabled at once, for {@code LocalKms}'s test conveniences
   * (the wire operation leaves it Creating for the configured moment).
   */
  public ObjectNode replicateInstantly(String region, JsonRequest req) {
    return replicateKey(region, req, 0);
  }

  private ObjectNode replicateKey(String region, JsonRequest req) {
    return replicateKey(region, req, replicaCreationNanos);
  }

  private ObjectNode replicateKey(String region, JsonRequest req, long creatingNanos) {
    RegionalKey primary = resolve(region, req, "KeyId");
    String target = req.requiredString("ReplicaRegion");
    if (!REGION.matcher(target).matches()) {
      throw KmsError.validation("ReplicaRegion", "Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$");
    }
    String description = req.string("Description");
    validateDescription(description);
    Map<String, String> tags = req.tags("Tags");
    KeyPolicy policy = policyFrom(req);
    if (!primary.family.multiRegion) {
      throw KmsError.unsupported("Unable to replicate a non-MultiRegion key " + primary.arn);
    }
    requirePrimary(primary);
    authorize(primary, "ReplicateKey", Map.of("kms:ReplicaRegion", target));
    if (!regions.containsKey(target)) {
      throw KmsError.unsupported(
          "Region " + target + " is not served by this kms-local; start it with regions(...) that include it.");
    }
    if (target.equals(region)) {
      throw KmsError.validation("ReplicaRegion", "The replica Region must differ from the primary's Region " + region);
    }
    RegionalKey replica;
    ObjectNode out = object();
    synchronized (lock) {
      requireNotPendingDeletion(primary);
      if (region(target).keys.containsKey(primary.keyId())) {
        throw KmsError.of(
            "AlreadyExistsException", "Replica " + keyArn(target, primary.keyId()) + " already exists.");
      }
      replica =
          new RegionalKey(
              primary.family,
              target,
              keyArn(target, primary.keyId()),
              sequence.incrementAndGet(),
              description == null ? "" : description,
              policy,
              tags,
              creatingNanos);
      primary.family.regions.add(target);
      region(target).keys.put(primary.keyId(), replica);
      ObjectNode md = metadata(replica);
      // AWS always answers with the new replica Creating, whatever happens next.
      md.put("KeyState", "Creating");
      md.put("Enabled", false);
      out.set("ReplicaKeyMetadata", md);
    }
    out.put("ReplicaPolicy", policy.json());
    out.set("ReplicaTags", tagArray(tags));
    return out;
  }

  private ObjectNode updatePrimaryRegion(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    String target = req.requiredString("PrimaryRegion");
    if (!REGION.matcher(target).matches()) {
      throw KmsError.validation("PrimaryRegion", "Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$");
    }
    if (!k.family.multiRegion) {
      throw KmsError.unsupported(k.arn + " is not a multi-region key.");
    }
    requirePrimary(k);
    authorize(k, "UpdatePrimaryRegion");
    synchronized (lock) {
      RegionState rs = regions.get(target);
      RegionalKey replica = rs == null ? null : rs.keys.get(k.keyId());
      if (replica == null) {
        throw KmsError.notFound("Key '" + keyArn(target, k.keyId()) + "' does not exist");
      }
      if (target.equals(region)) {
        throw KmsError.validation("PrimaryRegion", target + " is already the primary Region of " + k.arn);
      }
      requireUsable(k);
      requireUsable(replica);
      k.family.primaryRegion = target;
    }
    return object();
  }

  // ---------------------------------------------------------------- rotation

  private static void requireRotatable(RegionalKey k) {
    if (!k.family.spec.symmetric()) {
      throw KmsError.unsupported(k.arn + " key spec " + k.family.spec + " does not support rotation.");
    }
    if (k.family.multiRegion && !k.isPrimary()) {
      throw KmsError.unsupported(
          k.arn + " is a multi-region replica key; manage rotation on the primary key in " + k.family.primaryRegion + ".");
    }
  }

  private ObjectNode setRotation(String region, JsonRequest req, boolean enable) {
    RegionalKey k = resolve(region, req, "KeyId");
    int period = enable ? req.intInRange("RotationPeriodInDays", 365, 90, 2560) : 0;
    requireRotatable(k);
    authorize(k, enable ? "EnableKeyRotation" : "DisableKeyRotation");
    synchronized (lock) {
      requireUsable(k);
      KeyFamily f = k.family;
      f.rotationEnabled = enable;
      if (enable) {
        f.rotationPeriodDays = period;
        f.nextRotation = Instant.now().plus(Duration.ofDays(period));
      } else {
        f.nextRotation = null;
      }
    }
    return object();
  }

  private ObjectNode getKeyRotationStatus(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    if (!k.family.spec.symmetric()) {
      throw KmsError.unsupported(k.arn + " key spec " + k.family.spec + " does not support rotation.");
    }
    authorize(k, "GetKeyRotationStatus");
    ObjectNode out = object().put("KeyId", k.arn);
    synchronized (lock) {
      KeyFamily f = k.family;
      out.put("KeyRotationEnabled", f.rotationEnabled);
      if (f.rotationEnabled) {
        out.put("RotationPeriodInDays", f.rotationPeriodDays);
        out.put("NextRotationDate", JsonRequest.epochSeconds(f.nextRotation));
      }
    }
    return out;
  }

  private ObjectNode rotateKeyOnDemand(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    requireRotatable(k);
    authorize(k, "RotateKeyOnDemand");
    synchronized (lock) {
      requireUsable(k);
      KeyFamily f = k.family;
      if (f.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
        throw KmsError.of(
            "LimitExceededException",
            "The on-demand rotations limit has been reached for the given keyId. No more on-demand"
                + " rotations can be performed for this key: " + k.arn);
      }
      f.onDemandRotations++;
      // Every replica shares this list, so the new material is current everywhere at once.
      f.addMaterial(newMaterial(f.materials().size(), true));
    }
    return object().put("KeyId", k.arn);
  }

  // ---------------------------------------------------------------- symmetric crypto

  private ObjectNode encrypt(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    byte[] plaintext = req.requiredBlob("Plaintext", 1, 4096);
    Map<String, String> ec = req.stringMap("EncryptionContext");
    String algorithm = encryptionAlgorithm(req, "EncryptionAlgorithm");
    requireUsage(k, "ENCRYPT_DECRYPT", "Encrypt");
    requireSymmetricAlgorithm(k, algorithm);
    authorizeWithContext(k, "Encrypt", ec, req);
    requireUsable(k);
    dryRun(req);
    KeyFamily.Material m = k.family.current();
    byte[] blob = CiphertextBlob.encrypt(k.keyId(), m.version(), m.key(), plaintext, ec, random);
    return object()
        .put("CiphertextBlob", blob)
        .put("KeyId", k.arn)
        .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
  }

  private ObjectNode generateDataKey(String region, JsonRequest req, boolean withPlaintext) {
    RegionalKey k = resolve(region, req, "KeyId");
    Map<String, String> ec = req.stringMap("EncryptionContext");
    String keySpec = req.enumValue("KeySpec", null, "AES_256", "AES_128");
    Integer bytes = req.integer("NumberOfBytes");
    if ((keySpec == null) == (bytes == null)) {
      throw KmsError.of("ValidationException", "Please specify either number of bytes or key spec.");
    }
    int length = bytes != null ? req.intInRange("NumberOfBytes", 0, 1, 1024) : keySpec.equals("AES_256") ? 32 : 16;
    String op = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
    requireUsage(k, "ENCRYPT_DECRYPT", op);
    authorizeWithContext(k, op, ec, req);
    requireUsable(k);
    dryRun(req);
    byte[] dataKey = randomBytes(length);
    KeyFamily.Material m = k.family.current();
    byte[] blob = CiphertextBlob.encrypt(k.keyId(), m.version(), m.key(), dataKey, ec, random);
    ObjectNode out = object().put("CiphertextBlob", blob);
    if (withPlaintext) {
      out.put("Plaintext", dataKey);
    }
    return out.put("KeyId", k.arn).put("KeyMaterialId", m.materialId());
  }

  /** The shared first half of Decrypt and ReEncrypt: find the key, check it, authenticate. */
  private static final class Opened {
    final RegionalKey key;
    final KeyFamily.Material material;
    final byte[] plaintext;

    Opened(RegionalKey key, KeyFamily.Material material, byte[] plaintext) {
      this.key = key;
      this.material = material;
      this.plaintext = plaintext;
    }
  }

  private Opened open(
      String region,
      JsonRequest req,
      byte[] blob,
      Map<String, String> ec,
      String requestedKeyId,
      String algorithm,
      String action,
      boolean dryRun) {
    CiphertextBlob.Parsed parsed = CiphertextBlob.parse(blob);
    RegionalKey k;
    if (requestedKeyId != null) {
      k = resolve(region, requestedKeyId, true);
      if (!k.keyId().equals(parsed.keyId())) {
        throw KmsError.of(
            "IncorrectKeyException",
            "The key ID in the request does not identify a CMK that can perform this operation.");
      }
    } else {
      k = region(region).keys.get(parsed.keyId());
      if (k == null) {
        throw KmsError.accessDenied(
            "The ciphertext refers to a customer master key that does not exist, does not exist in"
                + " this region, or you are not allowed to access.");
      }
    }
    requireUsage(k, "ENCRYPT_DECRYPT", action);
    requireSymmetricAlgorithm(k, algorithm);
    authorizeWithContext(k, action, ec, req);
    requireUsable(k);
    dryRun(dryRun);
    KeyFamily.Material m = k.family.material(parsed.materialVersion());
    if (m == null) {
      throw KmsError.invalidCiphertext();
    }
    return new Opened(k, m, parsed.decrypt(m.key(), ec));
  }

  private ObjectNode decrypt(String region, JsonRequest req) {
    byte[] blob = req.requiredBlob("CiphertextBlob", 1, 6144);
    Opened o =
        open(
            region,
            req,
            blob,
            req.stringMap("EncryptionContext"),
            req.string("KeyId"),
            encryptionAlgorithm(req, "EncryptionAlgorithm"),
            "Decrypt",
            req.bool("DryRun"));
    return object()
        .put("KeyId", o.key.arn)
        .put("Plaintext", o.plaintext)
        .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        .put("KeyMaterialId", o.material.materialId());
  }

  private ObjectNode reEncrypt(String region, JsonRequest req) {
    byte[] blob = req.requiredBlob("CiphertextBlob", 1, 6144);
    RegionalKey dest = resolve(region, req, "DestinationKeyId");
    Map<String, String> destEc = req.stringMap("DestinationEncryptionContext");
    String destAlgorithm = encryptionAlgorithm(req, "DestinationEncryptionAlgorithm");
    Opened o =
        open(
            region,
            req,
            blob,
            req.stringMap("SourceEncryptionContext"),
            req.string("SourceKeyId"),
            encryptionAlgorithm(req, "SourceEncryptionAlgorithm"),
            "ReEncryptFrom",
            false);
    requireUsage(dest, "ENCRYPT_DECRYPT", "ReEncrypt");
    requireSymmetricAlgorithm(dest, destAlgorithm);
    authorizeWithContext(dest, "ReEncryptTo", destEc, req);
    requireUsable(dest);
    dryRun(req);
    KeyFamily.Material m = dest.family.current();
    byte[] out = CiphertextBlob.encrypt(dest.keyId(), m.version(), m.key(), o.plaintext, destEc, random);
    java.util.Arrays.fill(o.plaintext, (byte) 0);
    return object()
        .put("CiphertextBlob", out)
        .put("SourceKeyId", o.key.arn)
        .put("KeyId", dest.arn)
        .put("SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        .put("DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        .put("SourceKeyMaterialId", o.material.materialId())
        .put("DestinationKeyMaterialId", m.materialId());
  }

  // ---------------------------------------------------------------- operations added for admin tools

  private ObjectNode listKeyPolicies(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    req.intInRange("Limit", 100, 1, 1000);
    marker(req);
    authorize(k, "ListKeyPolicies");
    ObjectNode out = object();
    out.set("PolicyNames", array(List.of("default")));
    return out.put("Truncated", false);
  }

  private ObjectNode listKeyRotations(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    int limit = req.intInRange("Limit", 100, 1, 1000);
    req.enumValue("IncludeKeyMaterial", "ROTATIONS_ONLY", "ALL_KEY_MATERIAL", "ROTATIONS_ONLY");
    if (!k.family.spec.symmetric()) {
      throw KmsError.unsupported(k.arn + " key spec " + k.family.spec + " does not support rotation.");
    }
    authorize(k, "ListKeyRotations");
    // Version 0 is the key's original material, not a rotation; replicas share the history.
    List<KeyFamily.Material> rotations = k.family.materials().subList(1, k.family.materials().size());
    int start = marker(req);
    int end = Math.min(rotations.size(), start + limit);
    ObjectNode out = object();
    ArrayNode arr = out.putArray("Rotations");
    for (int i = start; i < end; i++) {
      KeyFamily.Material m = rotations.get(i);
      arr.addObject()
          .put("KeyId", k.keyId())
          .put("KeyMaterialId", m.materialId())
          .put("RotationDate", JsonRequest.epochSeconds(m.created()))
          .put("RotationType", m.onDemand() ? "ON_DEMAND" : "AUTOMATIC");
    }
    page(out, end, rotations.size());
    return out;
  }

  private ObjectNode generateRandom(JsonRequest req) {
    if (req.has("CustomKeyStoreId") || req.has("Recipient")) {
      throw KmsError.unsupported(
          "GenerateRandom with CustomKeyStoreId or Recipient is not supported by kms-local; omit them.");
    }
    if (!req.has("NumberOfBytes")) {
      throw KmsError.missing("NumberOfBytes");
    }
    return object().put("Plaintext", randomBytes(req.intInRange("NumberOfBytes", 0, 1, 1024)));
  }

  // ---------------------------------------------------------------- grants

  private static final Pattern GRANT_ID = Pattern.compile("^[0-9a-f]{64}$");

  private ObjectNode createGrant(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    String grantee = req.requiredString("GranteePrincipal");
    String retiring = req.string("RetiringPrincipal");
    String name = req.string("Name");
    if (name != null && (name.isEmpty() || name.length() > 256 || !name.matches("^[a-zA-Z0-9:/_-]+$"))) {
      throw KmsError.validation("Name", "Member must match ^[a-zA-Z0-9:/_-]+$ with 1-256 characters");
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
        throw KmsError.validation("Operations", "Member must satisfy enum value set: " + String.join(", ", Grant.OPERATIONS));
      }
      if (!grantOperationFits(op, k.family.spec)) {
        throw KmsError.validation(
            "Operations", "Grant operation " + op + " is not valid for a " + k.family.spec + " key (KeyUsage " + k.family.spec.usage + ")");
      }
    }
    JsonNode c = req.raw("Constraints");
    Map<String, String> subset = constraint(c, "EncryptionContextSubset");
    Map<String, String> equals = constraint(c, "EncryptionContextEquals");
    if ((subset != null || equals != null) && !k.family.spec.symmetric()) {
      throw KmsError.validation(
          "Constraints", "Encryption context constraints apply only to symmetric encryption keys");
    }
    authorize(k, "CreateGrant", req);
    synchronized (lock) {
      requireNotPendingDeletion(k);
      Grant wanted =
          new Grant(
              HexFormat.of().formatHex(randomBytes(32)), k, sequence.incrementAndGet(), name, grantee, retiring,
              operations, subset, equals);
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
      String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(96));
      grant.tokens.add(token);
      region(region).grantTokens.put(token, grant);
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

  private ObjectNode listGrants(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req.requiredString("KeyId"), "KeyId");
    int limit = req.intInRange("Limit", 50, 1, 100);
    String grantId = req.string("GrantId");
    String grantee = req.string("GranteePrincipal");
    authorize(k, "ListGrants");
    List<Grant> grants = new ArrayList<>(k.grants.values());
    grants.removeIf(g -> (grantId != null && !g.grantId.equals(grantId)) || (grantee != null && !g.granteePrincipal.equals(grantee)));
    grants.sort(Comparator.comparingLong(g -> g.sequence));
    int start = marker(req);
    int end = Math.min(grants.size(), start + limit);
    ObjectNode out = object();
    ArrayNode arr = out.putArray("Grants");
    for (int i = start; i < end; i++) {
      arr.add(grantEntry(grants.get(i)));
    }
    page(out, end, grants.size());
    return out;
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
    e.put("IssuingAccount", caller());
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
      throw KmsError.of("InvalidGrantIdException", "Grant id " + grantId + " is not a grant id (64 hex digits).");
    }
    Grant g = k.grants.get(grantId);
    if (g == null) {
      throw KmsError.notFound("Grant " + grantId + " does not exist on " + k.arn + " (grants are per Region).");
    }
    return g;
  }

  private ObjectNode retireGrant(String region, JsonRequest req) {
    String token = req.string("GrantToken");
    Grant g;
    if (token != null) {
      g = region(region).grantTokens.get(token);
      if (g == null) {
        throw KmsError.of(
            "InvalidGrantTokenException", "The grant token is not valid in " + region + " (never issued here, or already retired).");
      }
    } else if (req.has("KeyId") && req.has("GrantId")) {
      RegionalKey k = resolve(region, req.requiredString("KeyId"), "KeyId");
      g = grantById(k, req.requiredString("GrantId"));
    } else {
      throw KmsError.of("ValidationException", "Specify GrantToken, or KeyId and GrantId, to retire a grant.");
    }
    dryRun(req);
    removeGrant(region, g);
    return object();
  }

  private ObjectNode revokeGrant(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req.requiredString("KeyId"), "KeyId");
    Grant g = grantById(k, req.requiredString("GrantId"));
    authorize(k, "RevokeGrant");
    dryRun(req);
    removeGrant(region, g);
    return object();
  }

  private void removeGrant(String region, Grant g) {
    synchronized (lock) {
      g.key.grants.remove(g.grantId);
      g.tokens.forEach(region(region).grantTokens::remove);
    }
  }

  // ---------------------------------------------------------------- signatures

  /** A checked Sign or Verify request: the key, the algorithm and the digest to sign. */
  private static final class SigningInput {
    final RegionalKey key;
    final SigningAlgorithm algorithm;
    final byte[] digest;

    SigningInput(RegionalKey key, SigningAlgorithm algorithm, byte[] digest) {
      this.key = key;
      this.algorithm = algorithm;
      this.digest = digest;
    }
  }

  private SigningInput signingInput(String region, JsonRequest req, String op) {
    RegionalKey k = resolve(region, req, "KeyId");
    byte[] message = req.requiredBlob("Message", 1, 4096);
    String type = req.enumValue("MessageType", "RAW", "RAW", "DIGEST", "EXTERNAL_MU");
    String name = req.requiredString("SigningAlgorithm");
    req.enumValue("SigningAlgorithm", null, SigningAlgorithm.MODEL_VALUES);
    requireUsage(k, "SIGN_VERIFY", op);
    KeySpec spec = k.family.spec;
    SigningAlgorithm algorithm = SigningAlgorithm.find(name);
    if (algorithm == null || !spec.supports(algorithm)) {
      throw KmsError.of(
          "InvalidKeyUsageException",
          "Algorithm " + name + " is incompatible with key spec " + spec + "; use one of " + spec.signingAlgorithms() + ".");
    }
    if (type.equals("EXTERNAL_MU")) {
      throw KmsError.validation("MessageType", "EXTERNAL_MU is valid only for ML_DSA keys; use RAW or DIGEST");
    }
    boolean digest = type.equals("DIGEST");
    if (digest && message.length != algorithm.digestLength) {
      throw KmsError.of("ValidationException", "Digest is invalid length for algorithm " + name + ".");
    }
    authorize(k, op, req);
    requireUsable(k);
    dryRun(req);
    return new SigningInput(k, algorithm, digest ? message : algorithm.digest(message));
  }

  private ObjectNode sign(String region, JsonRequest req) {
    SigningInput in = signingInput(region, req, "Sign");
    byte[] signature = in.algorithm.sign(in.key.family.keyPair().getPrivate(), in.digest, random);
    return object()
        .put("KeyId", in.key.arn)
        .put("Signature", signature)
        .put("SigningAlgorithm", in.algorithm.name());
  }

  private ObjectNode verify(String region, JsonRequest req) {
    byte[] signature = req.requiredBlob("Signature", 1, 6144);
    SigningInput in = signingInput(region, req, "Verify");
    if (!in.algorithm.verify(in.key.family.keyPair().getPublic(), in.digest, signature)) {
      throw KmsError.of("KMSInvalidSignatureException", null);
    }
    return object()
        .put("KeyId", in.key.arn)
        .put("SignatureValid", true)
        .put("SigningAlgorithm", in.algorithm.name());
  }

  private ObjectNode getPublicKey(String region, JsonRequest req) {
    RegionalKey k = resolve(region, req, "KeyId");
    KeySpec spec = k.family.spec;
    if (spec.symmetric()) {
      throw KmsError.unsupported(k.arn + " key spec " + spec + " has no public key.");
    }
    authorize(k, "GetPublicKey", req);
    requireUsable(k);
    ObjectNode out =
        object()
            .put("KeyId", k.arn)
            .put("PublicKey", k.family.keyPair().getPublic().getEncoded())
            .put("CustomerMasterKeySpec", spec.name())
            .put("KeySpec", spec.name())
            .put("KeyUsage", spec.usage);
    out.set("SigningAlgorithms", array(spec.signingAlgorithms()));
    return out;
  }
}
