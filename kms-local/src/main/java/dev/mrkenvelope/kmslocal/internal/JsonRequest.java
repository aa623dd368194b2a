package dev.mrkenvelope.kmslocal.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed, validating access to one awsJson1.1 request body. Missing required members become {@code
 * ValidationException}; members of the wrong JSON type become {@code SerializationException}, as on
 * real KMS.
 *
 * <p>Not thread-safe; one instance per request.
 */
public final class JsonRequest {
  /** Shared and thread-safe once configured; building one per request would dominate the cost. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final ObjectNode body;

  private JsonRequest(ObjectNode body) {
    this.body = body;
  }

  /** Wraps an already built request, for the Java-side conveniences of LocalKms. */
  public static JsonRequest of(ObjectNode body) {
    return new JsonRequest(body);
  }

  /** Parses a request body; an empty body counts as {@code {}} as the SDK itself does. */
  public static JsonRequest parse(byte[] bytes) {
    if (bytes.length == 0) {
      return new JsonRequest(MAPPER.createObjectNode());
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw KmsError.of("SerializationException", "Request body is not valid JSON");
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      return new JsonRequest(MAPPER.createObjectNode());
    }
    if (!node.isObject()) {
      throw KmsError.of("SerializationException", "Request body must be a JSON object");
    }
    return new JsonRequest((ObjectNode) node);
  }

  private JsonNode member(String name, JsonNodeType type) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.getNodeType() != type) {
      throw KmsError.of(
          "SerializationException",
          "Member " + name + " must be a JSON " + type.name().toLowerCase(java.util.Locale.ROOT));
    }
    return n;
  }

  public boolean has(String name) {
    JsonNode n = body.get(name);
    return n != null && !n.isNull();
  }

  public String string(String name) {
    JsonNode n = member(name, JsonNodeType.STRING);
    return n == null ? null : n.textValue();
  }

  public String requiredString(String name) {
    String s = string(name);
    if (s == null) {
      throw KmsError.missing(name);
    }
    return s;
  }

  /** A string member that must be one of {@code allowed}; {@code dflt} when absent. */
  public String enumValue(String name, String dflt, String... allowed) {
    String s = string(name);
    if (s == null) {
      return dflt;
    }
    for (String a : allowed) {
      if (a.equals(s)) {
        return s;
      }
    }
    throw KmsError.validation(
        name, "Member must satisfy enum value set: " + String.join(", ", allowed));
  }

  public Integer integer(String name) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw KmsError.of("SerializationException", "Member " + name + " must be an integer");
    }
    return n.intValue();
  }

  public int intInRange(String name, int dflt, int min, int max) {
    Integer v = integer(name);
    if (v == null) {
      return dflt;
    }
    if (v < min || v > max) {
      throw KmsError.validation(
          name, "Member must have value between " + min + " and " + max + " (was " + v + ")");
    }
    return v;
  }

  public boolean bool(String name) {
    JsonNode n = member(name, JsonNodeType.BOOLEAN);
    return n != null && n.booleanValue();
  }

  public byte[] blob(String name) {
    JsonNode n = member(name, JsonNodeType.STRING);
    if (n == null) {
      return null;
    }
    try {
      return n.binaryValue();
    } catch (IOException | IllegalArgumentException e) {
      throw KmsError.of("SerializationException", "Member " + name + " is not valid base64");
    }
  }

  /** A blob member whose length must lie in [min, max], as the KMS model constrains it. */
  public byte[] requiredBlob(String name, int min, int max) {
    byte[] b = blob(name);
    if (b == null) {
      throw KmsError.missing(name);
    }
    if (b.length < min || b.length > max) {
      throw KmsError.validation(
          name, "Member must have length between " + min + " and " + max + " bytes");
    }
    return b;
  }

  /**
   * A list of strings such as GrantTokens: absent is empty; at most {@code maxItems} items of 1 to
   * {@code maxLength} characters each, as the KMS model constrains them.
   */
  public java.util.List<String> stringList(String name, int maxItems, int maxLength) {
    JsonNode n = member(name, JsonNodeType.ARRAY);
    if (n == null || n.size() == 0) {
      return java.util.List.of();
    }
    if (n.size() > maxItems) {
      throw KmsError.validation(name, "Member must have length less than or equal to " + maxItems);
    }
    java.util.List<String> out = new java.util.ArrayList<>(n.size());
    for (JsonNode item : n) {
      if (!item.isTextual()) {
        throw KmsError.of("SerializationException", "Items of " + name + " must be strings");
      }
      String v = item.textValue();
      if (v.isEmpty() || v.length() > maxLength) {
        throw KmsError.validation(name, "Each item must have length between 1 and " + maxLength);
      }
      out.add(v);
    }
    return out;
  }

  /** A string→string map such as EncryptionContext; an absent member is the empty map. */
  public Map<String, String> stringMap(String name) {
    JsonNode n = member(name, JsonNodeType.OBJECT);
    if (n == null || n.size() == 0) {
      return Collections.emptyMap();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw KmsError.of("SerializationException", "Values of " + name + " must be strings");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /** Tags as [{TagKey, TagValue}], validated like real KMS (TagException for reserved keys). */
  public Map<String, String> tags(String name) {
    JsonNode n = member(name, JsonNodeType.ARRAY);
    if (n == null) {
      return Collections.emptyMap();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode t : n) {
      JsonNode k = t.get("TagKey");
      JsonNode v = t.get("TagValue");
      if (k == null || !k.isTextual()) {
        throw KmsError.missing("TagKey");
      }
      if (v == null || !v.isTextual()) {
        throw KmsError.missing("TagValue");
      }
      String key = k.textValue();
      if (key.isEmpty() || key.length() > 128 || v.textValue().length() > 256) {
        throw KmsError.validation("TagKey", "Tag keys need 1-128 and values 0-256 characters");
      }
      if (key.startsWith("aws:")) {
        throw KmsError.of("TagException", "Tags beginning with aws: are reserved");
      }
      if (out.put(key, v.textValue()) != null) {
        throw KmsError.of("TagException", "Duplicate tag keys");
      }
    }
    return out;
  }

  public JsonNode raw(String name) {
    return body.get(name);
  }

  /** Epoch seconds as a plain decimal with millisecond precision (never ISO, never 1.7E9). */
  public static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }
}
