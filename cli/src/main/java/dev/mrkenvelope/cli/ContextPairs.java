package dev.mrkenvelope.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeated {@code --context key=value} options. */
final class ContextPairs {
  private ContextPairs() {}

  static Map<String, String> parse(List<String> pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String p : pairs) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(
            "--context '" + p + "' is not key=value, e.g. --context tenant=acme");
      }
      String key = p.substring(0, eq);
      if (m.put(key, p.substring(eq + 1)) != null) {
        throw new UsageException("--context names the key '" + key + "' twice");
      }
    }
    return m;
  }
}
