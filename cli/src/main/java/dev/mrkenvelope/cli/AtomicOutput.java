package dev.mrkenvelope.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a result file so that it exists only complete: into a temporary file beside the target
 * (owner-only permissions), renamed over the target after the writer returned, deleted if it threw.
 * A failed decrypt therefore never leaves partial plaintext behind.
 */
final class AtomicOutput {
  private AtomicOutput() {}

  /** Writes what {@code writer} produces; the target appears only if it returns normally. */
  interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Checks the finished temporary file before it is renamed into place. */
  interface Check {
    void check(Path written) throws IOException;
  }

  static void write(Path target, boolean overwrite, Writer writer) throws IOException {
    write(target, overwrite, writer, written -> {});
  }

  static void write(Path target, boolean overwrite, Writer writer, Check check) throws IOException {
    if (!overwrite && Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
    boolean done = false;
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
        writer.writeTo(out);
      }
      check.check(temp);
      if (!overwrite && Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
