package dev.mrkenvelope.cli;

import dev.mrkenvelope.aws.admin.AuditReport;
import dev.mrkenvelope.aws.admin.KeySetSpec;
import dev.mrkenvelope.aws.admin.MrkAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mrk-envelope audit}: every way the key set drifted from its spec. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description =
        "Report every way the key set differs from --spec (missing or disabled replicas,"
            + " differing policies, missing aliases, rotation, Regions outside the spec), each with"
            + " its Region and the fix. Changes nothing; usable in CI.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  mrk-envelope audit --spec keyset.json",
      "  mrk-envelope audit --spec keyset.json --output json > audit.json || alert",
      "",
      "Exit codes: 0 no findings, 1 findings (or KMS failed), 2 usage error."
    })
final class AuditCommand implements Callable<Integer>, HasGlobals {
  @Mixin GlobalOptions globals = new GlobalOptions();
  @Mixin AdminOptions admin = new AdminOptions();

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    KeySetSpec spec = admin.spec();
    try (KmsSetup kms = new KmsSetup(globals, System.err);
        MrkAdmin a = AdminOptions.admin(kms, spec.regions(), globals)) {
      AuditReport report = a.audit(spec);
      System.out.println(admin.output == OutputFormat.JSON ? report.toJson() : report.toTable());
      return report.clean() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
