package dev.mrkenvelope.kmslocal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkenvelope.kmslocal.internal.JsonRequest;
import dev.mrkenvelope.kmslocal.internal.KmsService;
import dev.mrkenvelope.kmslocal.internal.RegionServer;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An in-process, multi-Region AWS KMS that speaks the real awsJson1.1 wire protocol, so the
 * unmodified AWS SDK (and the AWS Encryption SDK on top of it) can run against it offline, with
 * fault injection per Region and operation.
 *
 * <pre>{@code
 * try (LocalKms kms = LocalKms.builder().regions("us-east-1", "eu-west-1").start()) {
 *   KmsClient east = KmsClient.builder()
 *       .endpointOverride(kms.endpoint("us-east-1"))
 *       .region(Region.of("us-east-1"))
 *       .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
 *       .httpClient(UrlConnectionHttpClient.create())
 *       .build();
 *   String keyId = kms.createMultiRegionKey("us-east-1", "eu-west-1"); // or CreateKey + ReplicateKey
 *   kms.faults("us-east-1").outage();                                   // rehearse a failover
 * }
 * }</pre>
 *
 * <p>Each Region listens on its own loopback port ({@code 127.0.0.1}); Regions share one store, so
 * multi-Region keys replicate with the same key id and key material, while state, policy,
 * description, tags, grants and aliases stay per Region. Keys live in memory only. A replica made
 * by ReplicateKey is {@code Creating} (crypto fails with {@code KMSInvalidStateException}) for
 * {@link Builder#replicaCreation(Duration)}, then {@code Enabled}, so code that waits for replicas
 * is exercised. Known simplifications: primary-Region updates complete instantly; scheduled
 * deletions and automatic rotations never come due; SigV4 signatures are not verified (the {@code
 * Authorization} header must be present).
 *
 * <p>Thread-safe: any number of clients may call it concurrently, and faults may be changed while
 * requests run. Close it to free its ports and threads.
 */
public final class LocalKms implements AutoCloseable {
  private static final Pattern REGION = Pattern.compile("^([a-z]+-){2,3}\\d+$");

  private static final int MAX_WORKERS = 64;
  private static final Duration DEFAULT_REPLICA_CREATION = Duration.ofMillis(100);

  private final String account;
  private final KmsService service;
  private final Map<String, RegionServer> servers;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;

  private LocalKms(Builder b) {
    this.account = b.account;
    this.service = new KmsService(b.account, b.regions, b.replicaCreation);
    // Handlers never wait on kms-local itself (blackholes keep no thread, latency uses the timer),
    // but a worker does block while a client is slow to send its request body, so the shared pool
    // grows to a generous bound and idle threads expire.
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            MAX_WORKERS,
            MAX_WORKERS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads("kms-local-worker"));
    pool.allowCoreThreadTimeOut(true);
    this.workers = pool;
    this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("kms-local-timer"));
    Map<String, RegionServer> m = new LinkedHashMap<>();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int i = 0; i < b.regions.size(); i++) {
      String r = b.regions.get(i);
      int port = b.portBase == 0 ? 0 : b.portBase + i;
      m.put(r, new RegionServer(r, service, workers, timer, loopback, port));
    }
    this.servers = Collections.unmodifiableMap(m);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A new builder; at least one Region is required. */
  public static Builder builder() {
    return new Builder();
  }

  private void startAll() {
    try {
      servers.values().forEach(RegionServer::start);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The Regions served, in the order given to the builder. */
  public List<String> regions() {
    return List.copyOf(servers.keySet());
  }

  /** The 12-digit account id that owns every key. */
  public String account() {
    return account;
  }

  /**
   * The endpoint of one Region, e.g. {@code http://127.0.0.1:53124}, for {@code endpointOverride}.
   */
  public URI endpoint(String region) {
    return server(region).endpoint();
  }

  /** Fault injection for one Region; see {@link Faults}. */
  public Faults faults(String region) {
    return new Faults(server(region), region, null);
  }

  /**
   * How many requests for {@code operation} (e.g. {@code "Decrypt"}) reached the Region's server,
   * including those answered with an injected fault or blackholed; requests refused by an outage do
   * not count. Unknown or missing targets count under {@code "Unknown"}.
   */
  public long requestCount(String region, String operation) {
    return server(region).requestCount(operation);
  }

  /** How many requests of any operation reached the Region's server. */
  public long requestCount(String region) {
    return server(region).requestCount();
  }

  /** Per-operation request counts of one Region, sorted by operation name. */
  public Map<String, Long> requestCounts(String region) {
    return server(region).requestCounts();
  }

  /**
   * How many connections the Region's server has open right now: idle keep-alive connections,
   * requests being served and blackholed requests still held. A connection is closed (and a held
   * request released) as soon as its client closes it, so abandoned requests hold no socket.
   */
  public int openConnections(String region) {
    return server(region).openConnections();
  }

  /** Sets every request counter of every Region back to zero. */
  public void resetRequestCounts() {
    servers.values().forEach(RegionServer::resetCounts);
  }

  /** The ARN of a key id in a Region, e.g. for a key from {@link #createMultiRegionKey}. */
  public String keyArn(String region, String keyId) {
    server(region);
    return service.keyArn(region, keyId);
  }

  /**
   * Creates a symmetric single-Region key without going through HTTP (no fault applies, nothing is
   * counted); returns its key id. A test convenience: the SDK's CreateKey does the same.
   */
  public String createKey(String region) {
    server(region);
    ObjectNode req = JsonRequest.MAPPER.createObjectNode();
    return service
        .handle(region, "CreateKey", JsonRequest.of(req))
        .get("KeyMetadata")
        .get("KeyId")
        .textValue();
  }

  /**
   * Creates a symmetric multi-Region key in {@code primaryRegion} and replicates it to each of
   * {@code replicaRegions}, without going through HTTP; returns the shared {@code mrk-} key id. The
   * replicas are {@code Enabled} when this returns (no {@code Creating} moment).
   */
  public String createMultiRegionKey(String primaryRegion, String... replicaRegions) {
    server(primaryRegion);
    ObjectNode req = JsonRequest.MAPPER.createObjectNode().put("MultiRegion", true);
    String keyId =
        service
            .handle(primaryRegion, "CreateKey", JsonRequest.of(req))
            .get("KeyMetadata")
            .get("KeyId")
            .textValue();
    for (String r : replicaRegions) {
      server(r);
      ObjectNode rep =
          JsonRequest.MAPPER.createObjectNode().put("KeyId", keyId).put("ReplicaRegion", r);
      service.replicateInstantly(primaryRegion, JsonRequest.of(rep));
    }
    return keyId;
  }

  private RegionServer server(String region) {
    RegionServer s = servers.get(Objects.requireNonNull(region, "region"));
    if (s == null) {
      throw new IllegalArgumentException(
          "region " + region + " is not served; this LocalKms serves " + servers.keySet());
    }
    return s;
  }

  /** Stops every Region, drops held requests and frees the ports and threads. Idempotent. */
  @Override
  public void close() {
    servers.values().forEach(RegionServer::close);
    timer.shutdownNow();
    workers.shutdownNow();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("LocalKms[account=").append(account);
    servers.forEach((r, s) -> sb.append(", ").append(r).append('=').append(s.endpoint()));
    return sb.append(']').toString();
  }

  /**
   * Configures a {@link LocalKms}: {@code LocalKms.builder().regions("us-east-1",
   * "eu-west-1").account("111122223333").portBase(4566).start()}. Not thread-safe; {@link #start()}
   * may be called repeatedly to start independent instances.
   */
  public static final class Builder {
    private List<String> regions = List.of();
    private String account = "111122223333";
    private int portBase;
    private Duration replicaCreation = DEFAULT_REPLICA_CREATION;

    private Builder() {}

    /** The Regions to serve, e.g. {@code "us-east-1", "eu-west-1"}; at least one, no duplicates. */
    public Builder regions(String... regions) {
      return regions(Arrays.asList(Objects.requireNonNull(regions, "regions")));
    }

    /** The Regions to serve; at least one, no duplicates. */
    public Builder regions(Collection<String> regions) {
      List<String> copy = new ArrayList<>(Objects.requireNonNull(regions, "regions"));
      for (String r : copy) {
        if (r == null || !REGION.matcher(r).matches()) {
          throw new IllegalArgumentException(
              "region must look like an AWS Region such as us-east-1: " + r);
        }
      }
      if (copy.stream().distinct().count() != copy.size()) {
        throw new IllegalArgumentException("regions must not repeat: " + copy);
      }
      this.regions = List.copyOf(copy);
      return this;
    }

    /** The account that owns every key; 12 digits, default {@code 111122223333}. */
    public Builder account(String account) {
      if (account == null || !account.matches("\\d{12}")) {
        throw new IllegalArgumentException(
            "account must be 12 digits, e.g. 111122223333: " + account);
      }
      this.account = account;
      return this;
    }

    /**
     * Fixed ports: the i-th Region listens on {@code portBase + i}. Default 0: an ephemeral port
     * per Region, which never collides with anything.
     */
    public Builder portBase(int portBase) {
      if (portBase < 0 || portBase > 65535) {
        throw new IllegalArgumentException(
            "portBase must be 1-65535, or 0 for ephemeral ports: " + portBase);
      }
      this.portBase = portBase;
      return this;
    }

    /**
     * How long a replica made by ReplicateKey stays {@code Creating} before it is {@code Enabled}
     * (default 100 ms). While Creating, DescribeKey works and reports it, crypto and management
     * calls on the replica fail with {@code KMSInvalidStateException}, as on AWS, so code must wait
     * for the replica (poll DescribeKey). {@link Duration#ZERO} makes replicas usable at once.
     */
    public Builder replicaCreation(Duration replicaCreation) {
      Objects.requireNonNull(replicaCreation, "replicaCreation");
      if (replicaCreation.isNegative()) {
        throw new IllegalArgumentException(
            "replicaCreation must be zero or positive, e.g. Duration.ofMillis(100): "
                + replicaCreation);
      }
      this.replicaCreation = replicaCreation;
      return this;
    }

    /**
     * Binds every Region's port and starts serving.
     *
     * @throws IllegalStateException if no Region was set, or a fixed port range exceeds 65535
     * @throws java.io.UncheckedIOException if a port cannot be bound
     */
    public LocalKms start() {
      if (regions.isEmpty()) {
        throw new IllegalStateException(
            "no regions configured; call regions(\"us-east-1\", ...) before start()");
      }
      if (portBase != 0 && portBase + regions.size() - 1 > 65535) {
        throw new IllegalStateException(
            "portBase "
                + portBase
                + " + "
                + regions.size()
                + " regions exceeds port 65535; lower it");
      }
      LocalKms kms = new LocalKms(this);
      kms.startAll();
      return kms;
    }
  }
}
