package dev.mrkenvelope.cli;

import java.nio.file.Path;

/**
 * One input and where its result goes. A null source is standard input; a null target is standard
 * output.
 */
record Job(Path source, Path target, long size) {
  String name() {
    return source == null ? "-" : source.toString();
  }
}
