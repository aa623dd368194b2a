package dev.mrkenvelope.cli;

import static dev.mrkenvelope.cli.CliKit.EAST;
import static dev.mrkenvelope.cli.CliKit.WEST;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsKeyringInput;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsMrkKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * {@code migrate}: a tree written by ESDK-Java under a single-Region key moves onto an MRK, is
 * verified in the other Region, survives the loss of the old key's Region, and a second run does
 * nothing.
 */
class CliMigrateIT {
  /**
   * Files in the tree: 2,000 (about 85 s on an idle 2-CPU box); {@code
   * -Dmrkenvelope.it.migrateFiles=N} changes it for a quicker local run.
   */
  static final int FILES = Integer.getInteger("mrkenvelope.it.migrateFiles", 2_000);

  static final int MAX_MESSAGES = 100;
  static final int THREADS = 2;

  static CliKit kit;
  static MaterialProviders mpl;

  @BeforeAll
  static void start() {
    kit = new CliKit();
    mpl =
        MaterialProviders.builder()
            .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
            .build();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void esdkTreeUnderSingleRegionKey_movesOntoMrk_verifiedInWest_survivesEastOutage_andResumes(
      @TempDir Path dir) throws Exception {
    String srk = kit.kms.keyArn(EAST, kit.kms.createKey(EAST));
    String mrkId = kit.kms.createMultiRegionKey(EAST, WEST);
    String mrkEast = kit.kms.keyArn(EAST, mrkId);
    String mrkWest = kit.kms.keyArn(WEST, mrkId);

    // The old tree, as an ESDK-Java application wrote it.
    IKeyring esdkOld =
        mpl.CreateAwsKmsKeyring(
            CreateAwsKmsKeyringInput.builder().kmsKeyId(srk).kmsClient(kit.client(EAST)).build());
    AwsCrypto esdk =
        AwsCrypto.builder()
            .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
            .build();
    Map<String, byte[]> plaintexts = new HashMap<>();
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < FILES; i++) {
      String rel = "tenant-" + (i % 7) + "/batch-" + (i % 3) + "/record-" + i + ".bin";
      byte[] plain = new byte[random.nextInt(1, 3000)];
      random.nextBytes(plain);
      Path file = dir.resolve("old").resolve(rel);
      Files.createDirectories(file.getParent());
      Files.write(file, esdk.encryptData(esdkOld, plain, Map.of("app", "ledger")).getResult());
      plaintexts.put(rel, plain);
    }

    kit.kms.resetRequestCounts();
    List<String> migrate =
        List.of(
            "migrate",
            "--from-key",
            srk,
            "--to-key",
            mrkEast,
            "--regions",
            EAST + "," + WEST,
            "--verify",
            "--threads",
            String.valueOf(THREADS),
            "--cache",
            "max-age=5m,max-messages=" + MAX_MESSAGES,
            "--output",
            "new",
            "old");
    CliKit.Result first = kit.run(dir, List.of(), migrate, null, null);
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.stdout())
        .contains(
            "migrate: " + FILES + " files: " + FILES + " migrated, 0 already migrated, 0 failed")
        .contains("verified: " + FILES + " results decrypted with the new key in [" + WEST + "]")
        .contains("KMS requests: ");
    long generateDataKey =
        kit.kms.requestCount(EAST, "GenerateDataKey")
            + kit.kms.requestCount(WEST, "GenerateDataKey");
    assertThat(generateDataKey).isBetween(1L, (long) FILES / MAX_MESSAGES + THREADS);
    assertThat(kit.kms.requestCount(EAST, "Decrypt")).isEqualTo(FILES); // the old messages
    assertThat(kit.kms.requestCount(WEST, "Decrypt")).isEqualTo(FILES); // --verify

    // The old key's Region goes down: every result still decrypts, in the west.
    kit.kms.faults(EAST).outage();
    try {
      CliKit.Result dec =
          kit.run(
              dir,
              "decrypt",
              "--key",
              mrkEast,
              "--regions",
              EAST + "," + WEST,
              "--suffix",
              "",
              "--output",
              "plain",
              "new");
      assertThat(dec.exitCode()).as(dec.toString()).isZero();
      for (Map.Entry<String, byte[]> e : plaintexts.entrySet()) {
        assertThat(dir.resolve("plain").resolve(e.getKey()))
            .as(e.getKey())
            .hasBinaryContent(e.getValue());
      }
      // And ESDK-Java, configured with the west replica, reads them too (a sample).
      IKeyring esdkWest =
          mpl.CreateAwsKmsMrkKeyring(
              CreateAwsKmsMrkKeyringInput.builder()
                  .kmsKeyId(mrkWest)
                  .kmsClient(kit.client(WEST))
                  .build());
      List<String> sample = new ArrayList<>(plaintexts.keySet()).subList(0, 10);
      for (String rel : sample) {
        var d = esdk.decryptData(esdkWest, Files.readAllBytes(dir.resolve("new").resolve(rel)));
        assertThat(d.getResult()).isEqualTo(plaintexts.get(rel));
        assertThat(d.getEncryptionContext()).containsEntry("app", "ledger");
      }

      // A second run finds everything done, even with the old Region down.
      Map<String, String> hashes = hashes(dir.resolve("new"));
      kit.kms.resetRequestCounts();
      CliKit.Result second = kit.run(dir, List.of(), migrate, null, null);
      assertThat(second.exitCode()).as(second.toString()).isZero();
      assertThat(second.stdout())
          .contains(FILES + " files: 0 migrated, " + FILES + " already migrated, 0 failed");
      assertThat(hashes(dir.resolve("new"))).isEqualTo(hashes);
      assertThat(kit.kms.requestCount(WEST, "GenerateDataKey")).isZero();
    } finally {
      kit.kms.faults(EAST).heal();
    }

    // An interrupted run: lost results are migrated again, the rest skipped.
    List<String> lost = new ArrayList<>(plaintexts.keySet()).subList(0, 5);
    for (String rel : lost) {
      Files.delete(dir.resolve("new").resolve(rel));
    }
    CliKit.Result resumed = kit.run(dir, List.of(), migrate, null, null);
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stdout())
        .contains("5 migrated, " + (FILES - 5) + " already migrated, 0 failed");
  }

  @Test
  void damagedOldFile_isReportedAndCounted_othersMigrate_exit1(@TempDir Path dir) throws Exception {
    String srk = kit.kms.keyArn(EAST, kit.kms.createKey(EAST));
    String mrkEast = kit.kms.keyArn(EAST, kit.kms.createMultiRegionKey(EAST, WEST));
    IKeyring esdkOld =
        mpl.CreateAwsKmsKeyring(
            CreateAwsKmsKeyringInput.builder().kmsKeyId(srk).kmsClient(kit.client(EAST)).build());
    AwsCrypto esdk =
        AwsCrypto.builder()
            .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
            .build();
    Files.createDirectories(dir.resolve("old"));
    for (int i = 0; i < 3; i++) {
      Files.write(
          dir.resolve("old/f" + i),
          esdk.encryptData(esdkOld, new byte[5000], Map.of()).getResult());
    }
    byte[] bad = Files.readAllBytes(dir.resolve("old/f1"));
    Files.write(dir.resolve("old/f1"), java.util.Arrays.copyOf(bad, bad.length - 10));

    CliKit.Result r =
        kit.run(dir, "migrate", "--from-key", srk, "--to-key", mrkEast, "--output", "new", "old");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout()).contains("3 files: 2 migrated, 0 already migrated, 1 failed");
    assertThat(r.stderr()).contains("f1").doesNotContain("\tat ");
    assertThat(dir.resolve("new/f1")).doesNotExist();
    assertThat(dir.resolve("new/f0")).exists();
    try (Stream<Path> files = Files.list(dir.resolve("new"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("f0", "f2");
    }
  }

  private static Map<String, String> hashes(Path root) throws Exception {
    Map<String, String> m = new HashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        m.put(root.relativize(p).toString(), CliKit.sha256(p));
      }
    }
    return m;
  }
}
