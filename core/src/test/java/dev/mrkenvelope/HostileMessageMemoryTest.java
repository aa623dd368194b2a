package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawRsaKeyring;
import dev.mrkenvelope.keyring.RsaPadding;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §3 acceptance: hostile messages cost a reader what its limits allow, not what the sender
 * wrote, in a JVM with a 64 MiB heap ({@code java -Xmx64m -XX:+ExitOnOutOfMemoryError}, this test's
 * class path, running {@link Child}).
 *
 * <ul>
 *   <li>A stream announcing 65,535 EDKs × 65,535-byte fields (12 GiB of header): 8 at once, with
 *       the default limits (stops at the EDK count) and with the EDK limit raised to 65,535 (stops
 *       at the header size), each reading at most {@code maxHeaderSize} bytes.
 *   <li>65,535 junk EDKs naming the reader's raw AES key (5.7 MB) and raw RSA key (18 MB), byte[]
 *       and stream: with the defaults no keyring runs at all; with every limit raised the AES
 *       message still ends in a typed exception (one stack-less failure per attempt); at the
 *       default EDK limit an RSA reader makes exactly 16 attempts.
 * </ul>
 *
 * Bytes read and unwrap attempts are asserted; CPU time is printed, not asserted (shared machine).
 */
class HostileMessageMemoryTest {

  @Test
  void hostileMessages_endInTypedExceptions_withBoundedReadsAndAttempts_inA64MiBHeap()
      throws Exception {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    File java = new File(System.getProperty("java.home"), "bin/java");
    List<String> command =
        List.of(
            java.getPath(),
            "-Xmx64m",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            classPath,
            Child.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, Map<String, String>> checks = new HashMap<>();
    List<String> output = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        System.out.println("[HostileMessageMemoryTest child] " + line);
        output.add(line);
        if (line.startsWith("CHECK ")) {
          Map<String, String> kv = new HashMap<>();
          for (String part : line.substring(6).split(" ")) {
            String[] x = part.split("=", 2);
            kv.put(x[0], x[1]);
          }
          checks.put(kv.get("name"), kv);
        }
      }
    }
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the child JVM did not finish in 3 minutes");
    }
    assertThat(p.exitValue())
        .as("child exit code (3 = OutOfMemoryError); output: %s", output)
        .isZero();

    int maxHeader = EnvelopeClient.DEFAULT_MAX_HEADER_SIZE;
    assertCheck(checks, "parallel-defaults", "LimitExceededException", "ENCRYPTED_DATA_KEYS");
    assertThat(Long.parseLong(checks.get("parallel-defaults").get("maxBytesRead"))).isEqualTo(39);
    assertCheck(checks, "parallel-edk-limit-raised", "LimitExceededException", "HEADER_SIZE");
    assertThat(Long.parseLong(checks.get("parallel-edk-limit-raised").get("maxBytesRead")))
        .isLessThanOrEqualTo(maxHeader);
    for (String keyring : List.of("aes", "rsa")) {
      for (String api : List.of("bytes", "stream")) {
        String name = "junk-" + keyring + "-" + api + "-defaults";
        assertCheck(checks, name, "LimitExceededException", "ENCRYPTED_DATA_KEYS");
        assertThat(checks.get(name).get("keyringCalls")).as(name).isEqualTo("0");
        if (api.equals("stream")) {
          assertThat(Long.parseLong(checks.get(name).get("bytesRead"))).as(name).isEqualTo(39);
        }
      }
    }
    for (String api : List.of("bytes", "stream")) {
      String name = "junk-aes-" + api + "-all-limits-raised";
      assertCheck(checks, name, "NoDecryptableKeyException", "-");
      assertThat(checks.get(name).get("attempts")).as(name).isEqualTo("65535");
    }
    assertCheck(checks, "junk-rsa-bytes-16-edks", "NoDecryptableKeyException", "-");
    assertThat(checks.get("junk-rsa-bytes-16-edks").get("attempts")).isEqualTo("16");
  }

  private static void assertCheck(
      Map<String, Map<String, String>> checks, String name, String type, String limit) {
    assertThat(checks).as("the child reported %s", name).containsKey(name);
    assertThat(checks.get(name).get("exception")).as(name).isEqualTo(type);
    assertThat(checks.get(name).get("limit")).as(name).isEqualTo(limit);
    assertThat(checks.get(name).get("all"))
        .as("%s: every run ended the same way", name)
        .isEqualTo("true");
  }

  /** The child JVM: runs each scenario and prints one CHECK line per scenario. */
  static final class Child {
    private Child() {}

    public static void main(String[] args) throws Exception {
      parallelHugeEdkStreams("parallel-defaults", MessageFixtures.KEYRING, 16);
      parallelHugeEdkStreams("parallel-edk-limit-raised", MessageFixtures.KEYRING, 0xFFFF);

      byte[] aes =
          HostileMessages.junkEdkMessage(
              0xFFFF, "props", HostileMessages.rawAesProviderInfo("aes-256"), 48, 1);
      System.out.printf("junk AES message: %d bytes%n", aes.length);
      junk(
          "junk-aes-bytes-defaults", MessageFixtures.KEYRING, aes, false, EnvelopeClient.builder());
      junk(
          "junk-aes-stream-defaults", MessageFixtures.KEYRING, aes, true, EnvelopeClient.builder());
      junk("junk-aes-bytes-all-limits-raised", MessageFixtures.KEYRING, aes, false, raised());
      junk("junk-aes-stream-all-limits-raised", MessageFixtures.KEYRING, aes, true, raised());
      aes = null;

      Keyring rsa = rsaKeyring();
      byte[] rsaInfo = "rsa-2048".getBytes(StandardCharsets.UTF_8);
      byte[] rsaMessage = HostileMessages.junkEdkMessage(0xFFFF, "rsa", rsaInfo, 256, 2);
      System.out.printf("junk RSA message: %d bytes%n", rsaMessage.length);
      junk("junk-rsa-bytes-defaults", rsa, rsaMessage, false, EnvelopeClient.builder());
      junk("junk-rsa-stream-defaults", rsa, rsaMessage, true, EnvelopeClient.builder());
      rsaMessage = null;
      junk(
          "junk-rsa-bytes-16-edks",
          rsa,
          HostileMessages.junkEdkMessage(16, "rsa", rsaInfo, 256, 3),
          false,
          EnvelopeClient.builder());
      System.out.flush();
      System.exit(0);
    }

    private static EnvelopeClient.Builder raised() {
      return EnvelopeClient.builder().maxEncryptedDataKeys(0xFFFF).maxHeaderSize(16 << 20);
    }

    /** Eight hostile streams decrypted at once, from one thread each. */
    private static void parallelHugeEdkStreams(String name, Keyring keyring, int maxEdks)
        throws Exception {
      EnvelopeClient client =
          EnvelopeClient.builder().keyring(keyring).maxEncryptedDataKeys(maxEdks).build();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<String[]>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(
            pool.submit(
                () -> {
                  HostileMessages.CountingInputStream source =
                      new HostileMessages.CountingInputStream(HostileMessages.hugeEdkStream());
                  String[] outcome =
                      outcome(
                          () -> {
                            try (DecryptingInputStream in = client.decryptingStream(source)) {
                              in.read();
                            }
                            return null;
                          });
                  return new String[] {outcome[0], outcome[1], String.valueOf(source.count)};
                }));
      }
      long maxRead = 0;
      boolean same = true;
      String[] first = null;
      for (Future<String[]> f : runs) {
        String[] r = f.get(2, TimeUnit.MINUTES);
        first = first == null ? r : first;
        same &= r[0].equals(first[0]) && r[1].equals(first[1]);
        maxRead = Math.max(maxRead, Long.parseLong(r[2]));
      }
      pool.shutdown();
      System.out.printf(
          "CHECK name=%s exception=%s limit=%s all=%s maxBytesRead=%d%n",
          name, first[0], first[1], same, maxRead);
    }

    /** Decrypts a junk-EDK message twice (the second run measured); prints its outcome and cost. */
    private static void junk(
        String name, Keyring keyring, byte[] message, boolean stream, EnvelopeClient.Builder b)
        throws Exception {
      HostileMessages.CountingKeyring counting = new HostileMessages.CountingKeyring(keyring);
      EnvelopeClient client = b.keyring(counting).build();
      String[] outcome = null;
      boolean same = true;
      long cpu = 0;
      long bytesRead = 0;
      for (int run = 0; run < 2; run++) {
        HostileMessages.CountingInputStream source =
            new HostileMessages.CountingInputStream(new ByteArrayInputStream(message));
        long cpu0 = cpuNanos();
        String[] o =
            outcome(
                () -> {
                  if (stream) {
                    try (InputStream in = client.decryptingStream(source)) {
                      in.read();
                    }
                  } else {
                    client.decrypt(message);
                  }
                  return null;
                });
        cpu = cpuNanos() - cpu0;
        bytesRead = source.count;
        same &=
            outcome == null
                || (o[0].equals(outcome[0]) && o[1].equals(outcome[1]) && o[2].equals(outcome[2]));
        outcome = o;
      }
      System.out.printf(
          "CHECK name=%s exception=%s limit=%s attempts=%s all=%s keyringCalls=%d bytesRead=%d cpuMs=%.1f%n",
          name,
          outcome[0],
          outcome[1],
          outcome[2],
          same,
          counting.decryptCalls.get() / 2,
          stream ? bytesRead : message.length,
          cpu / 1e6);
    }

    /** {exception type, limit or "-", suppressed count} of what {@code action} threw. */
    private static String[] outcome(java.util.concurrent.Callable<Void> action) {
      try {
        action.call();
        return new String[] {"none", "-", "0"};
      } catch (LimitExceededException e) {
        return new String[] {
          e.getClass().getSimpleName(), e.limit().name(), String.valueOf(e.getSuppressed().length)
        };
      } catch (Exception e) {
        return new String[] {
          e.getClass().getSimpleName(), "-", String.valueOf(e.getSuppressed().length)
        };
      }
    }

    private static long cpuNanos() {
      return Jmx.threadCpuNanos();
    }

    private static Keyring rsaKeyring() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair kp = g.generateKeyPair();
      return RawRsaKeyring.builder()
          .keyNamespace("rsa")
          .keyName("rsa-2048")
          .padding(RsaPadding.OAEP_SHA256_MGF1)
          .publicKey(kp.getPublic())
          .privateKey(kp.getPrivate())
          .build();
    }
  }
}
