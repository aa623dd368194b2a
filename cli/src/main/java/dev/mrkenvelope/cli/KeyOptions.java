package dev.mrkenvelope.cli;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.aws.AwsKmsMrkDiscoveryKeyring;
import dev.mrkenvelope.aws.AwsKmsMrkKeyring;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.MultiKeyring;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Which keys, Regions, suite and cache {@code encrypt} and {@code decrypt} use. */
final class KeyOptions {
  @Option(
      names = "--key",
      paramLabel = "ARN",
      description =
          "A KMS key ARN (repeatable). Encrypt: the first generates the data key, each"
              + " other wraps it too. Decrypt: only these keys are used (strict).")
  List<String> keys = new ArrayList<>();

  @Option(
      names = "--discovery",
      description = "Decrypt with whichever KMS key the message names (limit it with --account).")
  boolean discovery;

  @Option(
      names = "--account",
      paramLabel = "ID",
      split = ",",
      description = "With --discovery: only keys of these AWS accounts.")
  List<String> accounts = new ArrayList<>();

  @Option(
      names = "--regions",
      paramLabel = "REGION",
      split = ",",
      description =
          "The Regions KMS requests may go to, in preference order (allow-list)."
              + " Default: the Regions of the --key ARNs, or --region.")
  List<String> regions = new ArrayList<>();

  @Option(
      names = "--suite",
      paramLabel = "SUITE",
      description = "Encrypt: the algorithm suite. Default: ${DEFAULT-VALUE}.")
  AlgorithmSuite suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;

  @Option(
      names = "--commitment-policy",
      paramLabel = "POLICY",
      description =
          "Default: ${DEFAULT-VALUE}; REQUIRE_ENCRYPT_ALLOW_DECRYPT also reads legacy"
              + " (non-committing) messages.")
  CommitmentPolicy commitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT;

  @Option(
      names = "--frame-length",
      paramLabel = "BYTES",
      description = "Encrypt: plaintext bytes per frame. Default: ${DEFAULT-VALUE}.")
  int frameLength = 4096;

  @Option(
      names = "--cache",
      paramLabel = "SPEC",
      converter = CacheSpecConverter.class,
      description =
          "Reuse data keys: max-age=5m,max-messages=1000[,max-bytes=1g], or none."
              + " Default: none.")
  CacheSpec cache = CacheSpec.NONE;

  /** The allowed Regions: --regions, else the key ARNs' Regions, else --region. */
  List<String> regions(GlobalOptions globals) {
    if (!regions.isEmpty()) {
      return regions;
    }
    Set<String> fromKeys = new LinkedHashSet<>();
    if (globals.region != null) {
      fromKeys.add(globals.region);
    }
    for (String k : keys) {
      fromKeys.add(KmsSetup.regionOf(k));
    }
    if (fromKeys.isEmpty()) {
      throw new UsageException(
          "no Region to call: pass --regions (e.g. --regions us-east-1,eu-west-1) or --region");
    }
    return List.copyOf(fromKeys);
  }

  /** The keyring to encrypt with: the --key ARNs. */
  Keyring encryptKeyring(KmsRouter router) {
    if (discovery) {
      throw new UsageException(
          "--discovery only decrypts; name the key to encrypt with in --key ARN");
    }
    return strictKeyring(router);
  }

  /** The keyring to decrypt with: the --key ARNs, or discovery. */
  Keyring decryptKeyring(KmsRouter router) {
    if (discovery) {
      if (!keys.isEmpty()) {
        throw new UsageException("pass either --key ARN... or --discovery, not both");
      }
      AwsKmsMrkDiscoveryKeyring.Builder b = AwsKmsMrkDiscoveryKeyring.builder().router(router);
      if (!accounts.isEmpty()) {
        b.discoveryFilter("aws", Set.copyOf(accounts));
      }
      return b.build();
    }
    if (!accounts.isEmpty()) {
      throw new UsageException("--account only applies with --discovery");
    }
    return strictKeyring(router);
  }

  private Keyring strictKeyring(KmsRouter router) {
    if (keys.isEmpty()) {
      throw new UsageException(
          "name a KMS key with --key ARN (or, to decrypt, --discovery --account ID)");
    }
    List<Keyring> rings = new ArrayList<>();
    for (String arn : keys) {
      KmsSetup.regionOf(arn);
      rings.add(AwsKmsMrkKeyring.builder().keyArn(arn).router(router).build());
    }
    if (rings.size() == 1) {
      return rings.get(0);
    }
    return MultiKeyring.builder()
        .generator(rings.get(0))
        .children(rings.subList(1, rings.size()))
        .build();
  }
}
