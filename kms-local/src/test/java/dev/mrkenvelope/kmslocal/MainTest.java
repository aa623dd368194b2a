package dev.mrkenvelope.kmslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

class MainTest {
  @Test
  void help_printsUsage() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(Main.parse(List.of("--help"), new PrintStream(out, true, StandardCharsets.UTF_8)))
        .isNull();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--regions").contains("--port-base");
  }

  @Test
  void arguments_startServingEveryRegion() {
    LocalKms.Builder b =
        Main.parse(
            List.of("--regions", "us-east-1,eu-west-1", "--account=999988887777"), System.out);
    try (LocalKms kms = b.start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Main.printEndpoints(kms, new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("us-east-1 http://127.0.0.1:")
          .contains("eu-west-1 http://127.0.0.1:")
          .contains("999988887777");
      try (KmsClient c = SdkClients.noRetries(kms, "eu-west-1")) {
        assertThat(c.createKey(r -> {}).keyMetadata().arn())
            .startsWith("arn:aws:kms:eu-west-1:999988887777:key/");
      }
    }
  }

  @Test
  void badArguments_nameTheFix() {
    assertThatThrownBy(() -> Main.parse(List.of(), System.out))
        .hasMessageContaining("--regions is required");
    assertThatThrownBy(
            () -> Main.parse(List.of("--regions", "us-east-1", "--port-base", "x"), System.out))
        .hasMessageContaining("--port-base must be a number");
    assertThatThrownBy(() -> Main.parse(List.of("--bogus", "1"), System.out))
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> Main.parse(List.of("--regions", "Mars"), System.out))
        .hasMessageContaining("us-east-1");
  }

  @Test
  void portBase_givesConsecutiveFixedPorts() throws Exception {
    int base;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      base = probe.getLocalPort();
    }
    try (LocalKms kms =
        LocalKms.builder().regions("us-east-1", "us-west-2").portBase(base).start()) {
      assertThat(kms.endpoint("us-east-1").getPort()).isEqualTo(base);
      assertThat(kms.endpoint("us-west-2").getPort()).isEqualTo(base + 1);
    }
  }

  @Test
  void healAfterClose_doesNotRebind() {
    LocalKms kms = LocalKms.builder().regions("us-east-1").start();
    kms.faults("us-east-1").outage();
    kms.close();
    assertThatThrownBy(() -> kms.faults("us-east-1").heal())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    kms.close(); // idempotent
  }

  @Test
  void builderMisuse_failsWithTheFix() {
    assertThatThrownBy(() -> LocalKms.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regions(");
    assertThatThrownBy(() -> LocalKms.builder().account("12"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12 digits");
    assertThatThrownBy(() -> LocalKms.builder().regions("us-east-1", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
