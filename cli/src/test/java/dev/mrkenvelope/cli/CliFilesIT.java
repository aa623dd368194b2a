package dev.mrkenvelope.cli;

import static dev.mrkenvelope.cli.CliKit.EAST;
import static dev.mrkenvelope.cli.CliKit.WEST;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsMrkKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/** encrypt and decrypt, run as the real jar in its own JVM, against kms-local. */
class CliFilesIT {
  /**
   * The large-file size, 300 MiB as the issue asks (about 12 s for this test on an idle 2-core
   * machine); -Dmrkenvelope.it.largeMiB=N changes it.
   */
  static final int LARGE_MIB = Integer.getInteger("mrkenvelope.it.largeMiB", 300);

  static CliKit kit;
  static String mrkEast;
  static String mrkWest;

  @BeforeAll
  static void start() {
    kit = new CliKit();
    String id = kit.kms.createMultiRegionKey(EAST, WEST);
    mrkEast = kit.kms.keyArn(EAST, id);
    mrkWest = kit.kms.keyArn(WEST, id);
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static Path randomFile(Path file, long bytes, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= buf.length) {
        random.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
    return file;
  }

  @Test
  void largeFile_encryptedInEastDecryptedInWest_underXmx64m_isByteIdentical(@TempDir Path dir)
      throws Exception {
    Path plain = randomFile(dir.resolve("big.bin"), (long) LARGE_MIB << 20, 1);
    List<String> xmx = List.of("-Xmx64m");
    CliKit.Result enc =
        kit.run(
            dir,
            xmx,
            List.of(
                "encrypt",
                "--key",
                mrkEast,
                "--regions",
                EAST + "," + WEST,
                "--context",
                "purpose=large",
                "--frame-length",
                "65536",
                "big.bin"),
            null,
            null);
    assertThat(enc.exitCode()).as(enc.toString()).isZero();
    Path encrypted = dir.resolve("big.bin.encrypted");
    assertThat(Files.size(encrypted)).isGreaterThan(Files.size(plain));

    kit.kms.resetRequestCounts();
    CliKit.Result dec =
        kit.run(
            dir,
            xmx,
            List.of(
                "decrypt",
                "--key",
                mrkWest,
                "--regions",
                WEST,
                "--context",
                "purpose=large",
                "big.bin.encrypted"),
            null,
            null);
    assertThat(dec.exitCode()).as(dec.toString()).isZero();
    assertThat(CliKit.sha256(dir.resolve("big.bin.encrypted.decrypted")))
        .isEqualTo(CliKit.sha256(plain));
    assertThat(kit.kms.requestCount(WEST, "Decrypt")).isEqualTo(1);
    assertThat(kit.kms.requestCount(EAST)).isZero();
  }

  @Test
  void encryptedFile_decryptsWithEsdkJava302InTheOtherRegion(@TempDir Path dir) throws Exception {
    Path plain = randomFile(dir.resolve("report.pdf"), 100_000, 2);
    CliKit.Result enc =
        kit.run(dir, "encrypt", "--key", mrkEast, "--context", "tenant=acme", "report.pdf");
    assertThat(enc.exitCode()).as(enc.toString()).isZero();

    MaterialProviders mpl =
        MaterialProviders.builder()
            .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
            .build();
    var keyring =
        mpl.CreateAwsKmsMrkKeyring(
            CreateAwsKmsMrkKeyringInput.builder()
                .kmsKeyId(mrkWest)
                .kmsClient(kit.client(WEST))
                .build());
    AwsCrypto esdk =
        AwsCrypto.builder()
            .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
            .build();
    var result = esdk.decryptData(keyring, Files.readAllBytes(dir.resolve("report.pdf.encrypted")));
    assertThat(result.getResult()).isEqualTo(Files.readAllBytes(plain));
    assertThat(result.getEncryptionContext()).containsEntry("tenant", "acme");
  }

  @Test
  void bitFlippedOrTruncatedInput_exits1_andLeavesNoOutputFile(@TempDir Path dir) throws Exception {
    randomFile(dir.resolve("data.bin"), 300_000, 3);
    assertThat(kit.run(dir, "encrypt", "--key", mrkEast, "data.bin").exitCode()).isZero();
    byte[] good = Files.readAllBytes(dir.resolve("data.bin.encrypted"));

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    Files.write(dir.resolve("flipped.encrypted"), flipped);
    Files.write(dir.resolve("truncated.encrypted"), java.util.Arrays.copyOf(good, good.length - 1));

    for (String bad : List.of("flipped.encrypted", "truncated.encrypted")) {
      CliKit.Result r = kit.run(dir, "decrypt", "--key", mrkEast, bad);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(dir.resolve(bad + ".decrypted")).doesNotExist();
      assertThat(r.stderr()).contains(bad).doesNotContain("\tat ").doesNotContain("Exception:");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
    // With --debug the stack trace is shown.
    CliKit.Result debug = kit.run(dir, "decrypt", "--debug", "--key", mrkEast, "flipped.encrypted");
    assertThat(debug.exitCode()).isEqualTo(1);
    assertThat(debug.stderr()).contains("\tat ");
  }

  @Test
  void directory_roundTripsKeepingRelativePaths_andExistingOutputsNeedOverwrite(@TempDir Path dir)
      throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/a/b"));
    randomFile(src.resolve("one.bin"), 5000, 4);
    randomFile(dir.resolve("src/two.bin"), 0, 5);
    CliKit.Result enc = kit.run(dir, "encrypt", "--key", mrkEast, "--output", "enc", "src");
    assertThat(enc.exitCode()).as(enc.toString()).isZero();
    assertThat(dir.resolve("enc/a/b/one.bin.encrypted")).exists();
    assertThat(dir.resolve("enc/two.bin.encrypted")).exists();

    CliKit.Result dec =
        kit.run(dir, "decrypt", "--key", mrkEast, "--output", "dec", "--suffix", "", "enc");
    assertThat(dec.exitCode()).as(dec.toString()).isZero();
    assertThat(dir.resolve("dec/a/b/one.bin.encrypted"))
        .hasSameBinaryContentAs(src.resolve("one.bin"));
    assertThat(dir.resolve("dec/two.bin.encrypted")).isEmptyFile();

    String before = CliKit.sha256(dir.resolve("enc/two.bin.encrypted"));
    CliKit.Result again = kit.run(dir, "encrypt", "--key", mrkEast, "--output", "enc", "src");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr()).contains("--overwrite");
    assertThat(CliKit.sha256(dir.resolve("enc/two.bin.encrypted"))).isEqualTo(before);
    CliKit.Result overwrite =
        kit.run(dir, "encrypt", "--key", mrkEast, "--output", "enc", "--overwrite", "src");
    assertThat(overwrite.exitCode()).as(overwrite.toString()).isZero();
    assertThat(CliKit.sha256(dir.resolve("enc/two.bin.encrypted"))).isNotEqualTo(before);
  }

  @Test
  void decryptWithContextThatDoesNotMatch_exits1_withoutOutput(@TempDir Path dir) throws Exception {
    randomFile(dir.resolve("x.bin"), 1000, 6);
    assertThat(kit.run(dir, "encrypt", "--key", mrkEast, "-c", "tenant=acme", "x.bin").exitCode())
        .isZero();
    CliKit.Result r =
        kit.run(dir, "decrypt", "--key", mrkEast, "-c", "tenant=other", "x.bin.encrypted");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("tenant=acme").contains("tenant=other");
    assertThat(dir.resolve("x.bin.encrypted.decrypted")).doesNotExist();
  }

  @Test
  void stdinToStdout_roundTrips_withDiscovery(@TempDir Path dir) throws Exception {
    Path plain = randomFile(dir.resolve("in.bin"), 70_000, 7);
    Path enc = dir.resolve("piped.encrypted");
    CliKit.Result e =
        kit.run(dir, List.of(), List.of("encrypt", "--key", mrkEast, "-"), plain, enc);
    assertThat(e.exitCode()).as(e.toString()).isZero();
    Path out = dir.resolve("piped.out");
    CliKit.Result d =
        kit.run(
            dir,
            List.of(),
            List.of("decrypt", "--discovery", "--account", CliKit.ACCOUNT, "--regions", WEST, "-"),
            enc,
            out);
    assertThat(d.exitCode()).as(d.toString()).isZero();
    assertThat(out).hasSameBinaryContentAs(plain);
  }

  @Test
  void optionsThatDoNotFit_exit2_withTheFix(@TempDir Path dir) throws Exception {
    randomFile(dir.resolve("x.bin"), 10, 8);
    CliKit.Result discoveryEncrypt =
        kit.run(dir, "encrypt", "--discovery", "--regions", EAST, "x.bin");
    assertThat(discoveryEncrypt.exitCode()).isEqualTo(2);
    assertThat(discoveryEncrypt.stderr()).contains("--key ARN");
    CliKit.Result badCache =
        kit.run(dir, "encrypt", "--key", mrkEast, "--cache", "max-messages=5", "x.bin");
    assertThat(badCache.exitCode()).isEqualTo(2);
    assertThat(badCache.stderr()).contains("max-age is required");
    assertThat(kit.run(dir, "encrypt", "--no-such-option").exitCode()).isEqualTo(2);
    CliKit.Result help = kit.run(dir, "decrypt", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout()).contains("Examples:").contains("Exit codes:");
  }

  @Test
  void unavailableKey_exits1_namingRegionAndKms(@TempDir Path dir) throws Exception {
    randomFile(dir.resolve("x.bin"), 10, 9);
    String missing = kit.kms.keyArn(EAST, "mrk-00000000000000000000000000000000");
    CliKit.Result r = kit.run(dir, "encrypt", "--key", missing, "x.bin");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains(EAST).contains("NotFound").doesNotContain("\tat ");
    assertThat(dir.resolve("x.bin.encrypted")).doesNotExist();
  }

  @Test
  void notATerminal_progressIsPlainLogLines_andQuietIsSilent(@TempDir Path dir) throws Exception {
    randomFile(dir.resolve("p.bin"), 3 << 20, 10);
    CliKit.Result r =
        kit.run(
            dir,
            "encrypt",
            "--key",
            mrkEast,
            "--progress-interval",
            "0.001",
            "--frame-length",
            "1024",
            "p.bin");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).contains("encrypt done: 1/1 files, 3.0/3.0 MiB (100%)");
    assertThat(r.stderr()).doesNotContain("\r").doesNotContain("\u001b");
    assertThat(r.stderr().lines()).allMatch(l -> l.startsWith("encrypt"));

    CliKit.Result quiet =
        kit.run(dir, "encrypt", "--key", mrkEast, "--quiet", "--overwrite", "p.bin");
    assertThat(quiet.exitCode()).isZero();
    assertThat(quiet.stderr()).isEmpty();
  }
}
