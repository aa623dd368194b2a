package dev.mrkenvelope.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The Regions one call may use, in the order to try them: the allow-list filtered to the Regions
 * where the key can be used, ordered by the {@link RoutingPolicy}, with the caller's first Region
 * (e.g. the configured key's own Region on encrypt) moved to the front when it is allowed.
 */
final class CandidateOrder {
  private final List<String> regions;
  private final Map<String, RegionState> states;
  private final RoutingPolicy routing;
  private final long latencyProbeIntervalNanos;

  CandidateOrder(
      List<String> regions,
      Map<String, RegionState> states,
      RoutingPolicy routing,
      long latencyProbeIntervalNanos) {
    this.regions = regions;
    this.states = states;
    this.routing = routing;
    this.latencyProbeIntervalNanos = latencyProbeIntervalNanos;
  }

  /**
   * @param firstRegion a Region to try before all others if it is allowed and usable, or null
   */
  List<String> order(KmsRouter.KeyTarget target, String firstRegion, long now) {
    List<String> order = new ArrayList<>(regions.size());
    for (String r : regions) {
      if (target.arnIn(r) != null) {
        order.add(r);
      }
    }
    if (routing == RoutingPolicy.LOWEST_LATENCY) {
      // NaN (never measured) sorts first so that every Region gets measured; the sort is stable.
      order.sort(Comparator.comparingDouble(r -> sortKey(states.get(r).latency.nanos())));
      for (int i = 1; i < order.size(); i++) {
        String r = order.get(i);
        if (states.get(r).latency.claimProbe(now, latencyProbeIntervalNanos)) {
          order.add(0, order.remove(i));
          break;
        }
      }
    }
    if (firstRegion != null && order.remove(firstRegion)) {
      order.add(0, firstRegion);
    }
    return order;
  }

  private static double sortKey(double estimate) {
    return Double.isNaN(estimate) ? -1 : estimate;
  }
}
