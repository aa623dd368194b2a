package dev.mrkenvelope.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;

/**
 * Runs {@code encrypt} or {@code decrypt} over its jobs, one after another: each result written
 * atomically (or to standard output), each failure reported and counted, the rest carried on.
 */
final class FileRunner {
  /** What a command does to one input. */
  interface Transform {
    void apply(Job job, InputStream in, OutputStream out) throws IOException;
  }

  private FileRunner() {}

  /** Returns the exit code: 0 if every job succeeded, 1 otherwise. */
  static int run(
      String task,
      List<Job> jobs,
      boolean overwrite,
      GlobalOptions g,
      Transform transform,
      PrintStream err) {
    long total = jobs.stream().mapToLong(Job::size).sum();
    if (jobs.stream().anyMatch(j -> j.size() < 0)) {
      total = -1;
    }
    int failures = 0;
    try (Progress progress = Progress.create(g, task, total, jobs.size(), err)) {
      for (Job job : jobs) {
        try {
          runOne(job, overwrite, progress, transform);
        } catch (Exception e) {
          failures++;
          progress.println(Errors.describe(job.name(), e));
          if (g.debug) {
            e.printStackTrace(err);
          }
        } finally {
          progress.fileDone();
        }
      }
    }
    if (failures > 0 && !g.quiet) {
      err.println("mrk-envelope: " + task + ": " + failures + " of " + jobs.size() + " failed");
    }
    return failures == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private static void runOne(Job job, boolean overwrite, Progress progress, Transform transform)
      throws IOException {
    try (InputStream raw = job.source() == null ? System.in : Files.newInputStream(job.source());
        InputStream in = new CountingInputStream(new BufferedInputStream(raw, 1 << 16), progress)) {
      if (job.target() == null) {
        OutputStream out =
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        transform.apply(job, in, out);
        out.flush();
      } else {
        AtomicOutput.write(job.target(), overwrite, out -> transform.apply(job, in, out));
      }
    }
  }
}
