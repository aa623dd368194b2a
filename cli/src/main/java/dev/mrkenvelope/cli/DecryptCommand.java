package dev.mrkenvelope.cli;

import dev.mrkenvelope.DecryptingInputStream;
import dev.mrkenvelope.DecryptionFailedException;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.keyring.Keyring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mrk-envelope decrypt}. */
@Command(
    name = "decrypt",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description =
        "Decrypt files, directories (recursively, keeping relative paths) or standard input (-)."
            + " A result file appears only once its message decrypted and verified completely; a"
            + " damaged, truncated or foreign message leaves no file behind. To standard output,"
            + " frames are written as they verify (a signed message's signature is checked at its"
            + " end): check the exit code.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  MRK=arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd",
      "  mrk-envelope decrypt --key $MRK --regions eu-west-1,us-east-1 \\",
      "      --context tenant=acme report.pdf.encrypted",
      "      # writes report.pdf.encrypted.decrypted",
      "  mrk-envelope decrypt --discovery --account 111122223333 \\",
      "      --regions eu-west-1 --output /restore /backup/enc",
      "  mrk-envelope decrypt --key $MRK --output - etc.tar.encrypted | tar x",
      "",
      "Exit codes: 0 success, 1 a file failed, 2 usage error."
    })
final class DecryptCommand implements Callable<Integer>, HasGlobals {
  @Mixin GlobalOptions globals = new GlobalOptions();
  @Mixin KeyOptions keys = new KeyOptions();
  @Mixin FileOptions files = new FileOptions();

  @Option(
      names = {"-c", "--context"},
      paramLabel = "KEY=VALUE",
      description =
          "A pair the message's encryption context must contain; checked after the"
              + " header authenticated, before any plaintext is written (repeatable).")
  List<String> context = new ArrayList<>();

  @Option(
      names = "--suffix",
      paramLabel = "SUFFIX",
      description = "Appended to result file names. Default: ${DEFAULT-VALUE}.")
  String suffix = ".decrypted";

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    Map<String, String> required = ContextPairs.parse(context);
    List<Job> jobs = Jobs.plan(files.inputs, files.output, suffix);
    try (KmsSetup kms = new KmsSetup(globals, System.err)) {
      KmsRouter router = kms.router(keys.regions(globals));
      Keyring keyring = keys.decryptKeyring(router);
      EnvelopeClient client =
          EnvelopeClient.builder()
              .materialsManager(keys.cache.materialsManager(keyring))
              .commitmentPolicy(keys.commitmentPolicy)
              .build();
      int code =
          FileRunner.run(
              "decrypt",
              jobs,
              files.overwrite,
              globals,
              (job, in, out) -> {
                DecryptingInputStream plain = client.decryptingStream(in);
                checkContext(plain.encryptionContext(), required);
                plain.transferTo(out);
              },
              System.err);
      if (globals.debug) {
        System.err.println("mrk-envelope: debug: KMS requests " + kms.callSummary());
      }
      return code;
    }
  }

  static void checkContext(Map<String, String> actual, Map<String, String> required) {
    for (Map.Entry<String, String> e : required.entrySet()) {
      String v = actual.get(e.getKey());
      if (!e.getValue().equals(v)) {
        throw new DecryptionFailedException(
            "the message's encryption context "
                + (v == null ? "has no key '" + e.getKey() + "'" : "has " + e.getKey() + "=" + v)
                + ", but --context requires "
                + e.getKey()
                + "="
                + e.getValue()
                + "; nothing was written");
      }
    }
  }
}
