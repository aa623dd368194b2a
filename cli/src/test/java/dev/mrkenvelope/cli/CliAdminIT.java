package dev.mrkenvelope.cli;

import static dev.mrkenvelope.cli.CliKit.EAST;
import static dev.mrkenvelope.cli.CliKit.WEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** provision, plan, audit and drill, run as the real jar against kms-local. */
class CliAdminIT {
  static final String SOUTH = "ap-southeast-1";
  static final String SPEC =
      """
      {"alias": "alias/cli-orders", "primaryRegion": "us-east-1",
       "replicaRegions": ["eu-west-1", "ap-southeast-1"],
       "policy": {"generate": {"administrators": ["arn:aws:iam::111122223333:role/kms-admin"],
                               "users": ["arn:aws:iam::111122223333:role/app"]}}}
      """;

  static CliKit kit;

  @BeforeAll
  static void start() {
    kit = new CliKit(EAST, WEST, SOUTH);
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static int count(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void provisionThenDrift_auditFindsEachDrift_drillNamesABlackholedRegion(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("keyset.json"), SPEC);

    CliKit.Result provision = kit.run(dir, "provision", "--spec", "keyset.json");
    assertThat(provision.exitCode()).as(provision.toString()).isZero();
    assertThat(provision.stdout()).contains("CREATE_PRIMARY").contains(WEST).contains(SOUTH);
    CliKit.Result plan = kit.run(dir, "plan", "--spec", "keyset.json");
    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(plan.stdout()).contains("nothing to change");
    CliKit.Result clean = kit.run(dir, "audit", "--spec", "keyset.json");
    assertThat(clean.exitCode()).as(clean.toString()).isZero();

    // Two drifts, made with plain SDK calls.
    String keyId =
        kit.client(EAST).describeKey(b -> b.keyId("alias/cli-orders")).keyMetadata().keyId();
    kit.client(WEST).disableKey(b -> b.keyId(keyId));
    kit.client(SOUTH).deleteAlias(b -> b.aliasName("alias/cli-orders"));

    CliKit.Result audit = kit.run(dir, "audit", "--spec", "keyset.json", "--output", "json");
    assertThat(audit.exitCode()).as(audit.toString()).isEqualTo(1);
    assertThat(count(audit.stdout(), "\"kind\"")).as(audit.stdout()).isEqualTo(2);
    assertThat(audit.stdout()).contains("KEY_DISABLED").contains("ALIAS_MISSING");
    CliKit.Result table = kit.run(dir, "audit", "--spec", "keyset.json");
    assertThat(table.exitCode()).isEqualTo(1);
    assertThat(table.stdout()).contains(WEST).contains(SOUTH);

    // provision repairs the alias; the disabled replica needs a human.
    assertThat(kit.run(dir, "provision", "--spec", "keyset.json", "--output", "json").exitCode())
        .isZero();
    kit.client(WEST).enableKey(b -> b.keyId(keyId));
    CliKit.Result ready = kit.run(dir, "drill", "--spec", "keyset.json");
    assertThat(ready.exitCode()).as(ready.toString()).isZero();

    kit.kms.faults(SOUTH).blackhole();
    try {
      CliKit.Result drill =
          kit.run(dir, "drill", "--spec", "keyset.json", "--kms-timeout", "2", "--output", "json");
      assertThat(drill.exitCode()).as(drill.toString()).isEqualTo(1);
      assertThat(drill.stdout()).contains(SOUTH);
    } finally {
      kit.kms.faults(SOUTH).heal();
    }
  }

  @Test
  void missingOrBadSpec_isAUsageError(@TempDir Path dir) throws Exception {
    assertThat(kit.run(dir, "audit").exitCode()).isEqualTo(2);
    Files.writeString(dir.resolve("bad.json"), "{\"alias\": \"orders\"}");
    CliKit.Result bad = kit.run(dir, "plan", "--spec", "bad.json");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("bad.json");
  }
}
