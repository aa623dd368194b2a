package dev.mrkenvelope.aws;

import dev.mrkenvelope.aws.KmsUnavailableException.RegionAttempt;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Sends each KMS call of the MRK keyrings to the best allowed Region, and fails over, hedges and
 * circuit-breaks per Region. Share one router per process; build keyrings on it.
 *
 * <pre>{@code
 * KmsRouter router = KmsRouter.builder()
 *     .regions("eu-west-1", "us-east-1", "ap-southeast-1") // the allow-list AND the preference order
 *     .routing(RoutingPolicy.PREFERENCE_ORDER)             // or LOWEST_LATENCY
 *     .attemptTimeout(Duration.ofMillis(1500))
 *     .hedgeAfter(Duration.ofMillis(100))                  // optional
 *     .callTimeout(Duration.ofSeconds(5))
 *     .meterRegistry(registry)                             // optional
 *     .build();
 * }</pre>
 *
 * <p><b>Allow-list.</b> No request is ever sent to a Region outside {@link Builder#regions}: an
 * MRK's ARN is rewritten only to allowed Regions, a single-Region key is called only in its own
 * Region and only if that Region is allowed.
 *
 * <p><b>One call.</b> The candidate Regions are ordered by the {@link RoutingPolicy}; Regions whose
 * breaker is open are skipped. The first candidate gets one attempt, bounded by {@link
 * Builder#attemptTimeout} (enforced by the router and, per request, by the SDK); the whole call is
 * bounded by {@link Builder#callTimeout}. SDK retries are off in the default clients: the router,
 * not the SDK's backoff, decides when to move on. Each failure is classified (see below); on a
 * fail-over class the next candidate is called at once. With {@link Builder#hedgeAfter}, if the
 * attempt in flight has not answered after that long, the next candidate is called in parallel
 * (at most two attempts in flight); the first success wins and the other attempt is ignored (it
 * ends within its attempt timeout, and its outcome still feeds the breaker and the metrics; a data
 * key it may return is zeroed and dropped).
 *
 * <p><b>Classification</b> (DESIGN.md, ANCHORS.md §E.5): throttling, 5xx server faults,
 * transport errors and timeouts → next Region, and they count toward the Region's breaker;
 * {@code DisabledException}, {@code KMSInvalidStateException} (the replica's own state) → next
 * Region; {@code NotFoundException} → skip the Region; {@code AccessDeniedException} → fail fast
 * unless {@link Builder#failOverOnAccessDenied(boolean)}, since policies are per replica and a
 * denial may be deliberate; {@code InvalidCiphertextException}, {@code IncorrectKeyException},
 * {@code InvalidKeyUsageException} and other client errors → fail fast. An answer that fails the
 * keyring's checks (the {@code KeyId} echoed by Decrypt must equal the requested replica ARN) is a
 * failure of that Region and the next is tried.
 *
 * <p><b>Circuit breaker</b> per Region: opens after {@link Builder#breakerThreshold} consecutive
 * failures that count (default 5); while open, the Region is skipped; after {@link
 * Builder#breakerCoolDown} (default 10 s) one call probes it (half-open); a success, or any answer
 * that shows KMS is reachable, closes it, a counted failure opens it again. If every candidate's
 * breaker is open the call fails at once with a retryable {@link KmsUnavailableException}.
 *
 * <p><b>Threads.</b> Attempts run on a small pool of daemon threads owned by the router (idle
 * threads end after 30 s; at most {@link Builder#maxConcurrentAttempts}, default 64); the calling
 * thread waits for the first answer, a timeout or the hedge delay. {@link #close()} stops the pool
 * and closes the SDK clients the router built; clients from a custom {@link Builder#clientFactory}
 * are the caller's to close.
 *
 * <p><b>Errors.</b> When no Region succeeds, one {@link KmsUnavailableException} names the key,
 * every Region with its outcome and a hint.
 *
 * <p><b>Metrics</b> (with {@link Builder#meterRegistry} only): {@code mrkenvelope.kms.requests}
 * timer {region, operation, outcome}; {@code mrkenvelope.kms.failovers} counter {operation, from,
 * to, reason}; {@code mrkenvelope.kms.hedges} counter {operation}; {@code
 * mrkenvelope.region.breaker} gauge {region} (0 closed, 1 half-open, 2 open). No ARNs in tags.
 *
 * <p>Thread-safe.
 */
public final class KmsRouter implements AutoCloseable {
  private static final Pattern REGION = Pattern.compile("^([a-z]+-){2,3}\\d+$");
  private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final AtomicInteger ROUTERS = new AtomicInteger();

  private final List<String> regions;
  private final RoutingPolicy routing;
  private final Map<String, KmsClient> clients;
  private final boolean ownsClients;
  private final long attemptTimeoutNanos;
  private final long callTimeoutNanos;
  private final long hedgeAfterNanos;
  private final long latencyProbeIntervalNanos;
  private final boolean failOverOnAccessDenied;
  private final Map<String, RegionHealth> health;
  private final RouterMetrics metrics;
  private final ThreadPoolExecutor executor;
  private volatile boolean closed;

  private KmsRouter(Builder b) {
    this.regions = List.copyOf(b.regions);
    this.routing = b.routing;
    this.attemptTimeoutNanos = b.attemptTimeout.toNanos();
    this.callTimeoutNanos = b.callTimeout.toNanos();
    this.hedgeAfterNanos = b.hedgeAfter == null ? 0 : b.hedgeAfter.toNanos();
    this.latencyProbeIntervalNanos = b.latencyProbeInterval.toNanos();
    this.failOverOnAccessDenied = b.failOverOnAccessDenied;
    this.metrics = b.meterRegistry == null ? null : new RouterMetrics(b.meterRegistry);
    Map<String, RegionHealth> h = new LinkedHashMap<>();
    for (String r : regions) {
      RegionHealth rh =
          new RegionHealth(
              r,
              b.breakerThreshold,
              b.breakerCoolDown.toNanos(),
              2 * attemptTimeoutNanos + TimeUnit.SECONDS.toNanos(1));
      h.put(r, rh);
      if (metrics != null) {
        metrics.breakerGauge(rh);
      }
    }
    this.health = Collections.unmodifiableMap(h);
    this.ownsClients = b.clientFactory == null;
    Function<String, KmsClient> factory =
        b.clientFactory != null ? b.clientFactory : r -> defaultClient(r, b.attemptTimeout);
    Map<String, KmsClient> c = new LinkedHashMap<>();
    try {
      for (String r : regions) {
        // Built up front, so that building a client never eats into an attempt's time budget.
        c.put(r, Objects.requireNonNull(factory.apply(r), "clientFactory returned null for " + r));
      }
    } catch (RuntimeException e) {
      if (ownsClients) {
        c.values().forEach(KmsClient::close);
      }
      throw e;
    }
    this.clients = Collections.unmodifiableMap(c);
    AtomicInteger n = new AtomicInteger();
    String threadPrefix = "mrkenvelope-kms-" + ROUTERS.incrementAndGet() + "-";
    this.executor =
        new ThreadPoolExecutor(
            0,
            b.maxConcurrentAttempts,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, threadPrefix + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  private static KmsClient defaultClient(String region, Duration attemptTimeout) {
    return KmsClient.builder()
        .region(Region.of(region))
        .httpClient(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(attemptTimeout)
                .socketTimeout(attemptTimeout)
                .build())
        .overrideConfiguration(
            c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallAttemptTimeout(attemptTimeout))
        .build();
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
   * The circuit breaker state of an allowed Region: {@code closed}, {@code half-open} or {@code
   * open}.
   *
   * @throws IllegalArgumentException if the Region is not allowed
   */
  public String breakerState(String region) {
    RegionHealth h = health.get(region);
    if (h == null) {
      throw new IllegalArgumentException(
          "region " + region + " is not one of this router's regions " + regions);
    }
    return RegionHealth.stateName(h.state());
  }

  /**
   * The SDK client this router sends an allowed Region's calls through, for code that needs other
   * KMS operations in that Region with the same configuration (the key-set administration in
   * {@code dev.mrkenvelope.aws.admin} uses it). Calls made on it directly bypass the router's
   * failover, breakers and metrics; the router keeps ownership (do not close it).
   *
   * @throws IllegalArgumentException if the Region is not one of {@link #regions()}
   */
  public KmsClient client(String region) {
    KmsClient c = clients.get(region);
    if (c == null) {
      throw new IllegalArgumentException(
          "region " + region + " is not one of this router's regions " + regions
              + "; add it to KmsRouter.builder().regions(...)");
    }
    return c;
  }

  /** Stops the attempt threads and closes the SDK clients the router built. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    executor.shutdownNow();
    if (metrics != null) {
      health.values().forEach(metrics::removeBreakerGauge);
    }
    if (ownsClients) {
      clients.values().forEach(KmsClient::close);
    }
  }

  @Override
  public String toString() {
    return "KmsRouter{regions=" + regions + ", routing=" + routing + "}";
  }

  // ------------------------------------------------------------------ used by the keyrings

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
    String s = arn.toString();
    return new KeyTarget() {
      @Override
      public String keyId() {
        return s;
      }

      @Override
      public String arnIn(String region) {
        if (arn.isMrk()) {
          return arn.inRegion(region).toString();
        }
        return arn.region().equals(region) ? s : null;
      }
    };
  }

  /**
   * Runs {@code call} in the candidate Regions until one succeeds.
   *
   * @param firstRegion a Region to try first under {@link RoutingPolicy#PREFERENCE_ORDER} (if
   *     allowed), or null
   * @throws KmsUnavailableException if no Region succeeded
   */
  <T> T call(String operation, KeyTarget target, String firstRegion, KmsCall<T> call) {
    if (closed) {
      throw new IllegalStateException("this KmsRouter is closed");
    }
    return new Call<>(operation, target, call).run(firstRegion);
  }

  /** The allowed Regions for {@code target}, in the order to try them. */
  List<String> candidates(KeyTarget target, String firstRegion, long now) {
    List<String> order = new ArrayList<>(regions.size());
    for (String r : regions) {
      if (target.arnIn(r) != null) {
        order.add(r);
      }
    }
    if (routing == RoutingPolicy.LOWEST_LATENCY) {
      // NaN (never measured) sorts first so that every Region gets measured; sort is stable.
      order.sort(
          Comparator.comparingDouble(
              r -> {
                double e = health.get(r).latencyEstimate();
                return Double.isNaN(e) ? -1 : e;
              }));
      for (int i = 1; i < order.size(); i++) {
        String r = order.get(i);
        if (health.get(r).claimLatencyProbe(now, latencyProbeIntervalNanos)) {
          order.remove(i);
          order.add(0, r);
          break;
        }
      }
    } else if (firstRegion != null && order.remove(firstRegion)) {
      order.add(0, firstRegion);
    }
    return order;
  }

  /** One routed call: the state the calling thread keeps while attempts run. */
  private final class Call<T> {
    private final String operation;
    private final KeyTarget target;
    private final KmsCall<T> kmsCall;
    private final BlockingQueue<Attempt> answers = new LinkedBlockingQueue<>();
    private final List<RegionAttempt> tried = new ArrayList<>();
    private final List<Attempt> inFlight = new ArrayList<>(2);
    private final Deque<String> pending = new ArrayDeque<>();
    private boolean finished;
    private long deadline;
    private long lastLaunch;
    private String failedFrom;
    private String failedReason;

    Call(String operation, KeyTarget target, KmsCall<T> kmsCall) {
      this.operation = operation;
      this.target = target;
      this.kmsCall = kmsCall;
    }

    /** One attempt in one Region, run on the router's pool. */
    private final class Attempt implements Runnable {
      final String region;
      final String arn;
      final long start;
      final long timeoutNanos;
      volatile T value;
      volatile Throwable error;
      boolean abandoned;

      Attempt(String region, String arn, long start, long timeoutNanos) {
        this.region = region;
        this.arn = arn;
        this.start = start;
        this.timeoutNanos = timeoutNanos;
      }

      @Override
      public void run() {
        long t0 = System.nanoTime();
        Outcome outcome;
        try {
          Duration d = Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeoutNanos));
          AwsRequestOverrideConfiguration timeouts =
              AwsRequestOverrideConfiguration.builder()
                  .apiCallTimeout(d)
                  .apiCallAttemptTimeout(d)
                  .build();
          value = kmsCall.invoke(clients.get(region), arn, timeouts);
          outcome = Outcome.SUCCESS;
        } catch (RuntimeException | Error e) {
          error = e;
          outcome = Outcome.classify(e).outcome;
        }
        long now = System.nanoTime();
        long elapsed = now - t0;
        RegionHealth h = health.get(region);
        if (outcome == Outcome.TIMEOUT && timeoutNanos < attemptTimeoutNanos) {
          // Cut short by what was left of the call, not by the Region: neither blame its breaker
          // nor take it as a latency sample (a healthy fallback must not open during an outage).
          h.release();
        } else {
          h.record(outcome, now);
          if (outcome == Outcome.SUCCESS) {
            h.sampleLatency(elapsed, now);
          } else if (outcome == Outcome.TIMEOUT) {
            h.sampleLatency(Math.max(elapsed, attemptTimeoutNanos), now);
          }
        }
        if (metrics != null) {
          metrics.request(region, operation, outcome, elapsed);
        }
        deliver(this);
      }
    }

    private void deliver(Attempt a) {
      synchronized (this) {
        if (!finished) {
          answers.add(a);
          return;
        }
      }
      if (a.value != null) {
        kmsCall.discard(a.value);
      }
    }

    private void finish() {
      synchronized (this) {
        finished = true;
      }
      for (Attempt a; (a = answers.poll()) != null; ) {
        if (a.value != null) {
          kmsCall.discard(a.value);
        }
      }
    }

    T run(String firstRegion) {
      long start = System.nanoTime();
      deadline = start + callTimeoutNanos;
      List<String> order = candidates(target, firstRegion, start);
      if (order.isEmpty()) {
        throw new KmsUnavailableException(
            target.keyId(),
            operation,
            false,
            false,
            "cannot be called in any allowed Region "
                + regions
                + ": a single-Region key is only usable in its own Region; add it to regions(...)"
                + " or use a multi-Region key",
            List.of());
      }
      pending.addAll(order);
      try {
        return loop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure(true, false, "was interrupted while waiting for KMS");
      } finally {
        finish();
      }
    }

    private T loop() throws InterruptedException {
      int parallel = hedgeAfterNanos > 0 ? 2 : 1;
      launchNext(false);
      while (true) {
        if (inFlight.isEmpty() && (!pending.isEmpty() || System.nanoTime() - deadline >= -MIN_ATTEMPT_NANOS)) {
          throw failure(true, false, "ran out of its call timeout of " + millis(callTimeoutNanos)
              + " ms");
        }
        if (inFlight.isEmpty()) {
          boolean allSkipped = tried.stream().allMatch(r -> r.outcome().equals("breaker_open"));
          throw failure(
              true,
              false,
              allSkipped
                  ? "was not attempted: the circuit breaker of every allowed Region is open"
                  : "failed in every allowed Region");
        }
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          for (Attempt a : inFlight) {
            tried.add(timeout(a, "no answer before the call timeout of " + millis(callTimeoutNanos)
                + " ms (callTimeout)"));
          }
          inFlight.clear();
          throw failure(true, false, "ran out of its call timeout of " + millis(callTimeoutNanos)
              + " ms");
        }
        long waitUntil = deadline;
        for (Attempt a : inFlight) {
          waitUntil = earlier(waitUntil, a.start + a.timeoutNanos);
        }
        boolean mayHedge = parallel > 1 && inFlight.size() < parallel && !pending.isEmpty();
        if (mayHedge) {
          waitUntil = earlier(waitUntil, lastLaunch + hedgeAfterNanos);
        }
        Attempt a = answers.poll(Math.max(0, waitUntil - now), TimeUnit.NANOSECONDS);
        if (a == null) {
          now = System.nanoTime();
          boolean timedOut = false;
          for (int i = inFlight.size() - 1; i >= 0; i--) {
            Attempt f = inFlight.get(i);
            if (now - (f.start + f.timeoutNanos) >= 0) {
              inFlight.remove(i);
              f.abandoned = true;
              timedOut = true;
              tried.add(timeout(f, "no answer within " + millis(f.timeoutNanos)
                  + " ms (attemptTimeout)"));
              failedFrom = f.region;
              failedReason = Outcome.TIMEOUT.reason;
            }
          }
          if (timedOut) {
            // Move on with one attempt; the hedge timer adds a second one if it is slow too.
            if (inFlight.isEmpty()) {
              launchNext(false);
            }
          } else if (mayHedge && now - (lastLaunch + hedgeAfterNanos) >= 0) {
            launchNext(true);
          }
          continue;
        }
        boolean wasInFlight = inFlight.remove(a);
        if (a.error == null) {
          return a.value;
        }
        if (!wasInFlight) {
          continue; // a late failure of an attempt already recorded as timed out
        }
        Outcome.Classified c = Outcome.classify(a.error);
        tried.add(
            new RegionAttempt(
                a.region,
                a.arn,
                c.outcome.reason,
                c.errorCode,
                c.message,
                Outcome.hint(c.outcome, c.errorCode, a.region)));
        if (c.outcome.failsFast(failOverOnAccessDenied)) {
          throw failure(
              false,
              true,
              "failed fast in "
                  + a.region
                  + " with "
                  + (c.errorCode != null ? c.errorCode : c.outcome.reason)
                  + (c.outcome == Outcome.ACCESS_DENIED
                      ? "; other Regions were not tried because key policies are per replica and"
                          + " a denial may be deliberate (set failOverOnAccessDenied(true) to try"
                          + " them)"
                      : "; other Regions were not tried because they would answer the same"));
        }
        failedFrom = a.region;
        failedReason = c.outcome.reason;
        // Move on with one attempt; the hedge timer adds a second one if it is slow too.
        if (inFlight.isEmpty()) {
          launchNext(false);
        }
      }
    }

    /** Launches the next candidate whose breaker allows it; false if none is left. */
    private boolean launchNext(boolean hedge) {
      while (!pending.isEmpty()) {
        String r = pending.poll();
        String arn = target.arnIn(r);
        long now = System.nanoTime();
        RegionHealth h = health.get(r);
        RegionHealth.Permit p = h.acquire(now);
        if (p == RegionHealth.Permit.DENIED) {
          long wait = h.coolDownRemaining(now);
          tried.add(
              new RegionAttempt(
                  r,
                  arn,
                  Outcome.BREAKER_OPEN.reason,
                  null,
                  wait > 0 ? "next probe in " + millis(wait) + " ms" : "a probe is in flight",
                  Outcome.hint(Outcome.BREAKER_OPEN, null, r)));
          if (!hedge) {
            failedFrom = failedFrom == null ? r : failedFrom;
            failedReason = failedReason == null ? Outcome.BREAKER_OPEN.reason : failedReason;
          }
          continue;
        }
        long remaining = deadline - now;
        if (remaining < MIN_ATTEMPT_NANOS) {
          pending.addFirst(r);
          if (p == RegionHealth.Permit.PROBE) {
            h.release();
          }
          return false; // no time left for a meaningful attempt; r is reported as not tried
        }
        Attempt a = new Attempt(r, arn, now, Math.min(attemptTimeoutNanos, remaining));
        try {
          executor.execute(a);
        } catch (RejectedExecutionException e) {
          if (p == RegionHealth.Permit.PROBE) {
            h.release();
          }
          tried.add(
              new RegionAttempt(
                  r,
                  arn,
                  Outcome.SATURATED.reason,
                  null,
                  closed ? "the router is closed" : "no free attempt thread",
                  Outcome.hint(Outcome.SATURATED, null, r)));
          continue;
        }
        inFlight.add(a);
        lastLaunch = now;
        if (hedge) {
          if (metrics != null) {
            metrics.hedge(operation);
          }
        } else if (failedFrom != null && metrics != null) {
          metrics.failover(operation, failedFrom, r, failedReason);
        }
        if (!hedge) {
          failedFrom = null;
          failedReason = null;
        }
        return true;
      }
      return false;
    }

    private RegionAttempt timeout(Attempt a, String detail) {
      return new RegionAttempt(
          a.region,
          a.arn,
          Outcome.TIMEOUT.reason,
          null,
          detail,
          Outcome.hint(Outcome.TIMEOUT, null, a.region));
    }

    private KmsUnavailableException failure(boolean mayRetry, boolean failedFast, String summary) {
      List<RegionAttempt> all = new ArrayList<>(tried);
      for (String r : pending) {
        all.add(
            new RegionAttempt(
                r, target.arnIn(r), "not_tried", null, null, "not tried: the call stopped earlier"));
      }
      boolean anyTransient =
          tried.stream()
              .anyMatch(
                  r ->
                      Arrays.stream(Outcome.values())
                          .anyMatch(o -> o.reason.equals(r.outcome()) && o.transientFailure()));
      return new KmsUnavailableException(
          target.keyId(), operation, mayRetry && !failedFast && anyTransient, failedFast, summary,
          all);
    }
  }

  private static long earlier(long a, long b) {
    return a - b <= 0 ? a : b;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /**
   * Configures a {@link KmsRouter}. Not thread-safe.
   */
  public static final class Builder {
    private List<String> regions;
    private RoutingPolicy routing = RoutingPolicy.PREFERENCE_ORDER;
    private Function<String, KmsClient> clientFactory;
    private Duration attemptTimeout = Duration.ofMillis(1500);
    private Duration hedgeAfter;
    private Duration callTimeout = Duration.ofSeconds(5);
    private boolean failOverOnAccessDenied;
    private MeterRegistry meterRegistry;
    private int breakerThreshold = 5;
    private Duration breakerCoolDown = Duration.ofSeconds(10);
    private Duration latencyProbeInterval = Duration.ofSeconds(30);
    private int maxConcurrentAttempts = 64;

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
      Objects.requireNonNull(regions, "regions");
      if (regions.isEmpty()) {
        throw new IllegalArgumentException(
            "regions must name at least one Region, e.g. regions(\"us-east-1\")");
      }
      for (String r : regions) {
        if (r == null || !REGION.matcher(r).matches()) {
          throw new IllegalArgumentException(
              "regions: '" + r + "' is not an AWS Region name; use names like us-east-1");
        }
      }
      if (regions.stream().distinct().count() != regions.size()) {
        throw new IllegalArgumentException("regions must not repeat a Region: " + regions);
      }
      this.regions = List.copyOf(regions);
      return this;
    }

    /** How to order the Regions for each call; default {@link RoutingPolicy#PREFERENCE_ORDER}. */
    public Builder routing(RoutingPolicy routing) {
      this.routing = Objects.requireNonNull(routing, "routing");
      return this;
    }

    /**
     * Builds the SDK client of each allowed Region (endpoints, credentials, HTTP client), called
     * once per Region when the router is built. Default: {@code KmsClient} with the Region, the
     * default credentials chain, the URL-connection HTTP client, no SDK retries and the attempt
     * timeout. The router applies its timeouts to every request either way. Clients from this
     * factory are not closed by {@link KmsRouter#close()}.
     */
    public Builder clientFactory(Function<String, KmsClient> clientFactory) {
      this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
      return this;
    }

    /** The longest wait for one Region's answer before moving on; default 1500 ms. */
    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = positive("attemptTimeout", attemptTimeout);
      return this;
    }

    /**
     * Optional: when the attempt in flight has not answered after this long, call the next
     * candidate Region in parallel; the first success wins. Must be shorter than the attempt
     * timeout. Default: no hedging.
     */
    public Builder hedgeAfter(Duration hedgeAfter) {
      this.hedgeAfter = positive("hedgeAfter", hedgeAfter);
      return this;
    }

    /** The longest a whole call may take, over all Regions; default 5 s. */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = positive("callTimeout", callTimeout);
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

    /** Where to publish metrics; default none (no metrics, no cost). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /** Consecutive counted failures that open a Region's breaker; default 5. */
    public Builder breakerThreshold(int failures) {
      if (failures < 1) {
        throw new IllegalArgumentException(
            "breakerThreshold must be at least 1: " + failures);
      }
      this.breakerThreshold = failures;
      return this;
    }

    /** How long an open breaker skips its Region before one probe; default 10 s. */
    public Builder breakerCoolDown(Duration coolDown) {
      this.breakerCoolDown = positive("breakerCoolDown", coolDown);
      return this;
    }

    /**
     * Under {@link RoutingPolicy#LOWEST_LATENCY}: how stale a Region's latency estimate may get
     * before one call is routed there first to refresh it (at most one per Region per interval);
     * default 30 s.
     */
    public Builder latencyProbeInterval(Duration interval) {
      this.latencyProbeInterval = positive("latencyProbeInterval", interval);
      return this;
    }

    /** The most KMS attempts in flight at once, over all calls; default 64. */
    public Builder maxConcurrentAttempts(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentAttempts must be at least 1: " + max);
      }
      this.maxConcurrentAttempts = max;
      return this;
    }

    /**
     * Builds the router and its SDK clients.
     *
     * @throws IllegalStateException if no Regions were set, or the timeouts contradict each other
     */
    public KmsRouter build() {
      if (regions == null) {
        throw new IllegalStateException(
            "KmsRouter needs regions(...): the allowed Regions in preference order");
      }
      if (callTimeout.compareTo(attemptTimeout) < 0) {
        throw new IllegalStateException(
            "callTimeout (" + callTimeout + ") must be at least attemptTimeout (" + attemptTimeout
                + "); raise callTimeout or lower attemptTimeout");
      }
      if (hedgeAfter != null && hedgeAfter.compareTo(attemptTimeout) >= 0) {
        throw new IllegalStateException(
            "hedgeAfter (" + hedgeAfter + ") must be shorter than attemptTimeout ("
                + attemptTimeout + "), or the hedge would never start");
      }
      return new KmsRouter(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
