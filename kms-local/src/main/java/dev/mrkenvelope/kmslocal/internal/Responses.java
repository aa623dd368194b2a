package dev.mrkenvelope.kmslocal.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Building response bodies: JSON nodes, tag lists and ListX paging (numeric markers). Stateless.
 */
final class Responses {
  private Responses() {}

  static ObjectNode object() {
    return JsonRequest.MAPPER.createObjectNode();
  }

  static ArrayNode array(List<String> values) {
    ArrayNode a = JsonRequest.MAPPER.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  static ArrayNode tagArray(Map<String, String> tags) {
    ArrayNode a = JsonRequest.MAPPER.createArrayNode();
    tags.forEach((key, v) -> a.addObject().put("TagKey", key).put("TagValue", v));
    return a;
  }

  static int marker(JsonRequest req) {
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
    throw KmsError.of(
        "InvalidMarkerException", "Marker " + marker + " was not returned by a previous call.");
  }

  /**
   * One page of a ListX answer: {@code member} holds at most {@code limit} entries of {@code items}
   * from the request's Marker on, then {@code Truncated} and, when truncated, {@code NextMarker}.
   */
  static <T> ObjectNode page(
      JsonRequest req, int limit, String member, List<T> items, Function<T, ObjectNode> entry) {
    int start = marker(req);
    int end = Math.min(items.size(), start + limit);
    ObjectNode out = object();
    ArrayNode arr = out.putArray(member);
    for (int i = start; i < end; i++) {
      arr.add(entry.apply(items.get(i)));
    }
    boolean truncated = end < items.size();
    out.put("Truncated", truncated);
    if (truncated) {
      out.put("NextMarker", Integer.toString(end));
    }
    return out;
  }
}
