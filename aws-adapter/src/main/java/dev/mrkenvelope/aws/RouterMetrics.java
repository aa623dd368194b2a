package dev.mrkenvelope.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The router's Micrometer meters; one instance per router, or none (no registry, no cost). Tags
 * carry Region, operation, outcome and reason only, never key ARNs or data.
 *
 * <ul>
 *   <li>{@code mrkenvelope.kms.requests} timer {region, operation, outcome}: one sample per KMS
 *       attempt; outcome is success, throttled, server_error, client_error, timeout or transport.
 *   <li>{@code mrkenvelope.kms.failovers} counter {operation, from, to, reason}: the router moved a
 *       call from one Region to the next.
 *   <li>{@code mrkenvelope.kms.hedges} counter {operation}: a hedged attempt was started.
 *   <li>{@code mrkenvelope.region.breaker} gauge {region}: 0 closed, 1 half-open, 2 open. When
 *       several routers share a registry, the gauge shows the most open of their breakers for the
 *       Region (a meter is registered once per name and tags, so each router cannot have its own).
 * </ul>
 */
final class RouterMetrics {
  /** Per registry and Region, the breakers of every live router behind the one gauge. */
  private static final Map<MeterRegistry, Map<String, Set<RegionBreaker>>> BREAKERS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  RouterMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void breakerGauge(RegionState region) {
    breakers(region.name).add(region.breaker);
  }

  /** Takes a closed router's breaker out of the gauge. */
  void removeBreakerGauge(RegionState region) {
    breakers(region.name).remove(region.breaker);
  }

  private Set<RegionBreaker> breakers(String region) {
    Map<String, Set<RegionBreaker>> byRegion =
        BREAKERS.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    return byRegion.computeIfAbsent(
        region,
        r -> {
          Set<RegionBreaker> set = ConcurrentHashMap.newKeySet();
          Gauge.builder(
                  "mrkenvelope.region.breaker",
                  set,
                  s -> s.stream().mapToInt(b -> b.state().gaugeValue()).max().orElse(0))
              .description("Circuit breaker state of a KMS Region: 0 closed, 1 half-open, 2 open")
              .tag("region", r)
              .strongReference(true)
              .register(registry);
          return set;
        });
  }

  void request(String region, String operation, AttemptOutcome outcome, long nanos) {
    String tag = outcome.metricTag();
    if (tag == null) {
      return;
    }
    String key = region + '|' + operation + '|' + tag;
    timers
        .computeIfAbsent(
            key,
            k ->
                Timer.builder("mrkenvelope.kms.requests")
                    .description("KMS attempts by Region, operation and outcome")
                    .tag("region", region)
                    .tag("operation", operation)
                    .tag("outcome", tag)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void failover(String operation, String from, String to, AttemptOutcome because) {
    String reason = because.reason();
    String key = "f|" + operation + '|' + from + '|' + to + '|' + reason;
    counters
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("mrkenvelope.kms.failovers")
                    .description("KMS calls moved from one Region to the next")
                    .tag("operation", operation)
                    .tag("from", from)
                    .tag("to", to)
                    .tag("reason", reason)
                    .register(registry))
        .increment();
  }

  void hedge(String operation) {
    counters
        .computeIfAbsent(
            "h|" + operation,
            k ->
                Counter.builder("mrkenvelope.kms.hedges")
                    .description("Hedged KMS attempts started in a second Region")
                    .tag("operation", operation)
                    .register(registry))
        .increment();
  }
}
