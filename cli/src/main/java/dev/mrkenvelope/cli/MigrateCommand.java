package dev.mrkenvelope.cli;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.DecryptingInputStream;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.Reencrypter;
import dev.mrkenvelope.aws.AwsKmsMrkKeyring;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.MultiKeyring;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mrk-envelope migrate}: re-encrypts a tree of messages onto a new key. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description =
        "Re-encrypt encrypted files (a file or a directory tree) from an old key onto a new one,"
            + " usually a multi-Region key: KMS cannot turn a single-Region key into a"
            + " multi-Region key. Each message is decrypted and verified completely and written"
            + " again under a fresh data key (shared between messages within the --cache limits),"
            + " keeping its encryption context and upgrading legacy suites to the committing"
            + " --suite. Results replace the inputs in place, or go to --output DIR with the same"
            + " relative paths; a file appears only complete. Resumable: a result that already"
            + " decrypts with the new key is skipped. Prints a summary: files, bytes, KMS requests"
            + " per Region, failures.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  OLD=arn:aws:kms:us-east-1:111122223333:key/1234abcd",
      "  MRK=arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd",
      "  mrk-envelope migrate --from-key $OLD --to-key $MRK \\",
      "      --regions us-east-1,eu-west-1 --verify --threads 8 \\",
      "      --output /data/migrated /data/encrypted",
      "  # run it again after an interruption: migrated files are skipped",
      "",
      "Exit codes: 0 every file migrated or already migrated, 1 a file failed,",
      "2 usage error."
    })
final class MigrateCommand implements Callable<Integer>, HasGlobals {
  @Mixin GlobalOptions globals = new GlobalOptions();

  @ArgGroup(exclusive = true, multiplicity = "1")
  From from;

  /** The old key: KMS or raw AES. */
  static final class From {
    @Option(
        names = "--from-key",
        paramLabel = "ARN",
        required = true,
        description = "The KMS key the files are encrypted under now (repeatable).")
    List<String> keys;

    @Option(
        names = "--from-raw-aes-key",
        paramLabel = "NAMESPACE:NAME:KEYFILE",
        required = true,
        description =
            "The raw AES wrapping key the files are encrypted under now (key bytes in KEYFILE).")
    String rawKey;
  }

  @Option(
      names = "--to-key",
      paramLabel = "ARN",
      required = true,
      description = "The KMS key to move the files onto, normally a multi-Region key.")
  String toKey;

  @Option(
      names = "--regions",
      paramLabel = "REGION",
      split = ",",
      description =
          "Allowed Regions in preference order; new data keys come from the first that"
              + " answers. Default: the --to-key Region, then the --from-key Regions.")
  List<String> regions = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description =
          "Write results here, keeping relative paths. Default: replace each input in place.")
  Path output;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Files migrated in parallel. Default: ${DEFAULT-VALUE}.")
  int threads = 4;

  @Option(
      names = "--verify",
      description =
          "Before counting a file done, decrypt its result with the new key in another"
              + " allowed Region than the first (needs two --regions).")
  boolean verify;

  @Option(
      names = "--cache",
      paramLabel = "SPEC",
      converter = CacheSpecConverter.class,
      description =
          "Data-key reuse for the new messages, or none. Default: max-age=5m,max-messages=1000.")
  CacheSpec cache = CacheSpec.parse("max-age=5m,max-messages=1000");

  @Option(
      names = "--suite",
      paramLabel = "SUITE",
      description = "Suite of the new messages (committing). Default: ${DEFAULT-VALUE}.")
  AlgorithmSuite suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;

  @Option(
      names = "--frame-length",
      paramLabel = "BYTES",
      description = "Frame length of the new messages. Default: ${DEFAULT-VALUE}.")
  int frameLength = 4096;

  @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Encrypted files or directories.")
  List<Path> inputs = new ArrayList<>();

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() throws Exception {
    if (threads < 1 || threads > 256) {
      throw new UsageException("--threads must be between 1 and 256: " + threads);
    }
    List<Job> jobs = plan();
    PrintStream err = System.err;
    try (KmsSetup kms = new KmsSetup(globals, err)) {
      List<String> allowed = allowedRegions();
      KmsRouter router = kms.router(allowed);
      Keyring oldKeyring =
          from.rawKey != null ? RawKeySpec.keyring(from.rawKey) : kmsKeyring(from.keys, router);
      Keyring newKeyring = AwsKmsMrkKeyring.builder().keyArn(toKey).router(router).build();
      Reencrypter reencrypter;
      try {
        reencrypter =
            Reencrypter.builder()
                .decryptWith(oldKeyring)
                .encryptWith(cache.materialsManager(newKeyring))
                .algorithmSuite(suite)
                .frameLength(frameLength)
                .build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new UsageException(e.getMessage());
      }
      EnvelopeClient newKeyReader = reader(newKeyring);
      EnvelopeClient verifier = null;
      List<String> verifyRegions = List.of();
      if (verify) {
        if (allowed.size() < 2) {
          throw new UsageException(
              "--verify decrypts each result in another Region: pass two or more --regions,"
                  + " e.g. --regions us-east-1,eu-west-1");
        }
        verifyRegions = allowed.subList(1, allowed.size());
        verifier =
            reader(
                AwsKmsMrkKeyring.builder().keyArn(toKey).router(kms.router(verifyRegions)).build());
      }
      Counts counts = new Counts();
      long totalBytes = jobs.stream().mapToLong(j -> Math.max(0, j.size())).sum();
      try (Progress progress = Progress.create(globals, "migrate", totalBytes, jobs.size(), err)) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          List<Future<?>> futures = new ArrayList<>();
          EnvelopeClient v = verifier;
          for (Job job : jobs) {
            futures.add(
                pool.submit(() -> migrateOne(job, reencrypter, newKeyReader, v, progress, counts)));
          }
          for (Future<?> f : futures) {
            f.get();
          }
        } finally {
          pool.shutdownNow();
        }
      }
      if (!globals.quiet) {
        PrintStream out = System.out;
        out.printf(
            Locale.ROOT,
            "migrate: %d files: %d migrated, %d already migrated, %d failed; %d bytes read, %d bytes written%n",
            jobs.size(),
            counts.migrated.get(),
            counts.skipped.get(),
            counts.failed.get(),
            counts.bytesIn.get(),
            counts.bytesOut.get());
        if (verify) {
          out.println(
              "verified: "
                  + counts.migrated.get()
                  + " results decrypted with the new key in "
                  + verifyRegions);
        }
        out.println("KMS requests: " + kms.callSummary());
        out.flush();
      }
      return counts.failed.get() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  private void migrateOne(
      Job job,
      Reencrypter reencrypter,
      EnvelopeClient newKeyReader,
      EnvelopeClient verifier,
      Progress progress,
      Counts counts) {
    try {
      if (Files.exists(job.target()) && decrypts(newKeyReader, job.target())) {
        counts.skipped.incrementAndGet();
        progress.addBytes(Math.max(0, job.size()));
        return;
      }
      AtomicOutput.write(
          job.target(),
          true,
          out -> {
            try (InputStream in =
                new CountingInputStream(
                    new BufferedInputStream(Files.newInputStream(job.source()), 1 << 16),
                    progress)) {
              CountingOutputStream counted = new CountingOutputStream(out);
              reencrypter.reencrypt(in, counted, job.size());
              counts.bytesOut.addAndGet(counted.count);
            }
          },
          written -> {
            if (verifier != null && !decrypts(verifier, written)) {
              throw new IOException(
                  "the result did not decrypt with the new key in the verify Regions");
            }
          });
      counts.bytesIn.addAndGet(Math.max(0, job.size()));
      counts.migrated.incrementAndGet();
    } catch (Exception e) {
      counts.failed.incrementAndGet();
      progress.println(Errors.describe(job.name(), e));
      if (globals.debug) {
        e.printStackTrace(System.err);
      }
    } finally {
      progress.fileDone();
    }
  }

  /** True if the file is a message the client decrypts and verifies completely. */
  private static boolean decrypts(EnvelopeClient client, Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        DecryptingInputStream plain = client.decryptingStream(in)) {
      plain.transferTo(OutputStream.nullOutputStream());
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static EnvelopeClient reader(Keyring keyring) {
    return EnvelopeClient.builder().keyring(keyring).build();
  }

  private static Keyring kmsKeyring(List<String> arns, KmsRouter router) {
    List<Keyring> rings = new ArrayList<>();
    for (String arn : arns) {
      KmsSetup.regionOf(arn);
      rings.add(AwsKmsMrkKeyring.builder().keyArn(arn).router(router).build());
    }
    return rings.size() == 1
        ? rings.get(0)
        : MultiKeyring.builder()
            .generator(rings.get(0))
            .children(rings.subList(1, rings.size()))
            .build();
  }

  private List<String> allowedRegions() {
    if (!regions.isEmpty()) {
      return regions;
    }
    Set<String> r = new LinkedHashSet<>();
    r.add(KmsSetup.regionOf(toKey));
    if (from.keys != null) {
      from.keys.forEach(k -> r.add(KmsSetup.regionOf(k)));
    }
    return List.copyOf(r);
  }

  private List<Job> plan() throws IOException {
    List<Job> jobs = new ArrayList<>();
    for (Path in : inputs) {
      if (Files.isDirectory(in)) {
        Path base = in.toAbsolutePath().normalize();
        if (output != null && output.toAbsolutePath().normalize().startsWith(base)) {
          throw new UsageException(
              "--output "
                  + output
                  + " is inside the input directory "
                  + in
                  + "; choose a directory outside it");
        }
        try (Stream<Path> walk = Files.walk(in)) {
          for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
            if (f.getFileName().toString().endsWith(".partial")) {
              continue; // a temporary file of an interrupted run
            }
            Path target = output == null ? f : output.resolve(in.relativize(f).toString());
            jobs.add(new Job(f, target, Files.size(f)));
          }
        }
      } else if (Files.isRegularFile(in)) {
        Path target = output == null ? in : output.resolve(in.getFileName().toString());
        jobs.add(new Job(in, target, Files.size(in)));
      } else {
        throw new UsageException("no such file or directory: " + in);
      }
    }
    return jobs;
  }

  /** What the summary reports. */
  private static final class Counts {
    final AtomicLong migrated = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
  }

  /** Counts what is written. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }
  }
}
