package dev.mrkenvelope.cli;

import dev.mrkenvelope.aws.admin.ApplyResult;
import dev.mrkenvelope.aws.admin.KeySetSpec;
import dev.mrkenvelope.aws.admin.MrkAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mrk-envelope provision}: make the key set match the spec. */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description =
        "Make the key set match --spec: create the multi-Region primary key, replicate it, set the"
            + " same key policy and alias in every Region and rotation on the primary. Idempotent:"
            + " a second run changes nothing. Never deletes or re-enables a key (audit reports"
            + " those for a human).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  mrk-envelope plan --spec keyset.json        # review first",
      "  mrk-envelope provision --spec keyset.json",
      "",
      "Exit codes: 0 the key set matches, 1 a KMS call failed (the message names the fix),",
      "2 usage error."
    })
final class ProvisionCommand implements Callable<Integer>, HasGlobals {
  @Mixin GlobalOptions globals = new GlobalOptions();
  @Mixin AdminOptions admin = new AdminOptions();

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() throws Exception {
    KeySetSpec spec = admin.spec();
    try (KmsSetup kms = new KmsSetup(globals, System.err);
        MrkAdmin a = AdminOptions.admin(kms, spec.regions(), globals)) {
      ApplyResult result = a.apply(a.plan(spec));
      System.out.println(
          PlanCommand.render(
              result.keyId(), spec.alias(), result.applied(), admin.output, "applied"));
      return ExitCodes.OK;
    }
  }
}
