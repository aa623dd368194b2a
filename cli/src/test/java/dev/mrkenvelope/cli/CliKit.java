package dev.mrkenvelope.cli;

import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.SdkClients;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Runs the real {@code mrk-envelope.jar} as a separate process against a kms-local started in the
 * test JVM, and gives the tests SDK clients on the same kms-local (for ESDK-Java).
 */
final class CliKit implements AutoCloseable {
  static final String EAST = "us-east-1";
  static final String WEST = "eu-west-1";
  static final String ACCOUNT = "111122223333";
  private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(4);

  final LocalKms kms;
  private final List<KmsClient> clients = new ArrayList<>();

  CliKit() {
    this(EAST, WEST);
  }

  CliKit(String... regions) {
    kms = LocalKms.builder().regions(regions).account(ACCOUNT).start();
  }

  /** The shaded jar under test: set by failsafe, or the module's build output. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("mrkenvelope.cli.jar", "target/mrk-envelope.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath()
              + " is missing: these tests run in the integration-test phase,"
              + " after the package phase built it (mvn verify)");
    }
    return jar;
  }

  /** The --endpoint-url options that point every Region at kms-local. */
  List<String> endpoints() {
    List<String> args = new ArrayList<>();
    for (String r : kms.regions()) {
      args.add("--endpoint-url");
      args.add(r + "=" + kms.endpoint(r));
    }
    return args;
  }

  /** An SDK client on kms-local, closed with the kit. */
  KmsClient client(String region) {
    KmsClient c = SdkClients.sdkClient(kms, region);
    clients.add(c);
    return c;
  }

  /** The environment of a CLI process: credentials for kms-local and nothing from the host. */
  static Map<String, String> environment(Path home) {
    return Map.of(
        "AWS_ACCESS_KEY_ID", "AKIDTEST",
        "AWS_SECRET_ACCESS_KEY", "test-secret",
        "AWS_CONFIG_FILE", home.resolve("no-aws-config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-aws-credentials").toString(),
        "AWS_EC2_METADATA_DISABLED", "true");
  }

  /** What a CLI process did. */
  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  /** The command that starts the jar with {@code jvmArgs}. */
  static List<String> javaCommand(List<String> jvmArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseSerialGC");
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(jar().toAbsolutePath().toString());
    return cmd;
  }

  /**
   * Runs the jar with {@code args} (kms-local endpoints appended) in {@code dir}; stdin from {@code
   * stdin} or nothing, stdout to {@code stdout} or captured.
   */
  Result run(Path dir, List<String> jvmArgs, List<String> args, Path stdin, Path stdout)
      throws IOException, InterruptedException {
    List<String> cmd = javaCommand(jvmArgs);
    cmd.addAll(args);
    if (args.stream().noneMatch(a -> a.equals("--help"))) {
      cmd.addAll(endpoints());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(environment(dir));
    Path out = stdout != null ? stdout : Files.createTempFile(dir, ".stdout", ".txt");
    Path err = Files.createTempFile(dir, ".stderr", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    } else {
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }
    Process p = pb.start();
    if (!p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the CLI did not finish within " + PROCESS_TIMEOUT + ": " + cmd);
    }
    String o = stdout != null ? "" : Files.readString(out, StandardCharsets.UTF_8);
    String e = Files.readString(err, StandardCharsets.UTF_8);
    if (stdout == null) {
      Files.delete(out);
    }
    Files.delete(err);
    return new Result(p.exitValue(), o, e);
  }

  Result run(Path dir, String... args) throws IOException, InterruptedException {
    return run(dir, List.of(), List.of(args), null, null);
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    clients.forEach(KmsClient::close);
    kms.close();
  }
}
