package dev.mrkenvelope.cli;

import dev.mrkenvelope.aws.admin.DrillReport;
import dev.mrkenvelope.aws.admin.KeySetSpec;
import dev.mrkenvelope.aws.admin.MrkAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.kms.model.KmsException;

/** {@code mrk-envelope drill}: can every Region serve the key? */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description =
        "A disaster-recovery drill for a multi-Region key: in every Region check the key state and"
            + " policy and make a data key, then decrypt every Region's data key in every other"
            + " Region, through each Region's own endpoint. Bounded: at most 3N + N^2 KMS calls"
            + " for N Regions, each within --kms-timeout.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  mrk-envelope drill --spec keyset.json",
      "  mrk-envelope drill --key arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd \\",
      "      --regions us-east-1,eu-west-1,ap-southeast-1 --output json",
      "",
      "Exit codes: 0 every Region ready, 1 a Region or a pair failed (named in the report),",
      "2 usage error."
    })
final class DrillCommand implements Callable<Integer>, HasGlobals {
  @Mixin GlobalOptions globals = new GlobalOptions();
  @Mixin AdminOptions admin = new AdminOptions();

  @Option(
      names = "--key",
      paramLabel = "ARN",
      description = "The MRK to drill (default: the --spec alias's key).")
  String key;

  @Option(
      names = "--regions",
      paramLabel = "REGION",
      split = ",",
      description = "The Regions to drill. Default: the --spec Regions, or the --key ARN's Region.")
  List<String> regions = new ArrayList<>();

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    KeySetSpec spec = key == null || admin.spec != null ? admin.spec() : null;
    List<String> drilled =
        !regions.isEmpty()
            ? regions
            : spec != null ? spec.regions() : List.of(KmsSetup.regionOf(key));
    try (KmsSetup kms = new KmsSetup(globals, System.err);
        MrkAdmin a = AdminOptions.admin(kms, drilled, globals)) {
      String arn = key != null ? key : resolveAlias(kms, spec.alias(), drilled);
      DrillReport report = a.drill(arn, drilled);
      System.out.println(admin.output == OutputFormat.JSON ? report.toJson() : report.toTable());
      return report.ready() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  /** The key's ARN from its alias, asked of the first Region that answers. */
  private static String resolveAlias(KmsSetup kms, String alias, List<String> regions) {
    RuntimeException last = null;
    for (String r : regions) {
      try {
        return kms.client(r).describeKey(b -> b.keyId(alias)).keyMetadata().arn();
      } catch (KmsException | software.amazon.awssdk.core.exception.SdkClientException e) {
        last = e;
      }
    }
    throw new UsageException(
        "cannot find "
            + alias
            + " in any of "
            + regions
            + " ("
            + (last == null ? "" : last.getMessage())
            + "); provision the key set first, or pass --key ARN");
  }
}
