package dev.mrkenvelope.aws.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** The JSON form of a {@link KeySetSpec}; the schema is documented in docs/keyset-spec.md. */
final class KeySetSpecJson {
  /** A spec is a few kilobytes; refuse anything that could only be a mistake or an attack. */
  static final int MAX_CHARS = 256 * 1024;

  private static final Set<String> TOP =
      Set.of(
          "alias",
          "primaryRegion",
          "replicaRegions",
          "keySpec",
          "keyUsage",
          "description",
          "tags",
          "rotation",
          "policy");

  private KeySetSpecJson() {}

  static KeySetSpec read(String json) {
    if (json.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "key-set spec must be at most " + MAX_CHARS + " characters: " + json.length());
    }
    JsonNode root;
    try {
      root = PolicyDocuments.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "key-set spec is not valid JSON (" + e.getOriginalMessage() + "); fix the file", e);
    }
    ObjectNode o = object(root, "spec", TOP);
    KeySetSpec.Builder b =
        KeySetSpec.builder()
            .alias(text(o, "alias", true))
            .primaryRegion(text(o, "primaryRegion", true))
            .replicaRegions(strings(o.get("replicaRegions"), "replicaRegions"));
    KeySpec spec = KeySpec.SYMMETRIC_DEFAULT;
    String specName = text(o, "keySpec", false);
    if (specName != null) {
      spec = KeySpec.fromValue(specName);
      if (spec == KeySpec.UNKNOWN_TO_SDK_VERSION) {
        throw new IllegalArgumentException(
            "keySpec is not a KMS key spec: " + specName + "; use e.g. SYMMETRIC_DEFAULT");
      }
    }
    String usageName = text(o, "keyUsage", false);
    KeyUsageType usage =
        usageName == null
            ? spec == KeySpec.SYMMETRIC_DEFAULT
                ? KeyUsageType.ENCRYPT_DECRYPT
                : KeyUsageType.SIGN_VERIFY
            : KeyUsageType.fromValue(usageName);
    if (usage == KeyUsageType.UNKNOWN_TO_SDK_VERSION) {
      throw new IllegalArgumentException(
          "keyUsage must be ENCRYPT_DECRYPT or SIGN_VERIFY: " + usageName);
    }
    b.keySpec(spec, usage);
    String description = text(o, "description", false);
    if (description != null) {
      b.description(description);
    }
    if (o.has("tags")) {
      ObjectNode t = object(o.get("tags"), "tags", null);
      Map<String, String> tags = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new IllegalArgumentException("tags." + e.getKey() + " must be a string");
        }
        tags.put(e.getKey(), e.getValue().asText());
      }
      b.tags(tags);
    }
    if (o.has("rotation")) {
      ObjectNode r = object(o.get("rotation"), "rotation", Set.of("enabled", "periodDays"));
      JsonNode enabled = r.get("enabled");
      if (enabled == null || !enabled.isBoolean()) {
        throw new IllegalArgumentException("rotation.enabled must be true or false");
      }
      JsonNode period = r.get("periodDays");
      if (period != null && !period.isInt()) {
        throw new IllegalArgumentException("rotation.periodDays must be a whole number of days");
      }
      b.rotation(
          enabled.asBoolean()
              ? Rotation.every(period == null ? 365 : period.asInt())
              : new Rotation(false, period == null ? 0 : period.asInt()));
    }
    b.policy(policy(o.get("policy")));
    return b.build();
  }

  private static KeyPolicySpec policy(JsonNode n) {
    if (n == null) {
      throw new IllegalArgumentException(
          "policy is required: {\"document\": {...}} or {\"generate\": {\"administrators\": [...],"
              + " \"users\": [...]}}");
    }
    ObjectNode p = object(n, "policy", Set.of("document", "generate"));
    if (p.has("document") == p.has("generate")) {
      throw new IllegalArgumentException("policy must have exactly one of document or generate");
    }
    if (p.has("document")) {
      JsonNode d = p.get("document");
      return KeyPolicySpec.document(d.isTextual() ? d.asText() : PolicyDocuments.pretty(d));
    }
    ObjectNode g = object(p.get("generate"), "policy.generate", Set.of("administrators", "users"));
    return KeyPolicySpec.generated(
        new PolicyTemplate(
            strings(g.get("administrators"), "policy.generate.administrators"),
            strings(g.get("users"), "policy.generate.users")));
  }

  private static ObjectNode object(JsonNode n, String field, Set<String> allowed) {
    if (!(n instanceof ObjectNode o)) {
      throw new IllegalArgumentException(field + " must be a JSON object");
    }
    if (allowed != null) {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!allowed.contains(name)) {
          throw new IllegalArgumentException(
              field
                  + " has an unknown field '"
                  + name
                  + "'; allowed: "
                  + new java.util.TreeSet<>(allowed));
        }
      }
    }
    return o;
  }

  private static String text(ObjectNode o, String field, boolean required) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw new IllegalArgumentException(field + " is required");
      }
      return null;
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return n.asText();
  }

  private static List<String> strings(JsonNode n, String field) {
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(field + " must be a list of strings");
    }
    for (JsonNode v : n) {
      if (!v.isTextual()) {
        throw new IllegalArgumentException(field + " must be a list of strings");
      }
      out.add(v.asText());
    }
    return out;
  }

  static String write(KeySetSpec s) {
    ObjectNode o = PolicyDocuments.MAPPER.createObjectNode();
    o.put("alias", s.alias());
    o.put("primaryRegion", s.primaryRegion());
    ArrayNode replicas = o.putArray("replicaRegions");
    s.replicaRegions().forEach(replicas::add);
    o.put("keySpec", s.keySpec().toString());
    o.put("keyUsage", s.keyUsage().toString());
    o.put("description", s.description());
    ObjectNode tags = o.putObject("tags");
    s.tags().forEach(tags::put);
    o.putObject("rotation")
        .put("enabled", s.rotation().enabled())
        .put("periodDays", s.rotation().periodDays());
    ObjectNode p = o.putObject("policy");
    if (s.policy().document() != null) {
      p.set("document", PolicyDocuments.parseObject(s.policy().document()));
    } else {
      ObjectNode g = p.putObject("generate");
      ArrayNode admins = g.putArray("administrators");
      s.policy().template().administrators().forEach(admins::add);
      ArrayNode users = g.putArray("users");
      s.policy().template().users().forEach(users::add);
    }
    return PolicyDocuments.pretty(o);
  }
}
