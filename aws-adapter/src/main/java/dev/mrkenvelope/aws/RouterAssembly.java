package dev.mrkenvelope.aws;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Checks a {@link KmsRouter.Builder} and wires the router's parts from it. */
final class RouterAssembly {
  private static final Pattern REGION = Pattern.compile("^([a-z]+-){2,3}\\d+$");

  /** How long a half-open probe may stay out beyond its attempt before another is allowed. */
  private static final long PROBE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private RouterAssembly() {}

  static List<String> checkRegions(List<String> regions) {
    Objects.requireNonNull(regions, "regions");
    if (regions.isEmpty()) {
      throw new IllegalArgumentException(
          "regions must name at least one Region, e.g. regions(\"us-east-1\")");
    }
    for (String r : regions) {
      if (r == null || !REGION.matcher(r).matches()) {
        throw new IllegalArgumentException(
            "regions: '"
                + Untrusted.escape(r)
                + "' is not an AWS Region name; use names like"
                + " us-east-1");
      }
    }
    if (regions.stream().distinct().count() != regions.size()) {
      throw new IllegalArgumentException("regions must not repeat a Region: " + regions);
    }
    return List.copyOf(regions);
  }

  /** The checks that involve several settings. */
  static void check(KmsRouter.Builder b) {
    if (b.regions == null) {
      throw new IllegalStateException(
          "KmsRouter needs regions(...): the allowed Regions in preference order");
    }
    if (b.callTimeout.compareTo(b.attemptTimeout) < 0) {
      throw new IllegalStateException(
          "callTimeout ("
              + b.callTimeout
              + ") must be at least attemptTimeout ("
              + b.attemptTimeout
              + "); raise callTimeout or lower attemptTimeout");
    }
    if (b.hedgeAfter != null && b.hedgeAfter.compareTo(b.attemptTimeout) >= 0) {
      throw new IllegalStateException(
          "hedgeAfter ("
              + b.hedgeAfter
              + ") must be shorter than attemptTimeout ("
              + b.attemptTimeout
              + "), or the hedge would never start");
    }
    if (b.clientFactory != null && b.clientCustomizer != null) {
      throw new IllegalStateException(
          "set clientFactory(...) or clientCustomizer(...), not both: a factory replaces the"
              + " router's clients, a customizer adjusts them");
    }
  }

  static RoutingContext context(KmsRouter.Builder b, RegionalClients clients) {
    RouterMetrics metrics = b.meterRegistry == null ? null : new RouterMetrics(b.meterRegistry);
    long attemptNanos = b.attemptTimeout.toNanos();
    Map<String, RegionState> states = new LinkedHashMap<>();
    for (String r : b.regions) {
      RegionBreaker breaker =
          new RegionBreaker(
              b.breakerThreshold, b.breakerCoolDown.toNanos(), attemptNanos + PROBE_GRACE_NANOS);
      RegionState s = new RegionState(r, clients.get(r), breaker, b.maxAttemptsPerRegion);
      states.put(r, s);
      if (metrics != null) {
        metrics.breakerGauge(s);
      }
    }
    Map<String, RegionState> view = Collections.unmodifiableMap(states);
    return new RoutingContext(
        view,
        new CandidateOrder(b.regions, view, b.routing, b.latencyProbeInterval.toNanos()),
        new FailureClassifier.Rules(b.failOverOnAccessDenied, b.failOverOnKeyState),
        attemptNanos,
        b.callTimeout.toNanos(),
        b.hedgeAfter == null ? 0 : b.hedgeAfter.toNanos(),
        metrics);
  }

  static Duration positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  static int atLeastOne(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + n);
    }
    return n;
  }
}
