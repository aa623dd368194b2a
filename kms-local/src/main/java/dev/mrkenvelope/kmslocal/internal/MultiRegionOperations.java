package dev.mrkenvelope.kmslocal.internal;

import static dev.mrkenvelope.kmslocal.internal.Checks.requireNotPendingDeletion;
import static dev.mrkenvelope.kmslocal.internal.Checks.requirePrimary;
import static dev.mrkenvelope.kmslocal.internal.Checks.requireUsable;
import static dev.mrkenvelope.kmslocal.internal.Checks.validateDescription;
import static dev.mrkenvelope.kmslocal.internal.Responses.object;
import static dev.mrkenvelope.kmslocal.internal.Responses.tagArray;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.regex.Pattern;

/** ReplicateKey and UpdatePrimaryRegion: the shape of a multi-Region key family. */
final class MultiRegionOperations extends OperationGroup {
  MultiRegionOperations(KmsStore store, Access access) {
    super(store, access);
  }

  private static final Pattern REGION = Pattern.compile("^([a-z]+-){2,3}\\d+$");

  /**
   * ReplicateKey whose new replica is Enabled at once, for {@code LocalKms}'s test conveniences
   * (the wire operation leaves it Creating for the configured moment).
   */
  ObjectNode replicateInstantly(String region, JsonRequest req) {
    return replicateKey(region, req, 0);
  }

  ObjectNode replicateKey(String region, JsonRequest req) {
    return replicateKey(region, req, store.replicaCreationNanos);
  }

  private ObjectNode replicateKey(String region, JsonRequest req, long creatingNanos) {
    RegionalKey primary = store.resolve(region, req, "KeyId");
    String target = req.requiredString("ReplicaRegion");
    if (!REGION.matcher(target).matches()) {
      throw KmsError.validation(
          "ReplicaRegion", "Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$");
    }
    String description = req.string("Description");
    validateDescription(description);
    Map<String, String> tags = req.tags("Tags");
    KeyPolicy policy = store.policyFrom(req);
    if (!primary.family.multiRegion) {
      throw KmsError.unsupported("Unable to replicate a non-MultiRegion key " + primary.arn);
    }
    requirePrimary(primary);
    access.authorize(primary, "ReplicateKey", Map.of("kms:ReplicaRegion", target));
    if (!store.serves(target)) {
      throw KmsError.unsupported(
          "Region "
              + target
              + " is not served by this kms-local; start it with regions(...) that include it.");
    }
    if (target.equals(region)) {
      throw KmsError.validation(
          "ReplicaRegion", "The replica Region must differ from the primary's Region " + region);
    }
    RegionalKey replica;
    ObjectNode out = object();
    synchronized (store.lock) {
      requireNotPendingDeletion(primary);
      if (store.region(target).keys.containsKey(primary.keyId())) {
        throw KmsError.of(
            "AlreadyExistsException",
            "Replica " + store.keyArn(target, primary.keyId()) + " already exists.");
      }
      replica =
          new RegionalKey(
              primary.family,
              target,
              store.keyArn(target, primary.keyId()),
              store.nextSequence(),
              description == null ? "" : description,
              policy,
              tags,
              creatingNanos);
      primary.family.regions.add(target);
      store.region(target).keys.put(primary.keyId(), replica);
      ObjectNode md = store.metadata(replica);
      // AWS always answers with the new replica Creating, whatever happens next.
      md.put("KeyState", "Creating");
      md.put("Enabled", false);
      out.set("ReplicaKeyMetadata", md);
    }
    out.put("ReplicaPolicy", policy.json());
    out.set("ReplicaTags", tagArray(tags));
    return out;
  }

  ObjectNode updatePrimaryRegion(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    String target = req.requiredString("PrimaryRegion");
    if (!REGION.matcher(target).matches()) {
      throw KmsError.validation(
          "PrimaryRegion", "Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$");
    }
    if (!k.family.multiRegion) {
      throw KmsError.unsupported(k.arn + " is not a multi-region key.");
    }
    requirePrimary(k);
    access.authorize(k, "UpdatePrimaryRegion");
    synchronized (store.lock) {
      KmsStore.RegionState rs = store.region(target);
      RegionalKey replica = rs == null ? null : rs.keys.get(k.keyId());
      if (replica == null) {
        throw KmsError.notFound("Key '" + store.keyArn(target, k.keyId()) + "' does not exist");
      }
      if (target.equals(region)) {
        throw KmsError.validation(
            "PrimaryRegion", target + " is already the primary Region of " + k.arn);
      }
      requireUsable(k);
      requireUsable(replica);
      k.family.primaryRegion = target;
    }
    return object();
  }
}
