package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.SdkClients;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency of aws-adapter too: a router built without a {@code
 * MeterRegistry}, with its keyring, failover and hedging, must work when micrometer-core is not on
 * the class path at all. Runs {@link Program} in a new JVM whose class path is this one's without
 * Micrometer.
 */
class WithoutMicrometerTest {
  private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

  @Test
  void routerWithoutRegistry_worksWithoutMicrometerOnTheClassPath() throws Exception {
    List<String> classPath =
        Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> withoutMicrometer =
        classPath.stream().filter(e -> !e.contains("micrometer")).collect(Collectors.toList());
    assertThat(withoutMicrometer)
        .as("this JVM's class path has Micrometer")
        .hasSizeLessThan(classPath.size());

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                String.join(File.pathSeparator, withoutMicrometer),
                Program.class.getName())
            .redirectErrorStream(true)
            .start();
    byte[] output;
    try (InputStream in = p.getInputStream()) {
      output = in.readAllBytes();
    }
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("forked JVM finished").isTrue();
    String out = new String(output, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit code; output:%n%s", out).isZero();
    assertThat(out)
        .contains(METER_REGISTRY + " absent")
        .contains("round trip ok")
        .contains("failover ok");
  }

  /** The forked program: a keyring on a router without a registry, healthy and failing over. */
  static final class Program {
    private Program() {}

    public static void main(String[] args) throws IOException {
      try {
        Class.forName(METER_REGISTRY);
        throw new IllegalStateException("Micrometer is on the class path; the test proves nothing");
      } catch (ClassNotFoundException expected) {
        System.out.println(METER_REGISTRY + " absent");
      }
      String a = "us-east-1";
      String b = "eu-west-1";
      try (LocalKms kms = LocalKms.builder().regions(a, b).replicaCreation(Duration.ZERO).start();
          KmsRouter router =
              KmsRouter.builder()
                  .regions(a, b)
                  .hedgeAfter(Duration.ofMillis(50))
                  .attemptTimeout(Duration.ofSeconds(2)) // a cold child JVM on a busy CI box
                  .clientCustomizer(
                      (region, builder) ->
                          builder
                              .endpointOverride(kms.endpoint(region))
                              .credentialsProvider(SdkClients.credentials()))
                  .build()) {
        String keyArn = kms.keyArn(a, kms.createMultiRegionKey(a, b));
        EnvelopeClient client =
            EnvelopeClient.builder()
                .keyring(AwsKmsMrkKeyring.builder().keyArn(keyArn).router(router).build())
                .build();
        byte[] plaintext = "no metrics, no Micrometer".getBytes(StandardCharsets.UTF_8);
        byte[] ciphertext = client.encrypt(plaintext, Map.of("tenant", "acme")).ciphertext();
        check(client.decrypt(ciphertext).plaintext(), plaintext);
        System.out.println("round trip ok");
        kms.faults(a).blackhole();
        check(client.decrypt(ciphertext).plaintext(), plaintext);
        System.out.println("failover ok");
      }
    }

    private static void check(byte[] actual, byte[] expected) {
      if (!Arrays.equals(actual, expected)) {
        throw new AssertionError("round trip changed the plaintext");
      }
    }
  }
}
