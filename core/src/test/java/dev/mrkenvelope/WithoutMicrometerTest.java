package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import dev.mrkenvelope.materials.CachingMaterialsManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * Micrometer is an optional dependency: a client built without a {@code MeterRegistry} must work
 * when micrometer-core is not on the class path at all. Runs {@link Program} in a new JVM whose
 * class path is this one's without Micrometer.
 */
class WithoutMicrometerTest {
  private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

  @Test
  void clientWithoutRegistry_worksWithoutMicrometerOnTheClassPath() throws Exception {
    List<String> classPath =
        Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> withoutMicrometer =
        classPath.stream().filter(e -> !e.contains("micrometer")).collect(Collectors.toList());
    assertThat(withoutMicrometer)
        .as("this JVM's class path has Micrometer")
        .hasSizeLessThan(classPath.size());

    String out =
        runJava(String.join(File.pathSeparator, withoutMicrometer), Program.class.getName());

    assertThat(out)
        .contains(METER_REGISTRY + " absent")
        .contains("byte[] round trip ok")
        .contains("stream round trip ok")
        .contains("cached round trip ok");
  }

  private static String runJava(String classPath, String mainClass)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-cp", classPath, mainClass).redirectErrorStream(true).start();
    byte[] output;
    try (InputStream in = p.getInputStream()) {
      output = in.readAllBytes();
    }
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("forked JVM finished").isTrue();
    String out = new String(output, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit code; output:%n%s", out).isZero();
    return out;
  }

  /** The forked program: every client path without a registry. */
  static final class Program {
    private Program() {}

    public static void main(String[] args) throws Exception {
      try {
        Class.forName(METER_REGISTRY);
        throw new IllegalStateException("Micrometer is on the class path; the test proves nothing");
      } catch (ClassNotFoundException expected) {
        System.out.println(METER_REGISTRY + " absent");
      }
      byte[] key = new byte[32];
      Keyring keyring =
          RawAesKeyring.builder().keyNamespace("ns").keyName("k").wrappingKey(key).build();
      byte[] plaintext = "no metrics, no Micrometer".getBytes(StandardCharsets.UTF_8);
      Map<String, String> context = Map.of("tenant", "acme");

      EnvelopeClient client = EnvelopeClient.builder().keyring(keyring).build();
      check(client.decrypt(client.encrypt(plaintext, context).ciphertext()).plaintext(), plaintext);
      System.out.println("byte[] round trip ok");

      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream s = client.encryptingStream(sink, context)) {
        s.write(plaintext);
      }
      try (InputStream s = client.decryptingStream(new ByteArrayInputStream(sink.toByteArray()))) {
        check(s.readAllBytes(), plaintext);
      }
      System.out.println("stream round trip ok");

      EnvelopeClient cached =
          EnvelopeClient.builder()
              .materialsManager(
                  CachingMaterialsManager.builder()
                      .keyring(keyring)
                      .maxAge(Duration.ofMinutes(1))
                      .build())
              .build();
      for (int i = 0; i < 3; i++) {
        check(
            cached.decrypt(cached.encrypt(plaintext, context).ciphertext()).plaintext(), plaintext);
      }
      System.out.println("cached round trip ok");
    }

    private static void check(byte[] actual, byte[] expected) {
      if (!Arrays.equals(actual, expected)) {
        throw new AssertionError("round trip changed the plaintext");
      }
    }
  }
}
