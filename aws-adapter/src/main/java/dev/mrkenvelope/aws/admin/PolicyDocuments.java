package dev.mrkenvelope.aws.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Key policy documents as JSON: parsing, pretty printing, a normal form for comparing two policies
 * that differ only in layout, and what a policy lets {@code kms:ReplicateKey} do.
 */
final class PolicyDocuments {
  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** KMS's own limit on a key policy's length. */
  static final int MAX_POLICY_CHARS = 32_768;

  /** Fields whose string value is a single value; elsewhere a string means a one-element set. */
  private static final Set<String> SINGLE_VALUED = Set.of("Version", "Id", "Sid", "Effect");

  /** Means "no kms:ReplicaRegion condition": every Region is allowed. */
  static final String ANY_REGION = "*";

  private PolicyDocuments() {}

  static ObjectNode parseObject(String json) {
    if (json.length() > MAX_POLICY_CHARS) {
      throw new IllegalArgumentException(
          "key policy must be at most " + MAX_POLICY_CHARS + " characters: " + json.length());
    }
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n instanceof ObjectNode o && o.has("Statement")) {
        return o;
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "key policy is not valid JSON (" + e.getOriginalMessage() + "); fix the document", e);
    }
    throw new IllegalArgumentException(
        "key policy must be a JSON object with a Statement member: " + abbreviate(json));
  }

  static String pretty(JsonNode n) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }

  /** Whether two policies say the same thing, ignoring layout, member and statement order. */
  static boolean equivalent(String a, String b) {
    return normalise(parseObject(a), "").equals(normalise(parseObject(b), ""));
  }

  /**
   * A normal form: object members sorted; a string where IAM takes a string or a list becomes a
   * one-element list; lists sorted and de-duplicated; actions and condition keys lower-cased (IAM
   * compares them ignoring case); {@code "Principal": "*"} written as {@code {"AWS": ["*"]}}.
   */
  private static JsonNode normalise(JsonNode n, String field) {
    if (n.isObject()) {
      ObjectNode out = MAPPER.createObjectNode();
      Map<String, JsonNode> sorted = new TreeMap<>();
      boolean lowerKeys = field.startsWith("Condition:");
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = lowerKeys ? e.getKey().toLowerCase(Locale.ROOT) : e.getKey();
        String childField = field.equals("Condition") ? "Condition:" + key : key;
        sorted.put(key, normalise(e.getValue(), childField));
      }
      sorted.forEach(out::set);
      return out;
    }
    if (field.equals("Principal") && n.isTextual()) {
      ObjectNode p = MAPPER.createObjectNode();
      p.putArray("AWS").add(n.asText());
      return p;
    }
    if (n.isArray() || (n.isTextual() && !SINGLE_VALUED.contains(field))) {
      Iterable<JsonNode> items = n.isArray() ? n : List.of(n);
      TreeMap<String, JsonNode> set = new TreeMap<>();
      for (JsonNode item : items) {
        JsonNode v = item.isTextual() ? item : normalise(item, field);
        if (v.isTextual() && (field.equals("Action") || field.equals("NotAction"))) {
          v = MAPPER.getNodeFactory().textNode(v.asText().toLowerCase(Locale.ROOT));
        }
        set.put(v.toString(), v);
      }
      ArrayNode out = MAPPER.createArrayNode();
      set.values().forEach(out::add);
      return out;
    }
    return n;
  }

  /**
   * The Regions a policy lets someone replicate the key to: the values of {@code kms:ReplicaRegion}
   * conditions on every Allow statement whose actions cover {@code kms:ReplicateKey}, or {@link
   * #ANY_REGION} when such a statement has no such condition. Empty when no statement allows
   * replication.
   */
  static Set<String> replicaRegionsAllowed(String policy) {
    Set<String> regions = new TreeSet<>();
    for (JsonNode s : asList(parseObject(policy).get("Statement"))) {
      if (!"Allow".equals(s.path("Effect").asText()) || !allowsReplicateKey(s)) {
        continue;
      }
      List<String> values = new ArrayList<>();
      JsonNode condition = s.path("Condition");
      for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext(); ) {
        for (Iterator<Map.Entry<String, JsonNode>> keys = ops.next().getValue().fields();
            keys.hasNext(); ) {
          Map.Entry<String, JsonNode> k = keys.next();
          if (k.getKey().equalsIgnoreCase("kms:ReplicaRegion")) {
            asList(k.getValue()).forEach(v -> values.add(v.asText()));
          }
        }
      }
      if (values.isEmpty()) {
        regions.add(ANY_REGION);
      } else {
        regions.addAll(values);
      }
    }
    return regions;
  }

  private static boolean allowsReplicateKey(JsonNode statement) {
    if (statement.has("NotAction")) {
      for (JsonNode a : asList(statement.get("NotAction"))) {
        if (glob(a.asText(), "kms:replicatekey")) {
          return false;
        }
      }
      return true;
    }
    for (JsonNode a : asList(statement.path("Action"))) {
      if (glob(a.asText(), "kms:replicatekey")) {
        return true;
      }
    }
    return false;
  }

  /** IAM action matching: case-insensitive, {@code *} any run of characters, {@code ?} one. */
  private static boolean glob(String pattern, String action) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return action.matches(regex.toString());
  }

  private static List<JsonNode> asList(JsonNode n) {
    List<JsonNode> out = new ArrayList<>();
    if (n == null || n.isMissingNode() || n.isNull()) {
      return out;
    }
    if (n.isArray()) {
      n.forEach(out::add);
    } else {
      out.add(n);
    }
    return out;
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
