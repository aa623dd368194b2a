package dev.mrkenvelope.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Turns a failure into what a user reads: the library's own message (it names the key, the Regions
 * tried, the KMS error code and a hint), each attempt it lists, and the causes, without a stack
 * trace.
 */
final class Errors {
  private Errors() {}

  static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder("mrk-envelope: error: ");
    append(sb, t, "", new IdentityHashMap<>());
    return sb.toString();
  }

  /** One line for a per-file failure, plus the attempt lines when there are any. */
  static String describe(String file, Throwable t) {
    StringBuilder sb = new StringBuilder("mrk-envelope: ").append(file).append(": ");
    append(sb, t, "", new IdentityHashMap<>());
    return sb.toString();
  }

  private static void append(
      StringBuilder sb, Throwable t, String indent, Map<Throwable, Boolean> seen) {
    if (seen.put(t, Boolean.TRUE) != null) {
      return;
    }
    sb.append(message(t));
    for (Throwable s : t.getSuppressed()) {
      sb.append(System.lineSeparator()).append(indent).append("  - ");
      append(sb, s, indent + "    ", seen);
    }
    Throwable cause = t.getCause();
    if (cause != null && !seen.containsKey(cause) && !message(t).contains(message(cause))) {
      sb.append(System.lineSeparator()).append(indent).append("  caused by: ");
      append(sb, cause, indent + "  ", seen);
    }
  }

  private static String message(Throwable t) {
    if (t instanceof UncheckedIOException u && u.getCause() != null) {
      return message(u.getCause());
    }
    if (t instanceof NoSuchFileException e) {
      return "no such file: " + e.getFile();
    }
    if (t instanceof FileAlreadyExistsException e) {
      return e.getFile() + " exists; pass --overwrite to replace it";
    }
    if (t instanceof AccessDeniedException e) {
      return "permission denied: " + e.getFile();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
