package dev.mrkenvelope.aws;

/**
 * Makes text from outside the process (a message's provider info, KMS error messages, key IDs an
 * answer names) safe to put into an exception message: control characters and line breaks are
 * escaped (so no one can forge a log line), and long text is cut.
 */
final class Untrusted {
  /** The longest untrusted text kept in a message; a key ARN is far shorter. */
  static final int MAX_CHARS = 300;

  private Untrusted() {}

  /** {@code s} with control characters as {@code \n}, {@code \r}, {@code \t} or {@code \\uXXXX}. */
  static String escape(String s) {
    if (s == null) {
      return null;
    }
    int n = Math.min(s.length(), MAX_CHARS);
    StringBuilder b = new StringBuilder(n + 16);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c == '\\') {
        b.append("\\\\");
      } else if (Character.isISOControl(c)
          || Character.getType(c) == Character.FORMAT
          || c == '\u2028'
          || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > n) {
      b.append("...(").append(s.length()).append(" chars)");
    }
    return b.toString();
  }
}
