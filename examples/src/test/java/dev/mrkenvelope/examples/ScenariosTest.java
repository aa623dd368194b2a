package dev.mrkenvelope.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each scenario in a shortened form, checked for its outcome rather than its output. */
class ScenariosTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void quickstart_roundTripsTheMessage() {
    assertThat(Quickstart.run()).isEqualTo("hello, multi-region world");
  }

  @Test
  void drFailover_losesNothingWhenUsEast1GoesDown() throws Exception {
    Summary s = DrFailover.run(out, 300, 0, true);

    assertThat(s.failures).as("failures; last error: %s", s.lastError).isZero();
    assertThat(s.messages).isEqualTo(300);
    // After the outage the writer's data keys come from a replica.
    assertThat(s.kmsRequests.get(Lab.EU_WEST_1)).containsKey("GenerateDataKey");
    // Whether a replica's answer counts as a failover or a hedge depends on timing.
    assertThat(s.failovers + s.hedges).isPositive();
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("us-east-1 is DOWN")
        .contains("Nothing was lost");
    // Not a terminal: plain lines, no carriage returns or escape codes.
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("300/300 messages, 0 failures | KMS requests")
        .doesNotContain("\r")
        .doesNotContain("\u001b");
  }

  @Test
  void activeActive_decryptsLocallyInEachReadersRegion() throws Exception {
    Summary s = DrFailover.run(out, 200, 0, false);

    assertThat(s.failures).as("failures; last error: %s", s.lastError).isZero();
    assertThat(s.kmsRequests.get(Lab.US_EAST_1)).doesNotContainKey("Decrypt");
    assertThat(s.kmsRequests.get(Lab.EU_WEST_1)).containsKey("Decrypt");
    assertThat(s.kmsRequests.get(Lab.AP_SOUTHEAST_1)).containsKey("Decrypt");
    // The writer prefers us-east-1; on a loaded machine a slow answer may be hedged to a replica,
    // so replicas may also serve a few data keys.
    assertThat(s.kmsRequests.get(Lab.US_EAST_1)).containsKey("GenerateDataKey");
    assertThat(s.cacheHitRatio).isGreaterThan(0.5);
  }

  @Test
  void cache_cutsGenerateDataKeyCallsToOnePerKeyLifetime() {
    long[] calls = CacheScenario.run(out, 500, 100);

    assertThat(calls[0]).isEqualTo(500);
    assertThat(calls[1]).isEqualTo(5);
  }

  @Test
  void operate_provisionsAuditsBreaksAndLeavesOnlyTheDisabledReplicaForAHuman() {
    Operate.Reports r = Operate.run(out);

    assertThat(r.provisioned().clean()).isTrue();
    assertThat(r.healthy().ready()).isTrue();
    assertThat(r.broken().findings())
        .extracting(f -> f.kind().name())
        .containsExactlyInAnyOrder(
            "KEY_DISABLED", "ALIAS_MISSING", "ROTATION_DISABLED", "REPLICA_REGION_OUTSIDE_SPEC");
    assertThat(r.repaired().findings())
        .extracting(f -> f.kind().name())
        .containsExactly("KEY_DISABLED");
    // The disabled eu-west-1 replica fails its row and column; the other four cells pass.
    assertThat(r.afterRepair().failures())
        .hasSize(5)
        .allMatch(c -> c.from().equals(Lab.EU_WEST_1) || c.to().equals(Lab.EU_WEST_1));
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("\"alias\" : \"alias/orders\"")
        .contains("human decision")
        .contains("NOT READY");
  }

  @Test
  void globalSigning_everyTokenSignedAndVerifiedWhileUsEast1IsDown() throws Exception {
    GlobalSigning.Result r = GlobalSigning.run(out, 90);

    assertThat(r.failures).as("failures; last error: %s", r.lastError).isZero();
    assertThat(r.verified).isEqualTo(90);
    assertThat(r.issuedBy)
        .containsEntry(Lab.US_EAST_1, 30)
        .containsEntry(Lab.EU_WEST_1, 30)
        .containsEntry(Lab.AP_SOUTHEAST_1, 30);
    // No hedging: each token was signed in exactly one region.
    assertThat(r.signedIn.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(90);
    // The us-east-1 service signed at most its first 10 tokens at home (a slow answer on a busy
    // machine may fail over earlier); the rest went to the replicas.
    assertThat(r.signedIn.get(Lab.US_EAST_1)).isBetween(1L, 10L);
    assertThat(r.signedIn.get(Lab.EU_WEST_1) + r.signedIn.get(Lab.AP_SOUTHEAST_1))
        .isGreaterThanOrEqualTo(80);
    assertThat(r.failovers).isPositive();
    assertThat(r.kmsVerifyRequests).isZero();
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("us-east-1 is DOWN")
        .contains("\"kid\":\"mrk-")
        .contains("every one verified");
  }

  @Test
  void help_listsEveryScenario() throws Exception {
    PrintStream old = System.out;
    System.setOut(out);
    try {
      Main.main(new String[] {"--help"});
    } finally {
      System.setOut(old);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains(
            "dr-failover", "active-active", "quickstart", "cache", "operate", "global-signing");
  }
}
