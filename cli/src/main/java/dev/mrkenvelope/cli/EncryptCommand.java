package dev.mrkenvelope.cli;

import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.keyring.Keyring;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mrk-envelope encrypt}. */
@Command(
    name = "encrypt",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description =
        "Encrypt files, directories (recursively, keeping relative paths) or standard input (-)"
            + " under one or more KMS keys, in the AWS Encryption SDK message format. A result"
            + " file appears only complete.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  MRK=arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd",
      "  mrk-envelope encrypt --key $MRK --regions us-east-1,eu-west-1 \\",
      "      --context tenant=acme report.pdf      # writes report.pdf.encrypted",
      "  mrk-envelope encrypt --key $MRK --cache max-age=5m,max-messages=1000 \\",
      "      --output /backup/enc /data",
      "  tar c /etc | mrk-envelope encrypt --key $MRK - > etc.tar.encrypted",
      "",
      "Exit codes: 0 success, 1 a file failed, 2 usage error."
    })
final class EncryptCommand implements Callable<Integer>, HasGlobals {
  @Mixin GlobalOptions globals = new GlobalOptions();
  @Mixin KeyOptions keys = new KeyOptions();
  @Mixin FileOptions files = new FileOptions();

  @Option(
      names = {"-c", "--context"},
      paramLabel = "KEY=VALUE",
      description =
          "An encryption-context pair, stored in the message and authenticated (repeatable).")
  List<String> context = new ArrayList<>();

  @Option(
      names = "--suffix",
      paramLabel = "SUFFIX",
      description = "Appended to result file names. Default: ${DEFAULT-VALUE}.")
  String suffix = ".encrypted";

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    Map<String, String> ec = ContextPairs.parse(context);
    List<Job> jobs = Jobs.plan(files.inputs, files.output, suffix);
    try (KmsSetup kms = new KmsSetup(globals, System.err)) {
      KmsRouter router = kms.router(keys.regions(globals));
      Keyring keyring = keys.encryptKeyring(router);
      EnvelopeClient client;
      try {
        client =
            EnvelopeClient.builder()
                .materialsManager(keys.cache.materialsManager(keyring))
                .algorithmSuite(keys.suite)
                .commitmentPolicy(keys.commitmentPolicy)
                .frameLength(keys.frameLength)
                .build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new UsageException(e.getMessage());
      }
      int code =
          FileRunner.run(
              "encrypt",
              jobs,
              files.overwrite,
              globals,
              (job, in, out) -> {
                // The file's size lets a caching manager apply its byte limit; a stream's is
                // unknown.
                OutputStream enc = client.encryptingStream(new KeepOpen(out), ec, job.size());
                in.transferTo(enc);
                // Only a fully read input gets a final frame: on failure the message stays
                // unfinished.
                enc.close();
              },
              System.err);
      if (globals.debug) {
        System.err.println("mrk-envelope: debug: KMS requests " + kms.callSummary());
      }
      return code;
    }
  }
}
