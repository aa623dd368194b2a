package dev.mrkenvelope.internal;

/**
 * Makes text that came from a message (provider IDs, provider info, encryption context keys) safe
 * to put into an exception message, which services log: control characters (a newline would forge a
 * log line), Unicode line separators and bidirectional overrides become {@code \\uXXXX} escapes,
 * and long text is cut. Escaping is idempotent: escaped text passes through unchanged.
 */
public final class Untrusted {
  /** The most characters of one untrusted value an exception message carries. */
  public static final int MAX_CHARS = 512;

  private Untrusted() {}

  /** {@code s} escaped and cut to {@link #MAX_CHARS}; {@code "null"} for null. */
  public static String text(String s) {
    if (s == null) {
      return "null";
    }
    int n = Math.min(s.length(), MAX_CHARS);
    int i = 0;
    while (i < n && !needsEscape(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s; // the common case: nothing to escape, nothing to cut
    }
    StringBuilder sb = new StringBuilder(n + 32).append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (needsEscape(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (s.length() > n) {
      sb.append("...(").append(s.length()).append(" chars)");
    }
    return sb.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20
        || (c >= 0x7F && c <= 0x9F)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069);
  }
}
