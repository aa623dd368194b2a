package dev.mrkenvelope.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns the command line's inputs and {@code --output} into jobs, named like the ESDK command line:
 * a file's result sits beside it (or in the {@code --output} directory) with a suffix; a directory
 * is walked recursively and its files' results keep their paths relative to it under {@code
 * --output}; {@code -} is standard input, written to standard output unless {@code --output} names
 * a file.
 */
final class Jobs {
  private Jobs() {}

  static List<Job> plan(List<String> inputs, String output, String suffix) {
    if (inputs.isEmpty()) {
      throw new UsageException(
          "name at least one input file or directory, or - for standard input");
    }
    long stdin = inputs.stream().filter("-"::equals).count();
    if (stdin > 0 && inputs.size() > 1) {
      throw new UsageException("- (standard input) cannot be combined with other inputs");
    }
    if (stdin == 1) {
      Path target = output == null || output.equals("-") ? null : Path.of(output);
      return List.of(new Job(null, target, -1));
    }
    if ("-".equals(output)) {
      if (inputs.size() != 1 || Files.isDirectory(Path.of(inputs.get(0)))) {
        throw new UsageException("--output - (standard output) takes exactly one input file");
      }
      Path source = Path.of(inputs.get(0));
      return List.of(new Job(source, null, size(source)));
    }
    Path outDir = output == null ? null : Path.of(output);
    boolean manyResults =
        inputs.size() > 1 || inputs.stream().anyMatch(i -> Files.isDirectory(Path.of(i)));
    boolean outputIsDir = outDir != null && (Files.isDirectory(outDir) || manyResults);
    List<Job> jobs = new ArrayList<>();
    for (String input : inputs) {
      Path in = Path.of(input);
      if (Files.isDirectory(in)) {
        if (outDir == null) {
          throw new UsageException(
              input + " is a directory: name the directory for the results with --output DIR");
        }
        Path base = in.toAbsolutePath().normalize();
        if (outDir.toAbsolutePath().normalize().startsWith(base)) {
          throw new UsageException(
              "--output "
                  + output
                  + " is inside the input directory "
                  + input
                  + "; choose a directory outside it");
        }
        try (Stream<Path> walk = Files.walk(in)) {
          walk.filter(Files::isRegularFile)
              .sorted()
              .forEach(
                  f -> {
                    Path rel = in.relativize(f);
                    Path target = outDir.resolve(rel.toString() + suffix);
                    jobs.add(new Job(f, target, size(f)));
                  });
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        Path target;
        if (outputIsDir) {
          target = outDir.resolve(in.getFileName().toString() + suffix);
        } else if (outDir != null) {
          target = outDir;
        } else {
          target = in.resolveSibling(in.getFileName().toString() + suffix);
        }
        jobs.add(new Job(in, target, size(in)));
      }
    }
    return jobs;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1; // reported when the job opens it
    }
  }
}
