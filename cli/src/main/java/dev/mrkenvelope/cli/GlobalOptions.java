package dev.mrkenvelope.cli;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command takes, named as in the AWS CLI where the AWS CLI has them. */
final class GlobalOptions {
  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "Use credentials from this profile of ~/.aws/credentials and ~/.aws/config."
              + " Default: the SDK's default credential chain (environment, profile, container, instance).")
  String profile;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The Region where one Region is meant (discovery decrypt without --regions).")
  String region;

  @Option(
      names = "--endpoint-url",
      paramLabel = "REGION=URL",
      description =
          "Send a Region's KMS requests to URL instead of AWS (repeatable), e.g."
              + " us-east-1=http://localhost:4566. A URL without REGION= applies to every Region.")
  List<String> endpointUrls = List.of();

  @Option(names = "--debug", description = "Print stack traces and the KMS set-up.")
  boolean debug;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress and no summary; errors only.")
  boolean quiet;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      description =
          "auto (a bar on a terminal, log lines otherwise), bar, log or none. Default: auto.")
  ProgressMode progress = ProgressMode.AUTO;

  @Option(
      names = "--progress-interval",
      paramLabel = "SECONDS",
      hidden = true,
      description = "Seconds between progress log lines. Default: 5.")
  double progressIntervalSeconds = 5;

  @Option(
      names = "--kms-timeout",
      paramLabel = "SECONDS",
      description =
          "How long one KMS request may take in one Region before the next allowed"
              + " Region is tried. Default: ${DEFAULT-VALUE}.")
  double kmsTimeoutSeconds = 10;

  /** The endpoint overrides: Region → URL, and "*" → URL for every Region. */
  Map<String, URI> endpoints() {
    Map<String, URI> m = new LinkedHashMap<>();
    for (String spec : endpointUrls) {
      int eq = spec.indexOf('=');
      int scheme = spec.indexOf("://");
      if (eq > 0 && (scheme < 0 || eq < scheme)) {
        m.put(spec.substring(0, eq).trim(), URI.create(spec.substring(eq + 1).trim()));
      } else {
        m.put("*", URI.create(spec.trim()));
      }
    }
    return m;
  }
}
