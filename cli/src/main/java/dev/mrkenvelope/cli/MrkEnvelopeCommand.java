package dev.mrkenvelope.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level command: only subcommands. */
@Command(
    name = "mrk-envelope",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description =
        "Envelope encryption on AWS KMS multi-Region keys, in the AWS Encryption SDK message"
            + " format: files encrypted here decrypt with every ESDK language, and the other way"
            + " round.",
    subcommands = {
      EncryptCommand.class,
      DecryptCommand.class,
      MigrateCommand.class,
      PlanCommand.class,
      ProvisionCommand.class,
      AuditCommand.class,
      DrillCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  MRK=arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd",
      "  mrk-envelope encrypt --key $MRK --regions us-east-1,eu-west-1 \\",
      "      --context tenant=acme report.pdf",
      "  mrk-envelope decrypt --discovery --account 111122223333 \\",
      "      --regions eu-west-1 report.pdf.encrypted",
      "  mrk-envelope migrate --from-key $OLD --to-key $MRK \\",
      "      --regions us-east-1,eu-west-1 --verify --output /data/new /data/old",
      "  mrk-envelope provision --spec keyset.json",
      "  mrk-envelope audit --spec keyset.json --output json",
      "  mrk-envelope drill --spec keyset.json",
      "",
      "Exit codes: 0 success, 1 a file failed or audit/drill findings, 2 usage error.",
      "Run 'mrk-envelope COMMAND --help' for a command's options."
    })
final class MrkEnvelopeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "name a command: encrypt, decrypt, migrate, plan, provision, audit or drill");
  }
}
