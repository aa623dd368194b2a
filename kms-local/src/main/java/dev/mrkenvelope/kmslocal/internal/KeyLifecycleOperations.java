package dev.mrkenvelope.kmslocal.internal;

import static dev.mrkenvelope.kmslocal.internal.Checks.requireNotPendingDeletion;
import static dev.mrkenvelope.kmslocal.internal.Checks.validateDescription;
import static dev.mrkenvelope.kmslocal.internal.Responses.object;
import static dev.mrkenvelope.kmslocal.internal.Responses.page;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** CreateKey, DescribeKey, ListKeys, enabling, disabling, deletion scheduling and descriptions. */
final class KeyLifecycleOperations extends OperationGroup {
  KeyLifecycleOperations(KmsStore store, Access access) {
    super(store, access);
  }

  ObjectNode createKey(String region, JsonRequest req) {
    String specName = req.string("KeySpec");
    String cmkSpec = req.string("CustomerMasterKeySpec");
    if (specName != null && cmkSpec != null) {
      throw KmsError.validation(
          "KeySpec", "Specify KeySpec or the deprecated CustomerMasterKeySpec, not both");
    }
    KeySpec spec =
        KeySpec.parse(
            specName != null ? specName : cmkSpec != null ? cmkSpec : "SYMMETRIC_DEFAULT");
    String usage =
        req.enumValue(
            "KeyUsage",
            null,
            "ENCRYPT_DECRYPT",
            "SIGN_VERIFY",
            "GENERATE_VERIFY_MAC",
            "KEY_AGREEMENT");
    if (usage == null) {
      if (!spec.symmetric()) {
        throw KmsError.validation(
            "KeyUsage", "Member is required for asymmetric keys; use SIGN_VERIFY for " + spec);
      }
      usage = spec.usage;
    }
    if (!usage.equals(spec.usage)
        && (spec.rsa() ? usage.equals("ENCRYPT_DECRYPT") : usage.equals("KEY_AGREEMENT"))) {
      throw KmsError.unsupported(
          "KeyUsage "
              + usage
              + " for "
              + spec
              + " keys is not supported by kms-local; use SIGN_VERIFY.");
    }
    if (!usage.equals(spec.usage)) {
      throw KmsError.validation(
          "KeyUsage",
          "KeyUsage " + usage + " is not compatible with KeySpec " + spec + "; use " + spec.usage);
    }
    String origin =
        req.enumValue(
            "Origin", "AWS_KMS", "AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
    if (!origin.equals("AWS_KMS")) {
      throw KmsError.unsupported(
          "Origin " + origin + " is not supported by kms-local; use AWS_KMS.");
    }
    String description = req.string("Description");
    validateDescription(description);
    Map<String, String> tags = req.tags("Tags");
    KeyPolicy policy = store.policyFrom(req);
    boolean multiRegion = req.bool("MultiRegion");
    String keyId =
        multiRegion
            ? "mrk-" + HexFormat.of().formatHex(store.randomBytes(16))
            : java.util.UUID.randomUUID().toString();
    KeyFamily family =
        new KeyFamily(
            keyId,
            spec,
            multiRegion,
            spec.symmetric() ? store.newMaterial(0, false) : null,
            region);
    RegionalKey key =
        new RegionalKey(
            family,
            region,
            store.keyArn(region, keyId),
            store.nextSequence(),
            description == null ? "" : description,
            policy,
            tags,
            0);
    ObjectNode out = object();
    synchronized (store.lock) {
      store.region(region).keys.put(keyId, key);
      out.set("KeyMetadata", store.metadata(key));
    }
    return out;
  }

  ObjectNode describeKey(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    access.authorize(k, "DescribeKey", req);
    ObjectNode out = object();
    synchronized (store.lock) {
      out.set("KeyMetadata", store.metadata(k));
    }
    return out;
  }

  ObjectNode listKeys(String region, JsonRequest req) {
    int limit = req.intInRange("Limit", 100, 1, 1000);
    List<RegionalKey> keys = new ArrayList<>(store.region(region).keys.values());
    keys.sort(Comparator.comparingLong(k -> k.sequence));
    return page(
        req, limit, "Keys", keys, k -> object().put("KeyId", k.keyId()).put("KeyArn", k.arn));
  }

  ObjectNode setEnabled(String region, JsonRequest req, boolean enable) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    access.authorize(k, enable ? "EnableKey" : "DisableKey");
    synchronized (store.lock) {
      requireNotPendingDeletion(k);
      k.state(enable ? RegionalKey.ENABLED : "Disabled");
    }
    return object();
  }

  ObjectNode scheduleKeyDeletion(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    int days = req.intInRange("PendingWindowInDays", 30, 7, 30);
    access.authorize(k, "ScheduleKeyDeletion");
    ObjectNode out = object();
    synchronized (store.lock) {
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

  ObjectNode cancelKeyDeletion(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    access.authorize(k, "CancelKeyDeletion");
    synchronized (store.lock) {
      if (!k.state().startsWith("Pending")) {
        throw KmsError.invalidState(k.arn + " is not pending deletion.");
      }
      k.state("Disabled"); // as on AWS: a rescued key comes back disabled
      k.deletionDate = null;
    }
    return object().put("KeyId", k.arn);
  }

  ObjectNode updateKeyDescription(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    String d = req.requiredString("Description");
    validateDescription(d);
    access.authorize(k, "UpdateKeyDescription");
    synchronized (store.lock) {
      requireNotPendingDeletion(k);
      k.description = d;
    }
    return object();
  }
}
