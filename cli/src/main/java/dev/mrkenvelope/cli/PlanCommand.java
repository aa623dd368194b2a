package dev.mrkenvelope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkenvelope.aws.admin.Change;
import dev.mrkenvelope.aws.admin.KeySetSpec;
import dev.mrkenvelope.aws.admin.MrkAdmin;
import dev.mrkenvelope.aws.admin.Plan;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mrk-envelope plan}: what provision would change. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description =
        "Show what 'provision' would change to make the key set match --spec (create the primary,"
            + " replicate, policies, aliases, rotation). Reads KMS in every spec Region; changes"
            + " nothing.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  mrk-envelope plan --spec keyset.json",
      "  mrk-envelope plan --spec keyset.json --output json",
      "",
      "Exit codes: 0 plan shown (empty or not), 1 KMS failed, 2 usage error."
    })
final class PlanCommand implements Callable<Integer>, HasGlobals {
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
      Plan plan = a.plan(spec);
      System.out.println(
          render(plan.keyId(), plan.spec().alias(), plan.changes(), admin.output, "changes"));
      return ExitCodes.OK;
    }
  }

  /** A plan's or an apply result's changes as a table or JSON. */
  static String render(
      String keyId, String alias, List<Change> changes, OutputFormat format, String field)
      throws Exception {
    if (format == OutputFormat.JSON) {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = json.createObjectNode().put("alias", alias).put("keyId", keyId);
      ArrayNode list = root.putArray(field);
      for (Change c : changes) {
        list.addObject()
            .put("kind", c.kind().name())
            .put("region", c.region())
            .put("reason", c.reason());
      }
      return json.writeValueAsString(root);
    }
    if (changes.isEmpty()) {
      return alias + ": nothing to change";
    }
    StringBuilder sb =
        new StringBuilder(String.format("%-24s %-16s %s%n", "CHANGE", "REGION", "REASON"));
    for (Change c : changes) {
      sb.append(String.format("%-24s %-16s %s%n", c.kind(), c.region(), c.reason()));
    }
    return sb.toString().stripTrailing();
  }
}
