package dev.mrkenvelope.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The file options that {@code encrypt} and {@code decrypt} share: inputs, where results go, and
 * whether they may replace files. Each command keeps its own {@code --suffix} (its default differs)
 * and {@code --context} (its meaning differs).
 */
final class FileOptions {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "PATH",
      description =
          "Where results go: a file (one input), a directory, or - for standard output."
              + " Default: beside each input file.")
  String output;

  @Option(names = "--overwrite", description = "Replace result files that exist (default: fail).")
  boolean overwrite;

  @Parameters(paramLabel = "INPUT", description = "Files, directories, or - for standard input.")
  List<String> inputs = new ArrayList<>();
}
