package dev.mrkenvelope.aws;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * Sends each KMS call of the MRK keyrings to the best allowed Region, and fails over, hedges and
 * circuit-breaks per Region. Share one router per process; build keyrings on it.
 *
 * <pre>{@code
 * KmsRouter router = KmsRouter.builder()
 *     .regions("eu-west-1", "us-east-1", "ap-southeast-1") // the allow-list AND the preference order
 *     .hedgeAfter(Duration.ofMillis(100))                  // optional
 *     .meterRegistry(registry)                             // optional
 *     .build();
 * }</pre>
 *
 * <p><b>Allow-list.</b> No request is ever sent to a Region outside {@link Builder#regions}: an
 * MRK's ARN is rewritten only to allowed Regions, a single-Region key is called only in its own
 * Region and only if that Region is allowed.
 *
 * <p><b>One call.</b> The candidate Regions are ordered by the {@link RoutingPolicy} (on encrypt,
 * {@link AwsKmsMrkKeyring} puts the configured key's own Region first); Regions whose breaker is
 * open are skipped. Each attempt is bounded by {@link Builder#attemptTimeout}, enforced by the SDK
 * per request, and the whole call by {@link Builder#callTimeout}. Every failure is classified by
 * the table in {@link AttemptOutcome}: fail over to the next Region, or fail fast. With {@link
 * Builder#hedgeAfter}, the next Region is called in parallel when the attempt in flight has not
 * answered after that long; answers are still taken in Region order, so hedging changes how soon a
 * call ends, never its outcome (with {@link Builder#failOverOnAccessDenied
 * failOverOnAccessDenied(true)} and the default {@link Builder#failOverOnKeyState
 * failOverOnKeyState(true)} no answer can be a refusal, so a later Region's success ends the call
 * at once).
 *
 * <p><b>Admission.</b> Each Region has {@link Builder#maxConcurrentAttemptsPerRegion} slots
 * (default 64): a request is sent only while it holds one, and a call that finds them all in use
 * waits for one, first come first served, on the call timeout, not the attempt timeout (which
 * starts when the request is sent). Past what the process and KMS can serve at once, more requests
 * in flight would only make every request slower until all of them miss the attempt timeout. A
 * waiting call moves on to the next Region when the Region's breaker opens, when no slot came
 * within the attempt timeout (with hedging, within {@code hedgeAfter}), or when no attempt there
 * has ended for eight typical latencies (at least 100 ms: its requests hang); it comes back to the
 * Region when no other is left, so it never fails for lack of a slot while time remains.
 *
 * <p><b>Threads.</b> Without hedging, attempts run on the calling thread (a virtual thread is fine:
 * waiting for a slot or an answer never pins it). With hedging, attempts run on daemon threads the
 * router starts as needed, at most one per slot.
 *
 * <p><b>Circuit breaker</b> per Region ({@link BreakerState}): opens after {@link
 * Builder#breakerThreshold} consecutive failures that count (default 5); while open, the Region is
 * skipped; after {@link Builder#breakerCoolDown} (default 10 s) one call probes it; a success, or
 * any answer that shows KMS is reachable, closes it. Credential failures never touch it.
 *
 * <p><b>Errors.</b> A {@link KmsUnavailableException} (retryable) or {@link KmsRejectedException}
 * (a person must act) names the key, every Region with its outcome, and a hint.
 *
 * <p><b>Metrics</b> (with {@link Builder#meterRegistry}): {@code mrkenvelope.kms.requests} timer
 * {region, operation, outcome}, {@code mrkenvelope.kms.failovers} {operation, from, to, reason},
 * {@code mrkenvelope.kms.hedges} {operation}, {@code mrkenvelope.region.breaker} gauge {region}.
 *
 * <p>Thread-safe. {@link #close()} stops the router's threads and closes the SDK clients it built.
 */
public final class KmsRouter implements AutoCloseable {
  private final List<String> regions;
  private final RoutingPolicy routing;
  private final RegionalClients clients;
  private final RoutingContext ctx;
  private volatile boolean closed;

  private KmsRouter(Builder b) {
    this.regions = b.regions;
    this.routing = b.routing;
    this.clients =
        b.clientFactory != null
            ? RegionalClients.fromFactory(regions, b.clientFactory)
            : RegionalClients.owned(regions, b.attemptTimeout, b.callTimeout, b.clientCustomizer);
    this.ctx = RouterAssembly.context(b, clients);
  }

  /** Starts configuring a router; {@link Builder#regions} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The allowed Regions, in preference order. */
  public List<String> regions() {
    return regions;
  }

  /** The routing policy. */
  public RoutingPolicy routing() {
    return routing;
  }

  /**
   * The circuit breaker state of an allowed Region.
   *
   * @throws IllegalArgumentException if the Region is not allowed
   */
  public BreakerState breakerState(String region) {
    return state(region).breaker.state();
  }

  /**
   * The SDK client the router uses in an allowed Region, for operations it does not route (e.g.
   * administration; no failover). Do not close it: the router or its client factory owns it.
   *
   * @throws IllegalArgumentException if the Region is not allowed
   */
  public KmsClient client(String region) {
    return state(region).client;
  }

  private RegionState state(String region) {
    RegionState s = ctx.regions.get(region);
    if (s == null) {
      throw new IllegalArgumentException(
          "region " + region + " is not one of this router's regions " + regions);
    }
    return s;
  }

  /** Stops the router's attempt threads and closes the SDK clients it built. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ctx.close();
    clients.close();
  }

  @Override
  public String toString() {
    return "KmsRouter{regions=" + regions + ", routing=" + routing + "}";
  }

  /** One KMS request, made in whichever Region the router picks. */
  interface KmsCall<T> {
    /**
     * Calls KMS. Throw {@link RejectedResponseException} if the answer fails a check.
     *
     * @param keyArn the key's ARN in the chosen Region
     * @param timeouts per-request SDK timeouts to apply
     */
    T invoke(KmsClient client, String keyArn, AwsRequestOverrideConfiguration timeouts);

    /** Destroys a result nobody will use (a hedged call's loser); e.g. zero a data key. */
    default void discard(T result) {}
  }

  /** The key a call is about, and its ARN per Region. */
  interface KeyTarget {
    /** The key as the user knows it, for messages. */
    String keyId();

    /** The ARN to call in {@code region}, or null if the key cannot be used there. */
    String arnIn(String region);
  }

  /** A target for a parsed key ARN: MRKs in every Region, single-Region keys in their own. */
  static KeyTarget target(KmsArn arn) {
    return new ArnTarget(arn);
  }

  /**
   * Runs {@code call} in the candidate Regions, in order, until one succeeds or one fails fast.
   *
   * @param firstRegion a Region to try before all others if it is allowed (whatever the routing
   *     policy), or null
   * @throws KmsCallException if no Region succeeded
   * @throws IllegalStateException if the router is closed
   */
  <T> T call(String operation, KeyTarget target, String firstRegion, KmsCall<T> call) {
    if (closed) {
      throw new IllegalStateException("this KmsRouter is closed");
    }
    return new RoutedCall<>(ctx, operation, target, call).run(firstRegion);
  }

  /** Configures a {@link KmsRouter}. Not thread-safe. */
  public static final class Builder {
    List<String> regions;
    RoutingPolicy routing = RoutingPolicy.PREFERENCE_ORDER;
    Function<String, KmsClient> clientFactory;
    BiConsumer<String, KmsClientBuilder> clientCustomizer;
    Duration attemptTimeout = Duration.ofMillis(1500);
    Duration hedgeAfter;
    Duration callTimeout = Duration.ofSeconds(5);
    boolean failOverOnAccessDenied;
    boolean failOverOnKeyState = true;
    MeterRegistry meterRegistry;
    int breakerThreshold = 5;
    Duration breakerCoolDown = Duration.ofSeconds(10);
    Duration latencyProbeInterval = Duration.ofSeconds(30);
    int maxAttemptsPerRegion = 64;

    private Builder() {}

    /**
     * The allowed Regions, in preference order, e.g. {@code "eu-west-1", "us-east-1"}. No request
     * goes anywhere else. Required; no duplicates.
     */
    public Builder regions(String... regions) {
      return regions(Arrays.asList(Objects.requireNonNull(regions, "regions")));
    }

    /** As {@link #regions(String...)}. */
    public Builder regions(List<String> regions) {
      this.regions = RouterAssembly.checkRegions(regions);
      return this;
    }

    /** How to order the Regions for each call; default {@link RoutingPolicy#PREFERENCE_ORDER}. */
    public Builder routing(RoutingPolicy routing) {
      this.routing = Objects.requireNonNull(routing, "routing");
      return this;
    }

    /**
     * Replaces the router's SDK clients: called once per Region when the router is built. The
     * clients must not retry ({@code overrideConfiguration(c ->
     * c.retryStrategy(AwsRetryStrategy.doNotRetry()))}): the router decides when to move on, and
     * SDK retries would spend the attempt timeout in one Region. The router's per-request timeouts
     * apply either way. These clients are the caller's to close. Prefer {@link #clientCustomizer},
     * which keeps the router's settings.
     */
    public Builder clientFactory(Function<String, KmsClient> clientFactory) {
      this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
      return this;
    }

    /**
     * Adjusts the router's own SDK client of each Region, e.g. {@code (region, b) ->
     * b.endpointOverride(uri).credentialsProvider(provider)}, or an HTTP client ({@code
     * httpClientBuilder}). Called once per Region after the router's defaults (the Region, the
     * URL-connection HTTP client, the default credentials chain); the router then turns SDK retries
     * off again, whatever was set, and every request carries the router's timeouts.
     */
    public Builder clientCustomizer(BiConsumer<String, KmsClientBuilder> customizer) {
      this.clientCustomizer = Objects.requireNonNull(customizer, "clientCustomizer");
      return this;
    }

    /** The longest wait for one Region's answer before moving on to the next; default 1500 ms. */
    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = RouterAssembly.positive("attemptTimeout", attemptTimeout);
      return this;
    }

    /**
     * Optional: when the attempt in flight has not answered after this long, call the next
     * candidate Region in parallel, so that its answer is ready if the first fails. Answers are
     * taken in Region order. Must be shorter than the attempt timeout. Default: no hedging.
     */
    public Builder hedgeAfter(Duration hedgeAfter) {
      this.hedgeAfter = RouterAssembly.positive("hedgeAfter", hedgeAfter);
      return this;
    }

    /** The longest a whole call may take, over all Regions; default 5 s. */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = RouterAssembly.positive("callTimeout", callTimeout);
      return this;
    }

    /**
     * Whether an {@code AccessDeniedException} moves the call to the next Region. Default false:
     * key policies and grants are per replica, and a Region that denies may do so on purpose.
     */
    public Builder failOverOnAccessDenied(boolean failOver) {
      this.failOverOnAccessDenied = failOver;
      return this;
    }

    /**
     * Whether a disabled replica, or one in a state that forbids the call ({@code
     * DisabledException}, {@code KMSInvalidStateException}), moves the call to the next Region.
     * Default true: replicas change state one by one (being created, pending deletion) and the
     * others still hold the same key material. Set false to honour disabling one replica as a
     * revocation in that Region: the call then fails fast there.
     */
    public Builder failOverOnKeyState(boolean failOver) {
      this.failOverOnKeyState = failOver;
      return this;
    }

    /** Where to publish metrics; default none (no metrics, no cost). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /** Consecutive counted failures that open a Region's breaker; default 5. */
    public Builder breakerThreshold(int failures) {
      this.breakerThreshold = RouterAssembly.atLeastOne("breakerThreshold", failures);
      return this;
    }

    /** How long an open breaker skips its Region before one probe; default 10 s. */
    public Builder breakerCoolDown(Duration coolDown) {
      this.breakerCoolDown = RouterAssembly.positive("breakerCoolDown", coolDown);
      return this;
    }

    /**
     * Under {@link RoutingPolicy#LOWEST_LATENCY}: how stale a Region's latency estimate may get
     * before one call is routed there first to refresh it (at most one per Region per interval);
     * default 30 s.
     */
    public Builder latencyProbeInterval(Duration interval) {
      this.latencyProbeInterval = RouterAssembly.positive("latencyProbeInterval", interval);
      return this;
    }

    /**
     * The most requests in flight in one Region at once; default 64. Calls beyond it wait for a
     * free slot (see the class documentation, "Admission"). Raise it when one process must sustain
     * more than about 64 / (KMS latency) requests per second in a Region, e.g. 6,400/s at 10 ms.
     */
    public Builder maxConcurrentAttemptsPerRegion(int max) {
      this.maxAttemptsPerRegion = RouterAssembly.atLeastOne("maxConcurrentAttemptsPerRegion", max);
      return this;
    }

    /**
     * Builds the router and its SDK clients.
     *
     * @throws IllegalStateException if no Regions were set, the timeouts contradict each other, or
     *     both a client factory and a client customizer were set
     */
    public KmsRouter build() {
      RouterAssembly.check(this);
      return new KmsRouter(this);
    }
  }
}
