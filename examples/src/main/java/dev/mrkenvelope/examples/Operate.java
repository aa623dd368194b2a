package dev.mrkenvelope.examples;

import dev.mrkenvelope.aws.admin.ApplyResult;
import dev.mrkenvelope.aws.admin.AuditReport;
import dev.mrkenvelope.aws.admin.CostEstimate;
import dev.mrkenvelope.aws.admin.DrillReport;
import dev.mrkenvelope.aws.admin.KeyPolicySpec;
import dev.mrkenvelope.aws.admin.KeySetSpec;
import dev.mrkenvelope.aws.admin.KmsPrices;
import dev.mrkenvelope.aws.admin.MrkAdmin;
import dev.mrkenvelope.aws.admin.Plan;
import dev.mrkenvelope.aws.admin.PolicyTemplate;
import dev.mrkenvelope.aws.admin.Rotation;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Operating a multi-region key set from code, on kms-local: provision it from a spec, audit it,
 * drill it, break it the way people do (by hand, with plain SDK calls), audit again, repair what
 * code may repair, and show what is left for a human.
 */
public final class Operate {
  private Operate() {}

  /** The reports of one run, in order. */
  public record Reports(
      AuditReport provisioned,
      DrillReport healthy,
      AuditReport broken,
      AuditReport repaired,
      DrillReport afterRepair) {}

  /** Runs the scenario, printing every report to {@code out}. */
  public static Reports run(PrintStream out) {
    try (Lab lab = Lab.start()) {
      List<String> regions = List.of(Lab.US_EAST_1, Lab.EU_WEST_1, Lab.AP_SOUTHEAST_1);
      KeySetSpec spec =
          KeySetSpec.builder()
              .alias("alias/orders")
              .primaryRegion(Lab.US_EAST_1)
              .replicaRegions(Lab.EU_WEST_1, Lab.AP_SOUTHEAST_1)
              .description("orders service data keys")
              .tags(Map.of("team", "payments"))
              .rotation(Rotation.every(365))
              .policy(
                  KeyPolicySpec.generated(
                      new PolicyTemplate(
                          List.of("arn:aws:iam::" + Lab.ACCOUNT + ":role/kms-admin"),
                          List.of("arn:aws:iam::" + Lab.ACCOUNT + ":role/orders-service"))))
              .build();
      out.println("== the key-set spec (JSON, as kept in a repository)");
      out.println(spec.toJson());

      MrkAdmin admin =
          MrkAdmin.builder()
              .clients(
                  Map.of(
                      Lab.US_EAST_1,
                      lab.client(Lab.US_EAST_1),
                      Lab.EU_WEST_1,
                      lab.client(Lab.EU_WEST_1),
                      Lab.AP_SOUTHEAST_1,
                      lab.client(Lab.AP_SOUTHEAST_1)))
              // Generous: the first SDK calls of a fresh JVM take a second or two (class loading).
              .callTimeout(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(50))
              .build();

      out.println("== provision");
      Plan plan = admin.plan(spec);
      out.println(plan);
      ApplyResult applied = admin.apply(plan);
      String keyId = applied.keyId();
      String arn = "arn:aws:kms:" + Lab.US_EAST_1 + ":" + Lab.ACCOUNT + ":key/" + keyId;
      out.println("applied " + applied.applied().size() + " changes; key " + keyId);
      out.println(admin.plan(spec));
      AuditReport provisioned = admin.audit(spec);
      out.println(provisioned.toTable());
      DrillReport healthy = admin.drill(arn, regions);
      out.println(healthy.toTable());
      out.println(
          "monthly cost at 50 requests/s: " + CostEstimate.of(spec, 50, KmsPrices.defaults()));

      out.println();
      out.println("== someone changes things by hand");
      lab.client(Lab.EU_WEST_1).disableKey(b -> b.keyId(keyId));
      out.println("  DisableKey in eu-west-1");
      lab.client(Lab.AP_SOUTHEAST_1).deleteAlias(b -> b.aliasName(spec.alias()));
      out.println("  DeleteAlias alias/orders in ap-southeast-1");
      lab.client(Lab.US_EAST_1).disableKeyRotation(b -> b.keyId(keyId));
      out.println("  DisableKeyRotation on the primary");
      String widened =
          spec.policyDocument()
              .replace(
                  "\"" + Lab.AP_SOUTHEAST_1 + "\"",
                  "\"" + Lab.AP_SOUTHEAST_1 + "\", \"sa-east-1\"");
      lab.client(Lab.US_EAST_1)
          .putKeyPolicy(b -> b.keyId(keyId).policyName("default").policy(widened));
      out.println("  PutKeyPolicy on the primary: kms:ReplicaRegion now also allows sa-east-1");

      out.println();
      out.println("== audit");
      AuditReport broken = admin.audit(spec);
      out.println(broken.toTable());
      Plan repair = admin.plan(spec);
      out.println(repair);
      admin.apply(repair);

      out.println();
      out.println("== audit after apply: what is left needs a human");
      AuditReport repaired = admin.audit(spec);
      out.println(repaired.toTable());
      DrillReport afterRepair = admin.drill(arn, regions);
      out.println(afterRepair.toTable());
      return new Reports(provisioned, healthy, broken, repaired, afterRepair);
    }
  }
}
