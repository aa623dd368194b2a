package dev.mrkenvelope.kmslocal.internal;

import static dev.mrkenvelope.kmslocal.internal.Checks.requireUsable;
import static dev.mrkenvelope.kmslocal.internal.Responses.object;
import static dev.mrkenvelope.kmslocal.internal.Responses.page;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Automatic and on-demand rotation, configured on the primary and shared by every replica. */
final class RotationOperations extends OperationGroup {
  RotationOperations(KmsStore store, Access access) {
    super(store, access);
  }

  private static final int MAX_ON_DEMAND_ROTATIONS = 25;

  private static void requireRotatable(RegionalKey k) {
    if (!k.family.spec.symmetric()) {
      throw KmsError.unsupported(
          k.arn + " key spec " + k.family.spec + " does not support rotation.");
    }
    if (k.family.multiRegion && !k.isPrimary()) {
      throw KmsError.unsupported(
          k.arn
              + " is a multi-region replica key; manage rotation on the primary key in "
              + k.family.primaryRegion
              + ".");
    }
  }

  ObjectNode setRotation(String region, JsonRequest req, boolean enable) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    int period = enable ? req.intInRange("RotationPeriodInDays", 365, 90, 2560) : 0;
    requireRotatable(k);
    access.authorize(k, enable ? "EnableKeyRotation" : "DisableKeyRotation");
    synchronized (store.lock) {
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

  ObjectNode getKeyRotationStatus(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    if (!k.family.spec.symmetric()) {
      throw KmsError.unsupported(
          k.arn + " key spec " + k.family.spec + " does not support rotation.");
    }
    access.authorize(k, "GetKeyRotationStatus");
    ObjectNode out = object().put("KeyId", k.arn);
    synchronized (store.lock) {
      KeyFamily f = k.family;
      out.put("KeyRotationEnabled", f.rotationEnabled);
      if (f.rotationEnabled) {
        out.put("RotationPeriodInDays", f.rotationPeriodDays);
        out.put("NextRotationDate", JsonRequest.epochSeconds(f.nextRotation));
      }
    }
    return out;
  }

  ObjectNode rotateKeyOnDemand(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    requireRotatable(k);
    access.authorize(k, "RotateKeyOnDemand");
    synchronized (store.lock) {
      requireUsable(k);
      KeyFamily f = k.family;
      if (f.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
        throw KmsError.of(
            "LimitExceededException",
            "The on-demand rotations limit has been reached for the given keyId. No more on-demand"
                + " rotations can be performed for this key: "
                + k.arn);
      }
      f.onDemandRotations++;
      // Every replica shares this list, so the new material is current everywhere at once.
      f.addMaterial(store.newMaterial(f.materials().size(), true));
    }
    return object().put("KeyId", k.arn);
  }

  ObjectNode listKeyRotations(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    int limit = req.intInRange("Limit", 100, 1, 1000);
    req.enumValue("IncludeKeyMaterial", "ROTATIONS_ONLY", "ALL_KEY_MATERIAL", "ROTATIONS_ONLY");
    if (!k.family.spec.symmetric()) {
      throw KmsError.unsupported(
          k.arn + " key spec " + k.family.spec + " does not support rotation.");
    }
    access.authorize(k, "ListKeyRotations");
    // Version 0 is the key's original material, not a rotation; replicas share the history.
    List<KeyFamily.Material> rotations =
        k.family.materials().subList(1, k.family.materials().size());
    return page(
        req,
        limit,
        "Rotations",
        rotations,
        m ->
            object()
                .put("KeyId", k.keyId())
                .put("KeyMaterialId", m.materialId())
                .put("RotationDate", JsonRequest.epochSeconds(m.created()))
                .put("RotationType", m.onDemand() ? "ON_DEMAND" : "AUTOMATIC"));
  }
}
