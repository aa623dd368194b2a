package dev.mrkenvelope.kmslocal.internal;

import static dev.mrkenvelope.kmslocal.internal.Responses.array;
import static dev.mrkenvelope.kmslocal.internal.Responses.object;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * The state of every Region: keys, aliases and grant tokens per Region, the account, the lock that
 * management operations hold, and the lookups and builders all operation groups share (resolving a
 * key id, alias or ARN in the called Region; KeyMetadata; new key material).
 *
 * <p>Thread safety: the maps are concurrent so the data path reads without locking; changes that
 * must keep a key family consistent across Regions hold {@link #lock}.
 */
final class KmsStore {
  /** What one Region holds. Its maps are concurrent; entries change under {@link #lock}. */
  static final class RegionState {
    final Map<String, RegionalKey> keys = new ConcurrentHashMap<>();
    final Map<String, Alias> aliases = new ConcurrentHashMap<>();

    /** Grant tokens issued in this Region; a token names one grant on one replica. */
    final Map<String, Grant> grantTokens = new ConcurrentHashMap<>();
  }

  final String account;
  final Object lock = new Object();
  final SecureRandom random = new SecureRandom();
  final long replicaCreationNanos;
  private final Map<String, RegionState> regions;
  private final AtomicLong sequence = new AtomicLong();

  KmsStore(String account, List<String> regionNames, Duration replicaCreation) {
    this.account = account;
    this.replicaCreationNanos = replicaCreation.toNanos();
    Map<String, RegionState> m = new LinkedHashMap<>();
    for (String r : regionNames) {
      m.put(r, new RegionState());
    }
    this.regions = Collections.unmodifiableMap(m);
  }

  /** Whether {@code region} is served. */
  boolean serves(String region) {
    return regions.containsKey(region);
  }

  /** A number that orders keys and grants by creation, for stable List answers. */
  long nextSequence() {
    return sequence.incrementAndGet();
  }

  /** The state of {@code region}, or null when it is not served. */
  RegionState region(String region) {
    return regions.get(region);
  }

  String keyArn(String region, String keyId) {
    return "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
  }

  String aliasArn(String region, String alias) {
    return "arn:aws:kms:" + region + ":" + account + ":" + alias;
  }

  /** Resolves a key id, key ARN, alias name or alias ARN in the called Region only. */
  RegionalKey resolve(String region, String id, boolean aliasesAllowed) {
    return resolve(region, id, aliasesAllowed ? null : "TargetKeyId");
  }

  /**
   * As above; {@code keyOnlyMember} names the request member when aliases are not allowed there
   * (null when they are).
   */
  RegionalKey resolve(String region, String id, String keyOnlyMember) {
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

  RegionalKey resolve(String region, JsonRequest req, String member) {
    return resolve(region, req.requiredString(member), true);
  }

  /** The only principal kms-local knows: every call comes from the account's root. */
  String caller() {
    return "arn:aws:iam::" + account + ":root";
  }

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  KeyFamily.Material newMaterial(int version, boolean onDemand) {
    byte[] raw = randomBytes(32);
    KeyFamily.Material m =
        new KeyFamily.Material(
            version,
            new SecretKeySpec(raw, "AES"),
            HexFormat.of().formatHex(randomBytes(32)),
            onDemand);
    java.util.Arrays.fill(raw, (byte) 0); // SecretKeySpec keeps its own copy
    return m;
  }

  /** KeyMetadata as real KMS returns it; caller holds the lock (reads the family's Regions). */
  ObjectNode metadata(RegionalKey k) {
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

  /** A new policy must keep PutKeyPolicy allowed unless the caller bypasses the safety check. */
  KeyPolicy policyFrom(JsonRequest req) {
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
}
