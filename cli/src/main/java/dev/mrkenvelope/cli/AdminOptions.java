package dev.mrkenvelope.cli;

import dev.mrkenvelope.aws.admin.KeySetSpec;
import dev.mrkenvelope.aws.admin.MrkAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The key-set spec and output format of {@code plan}, {@code provision}, {@code audit}, {@code
 * drill}.
 */
final class AdminOptions {
  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description =
          "The key-set spec (JSON): alias, primaryRegion, replicaRegions, keySpec, policy, rotation, tags.")
  Path spec;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      description = "table or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat output = OutputFormat.TABLE;

  KeySetSpec spec() {
    if (spec == null) {
      throw new UsageException("name the key-set spec with --spec keyset.json");
    }
    String json;
    try {
      json = Files.readString(spec);
    } catch (NoSuchFileException e) {
      throw new UsageException("--spec " + spec + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return KeySetSpec.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--spec " + spec + ": " + e.getMessage());
    }
  }

  /** An admin over the SDK clients of {@code regions}, with the command's KMS timeout. */
  static MrkAdmin admin(KmsSetup kms, List<String> regions, GlobalOptions globals) {
    Map<String, KmsClient> clients = new LinkedHashMap<>();
    for (String r : regions) {
      clients.put(r, kms.client(r));
    }
    return MrkAdmin.builder()
        .clients(clients)
        .callTimeout(Duration.ofMillis((long) (globals.kmsTimeoutSeconds * 1000)))
        .build();
  }
}
