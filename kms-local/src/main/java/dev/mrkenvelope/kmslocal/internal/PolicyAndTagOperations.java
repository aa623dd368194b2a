package dev.mrkenvelope.kmslocal.internal;

import static dev.mrkenvelope.kmslocal.internal.Checks.requireNotPendingDeletion;
import static dev.mrkenvelope.kmslocal.internal.Responses.array;
import static dev.mrkenvelope.kmslocal.internal.Responses.marker;
import static dev.mrkenvelope.kmslocal.internal.Responses.object;
import static dev.mrkenvelope.kmslocal.internal.Responses.tagArray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Key policies (GetKeyPolicy, PutKeyPolicy, ListKeyPolicies) and tags, both per replica. */
final class PolicyAndTagOperations extends OperationGroup {
  PolicyAndTagOperations(KmsStore store, Access access) {
    super(store, access);
  }

  private static void policyName(JsonRequest req) {
    String name = req.string("PolicyName");
    if (name != null && !name.equals("default")) {
      throw KmsError.notFound(
          "Policy " + name + " does not exist; the only policy name is default.");
    }
  }

  ObjectNode getKeyPolicy(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    policyName(req);
    access.authorize(k, "GetKeyPolicy");
    return object().put("Policy", k.policy.json()).put("PolicyName", "default");
  }

  ObjectNode putKeyPolicy(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    policyName(req);
    req.requiredString("Policy");
    KeyPolicy p = store.policyFrom(req);
    access.authorize(k, "PutKeyPolicy");
    synchronized (store.lock) {
      requireNotPendingDeletion(k);
      k.policy = p;
    }
    return object();
  }

  ObjectNode listKeyPolicies(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    req.intInRange("Limit", 100, 1, 1000);
    marker(req);
    access.authorize(k, "ListKeyPolicies");
    ObjectNode out = object();
    out.set("PolicyNames", array(List.of("default")));
    return out.put("Truncated", false);
  }

  ObjectNode tagResource(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    if (!req.has("Tags")) {
      throw KmsError.missing("Tags");
    }
    Map<String, String> add = req.tags("Tags");
    access.authorize(k, "TagResource");
    synchronized (store.lock) {
      requireNotPendingDeletion(k);
      Map<String, String> m = new LinkedHashMap<>(k.tags);
      m.putAll(add);
      k.tags = Collections.unmodifiableMap(m);
    }
    return object();
  }

  ObjectNode untagResource(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    JsonNode keys = req.raw("TagKeys");
    if (keys == null || !keys.isArray()) {
      throw KmsError.missing("TagKeys");
    }
    access.authorize(k, "UntagResource");
    synchronized (store.lock) {
      requireNotPendingDeletion(k);
      Map<String, String> m = new LinkedHashMap<>(k.tags);
      keys.forEach(t -> m.remove(t.asText()));
      k.tags = Collections.unmodifiableMap(m);
    }
    return object();
  }

  ObjectNode listResourceTags(String region, JsonRequest req) {
    RegionalKey k = store.resolve(region, req, "KeyId");
    access.authorize(k, "ListResourceTags");
    ObjectNode out = object();
    out.set("Tags", tagArray(k.tags));
    out.put("Truncated", false);
    return out;
  }
}
