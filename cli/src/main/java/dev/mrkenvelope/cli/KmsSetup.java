package dev.mrkenvelope.cli;

import dev.mrkenvelope.aws.KmsRouter;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The KMS side of a command: one SDK client per Region (credentials from {@code --profile} or the
 * default chain, {@code --endpoint-url} overrides, no SDK retries because the router fails over),
 * the routers built on them, and a count of the requests sent to each Region, for summaries. Not
 * thread-safe to build; the clients and routers are.
 */
final class KmsSetup implements AutoCloseable {
  private final GlobalOptions globals;
  private final PrintStream err;
  private final AwsCredentialsProvider credentials;
  private final ConcurrentMap<String, KmsClient> clients = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final List<KmsRouter> routers = new ArrayList<>();

  KmsSetup(GlobalOptions globals, PrintStream err) {
    this.globals = globals;
    this.err = err;
    this.credentials =
        globals.profile != null
            ? ProfileCredentialsProvider.create(globals.profile)
            : DefaultCredentialsProvider.builder().build();
  }

  /** A router over {@code regions}, in that preference order. */
  KmsRouter router(List<String> regions) {
    if (globals.debug) {
      err.println(
          "mrk-envelope: debug: router regions " + regions + ", endpoints " + globals.endpoints());
    }
    KmsRouter r =
        KmsRouter.builder()
            .regions(regions)
            .clientFactory(this::client)
            // A fresh JVM's first request loads much of the SDK: a tight timeout would fail it.
            .attemptTimeout(Duration.ofMillis((long) (globals.kmsTimeoutSeconds * 1000)))
            .callTimeout(
                Duration.ofMillis((long) (globals.kmsTimeoutSeconds * 1000 * (regions.size() + 1))))
            .build();
    routers.add(r);
    return r;
  }

  /** The SDK client of a Region, built once; closed with this set-up. */
  KmsClient client(String region) {
    return clients.computeIfAbsent(region, this::newClient);
  }

  private KmsClient newClient(String region) {
    Map<String, URI> endpoints = globals.endpoints();
    URI endpoint = endpoints.getOrDefault(region, endpoints.get("*"));
    var b =
        KmsClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(
                        Duration.ofMillis((long) (globals.kmsTimeoutSeconds * 1000) + 1000))
                    .build())
            .overrideConfiguration(
                c ->
                    c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(new Counter(region)));
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  /** Requests sent, by "region operation", sorted. */
  Map<String, Long> callCounts() {
    Map<String, Long> m = new TreeMap<>();
    calls.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Requests per Region in one line, e.g. {@code us-east-1: Decrypt=3 GenerateDataKey=1}. */
  String callSummary() {
    Map<String, StringBuilder> byRegion = new TreeMap<>();
    callCounts()
        .forEach(
            (k, v) -> {
              int sp = k.indexOf(' ');
              byRegion
                  .computeIfAbsent(k.substring(0, sp), r -> new StringBuilder())
                  .append(' ')
                  .append(k.substring(sp + 1))
                  .append('=')
                  .append(v);
            });
    if (byRegion.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    byRegion.forEach(
        (r, s) -> sb.append(sb.length() == 0 ? "" : "; ").append(r).append(':').append(s));
    return sb.toString();
  }

  @Override
  public void close() {
    routers.forEach(KmsRouter::close);
    clients.values().forEach(KmsClient::close);
  }

  /** Counts each request as it is sent, by Region and operation. */
  private final class Counter implements ExecutionInterceptor {
    private final String region;

    Counter(String region) {
      this.region = region;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      String op = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
      calls.computeIfAbsent(region + ' ' + op, k -> new LongAdder()).increment();
    }
  }

  /** The Region of a KMS key ARN ({@code arn:aws:kms:REGION:ACCOUNT:key/ID}). */
  static String regionOf(String keyArn) {
    String[] parts = keyArn.split(":", 6);
    if (parts.length < 6
        || !parts[0].equals("arn")
        || !parts[2].equals("kms")
        || parts[3].isEmpty()) {
      throw new UsageException(
          "'"
              + keyArn
              + "' is not a KMS key ARN; pass the full ARN,"
              + " arn:aws:kms:REGION:ACCOUNT:key/KEY-ID (aws kms describe-key shows it)");
    }
    return parts[3];
  }
}
