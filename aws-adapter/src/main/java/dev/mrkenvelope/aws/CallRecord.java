package dev.mrkenvelope.aws;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one routed call saw in each Region it considered, in order: for its exception, for the
 * failover metric, and the Regions given up on for want of a slot, to come back to. Used by the
 * calling thread only.
 */
final class CallRecord {
  private final List<RegionAttempt> seen = new ArrayList<>();
  private final Deque<RegionAttempt> busy = new ArrayDeque<>();
  private String failedFrom;
  private AttemptOutcome failedBecause;

  /** An attempt that ended without success and does not end the call by itself. */
  void failed(RegionAttempt a) {
    seen.add(a);
    noteFailure(a.region(), a.outcome());
  }

  /** An attempt whose failure ends the call (it is not a failover). */
  void failedFast(RegionAttempt a) {
    seen.add(a);
  }

  /** The attempt timed out from the call's point of view. */
  void timedOut(Attempt<?> a) {
    failed(
        new RegionAttempt(
            a.region.name,
            a.arn,
            AttemptOutcome.TIMEOUT,
            null,
            "no answer within " + millis(a.timeoutNanos) + " ms (attemptTimeout)"));
  }

  /** The Region was skipped for its open breaker. */
  void breakerOpen(RegionState region, String arn, long now, boolean hedge) {
    long wait = region.breaker.coolDownRemaining(now);
    seen.add(
        new RegionAttempt(
            region.name,
            arn,
            AttemptOutcome.BREAKER_OPEN,
            null,
            wait > 0 ? "next probe in " + millis(wait) + " ms" : "a probe is in flight"));
    if (!hedge) {
      noteFailure(region.name, AttemptOutcome.BREAKER_OPEN);
    }
  }

  /** The call stopped waiting for a slot of {@code region} and moved on. */
  void gaveUpWaiting(RegionState region, String arn, long waitedNanos, boolean hedge) {
    RegionAttempt skipped = busyEntry(region, arn, "waited " + millis(waitedNanos) + " ms while");
    seen.add(skipped);
    busy.add(skipped);
    if (!hedge) {
      noteFailure(region.name, AttemptOutcome.BUSY);
    }
  }

  /** The first Region given up on for want of a slot (it leaves this record), or null. */
  String takeBusy() {
    RegionAttempt again = busy.poll();
    if (again == null) {
      return null;
    }
    seen.remove(again);
    return again.region();
  }

  boolean hasBusy() {
    return !busy.isEmpty();
  }

  /** An attempt starts: counts a failover to it when the previous Region failed. */
  void started(RouterMetrics metrics, String operation, String region, boolean hedge) {
    if (metrics != null) {
      if (hedge) {
        metrics.hedge(operation);
      } else if (failedFrom != null) {
        metrics.failover(operation, failedFrom, region, failedBecause);
      }
    }
    if (!hedge) {
      failedFrom = null;
      failedBecause = null;
    }
  }

  boolean allBreakersOpen() {
    return seen.stream().allMatch(r -> r.outcome() == AttemptOutcome.BREAKER_OPEN);
  }

  /** What was seen, in order. */
  List<RegionAttempt> seen() {
    return seen;
  }

  /** What was seen, plus the Region the call is still waiting for a slot of. */
  List<RegionAttempt> withWaiting(RegionState waitingFor, String arn, long waitedNanos) {
    List<RegionAttempt> all = new ArrayList<>(seen);
    all.add(busyEntry(waitingFor, arn, "still waiting after " + millis(waitedNanos) + " ms while"));
    return all;
  }

  private static RegionAttempt busyEntry(RegionState region, String arn, String how) {
    return new RegionAttempt(
        region.name,
        arn,
        AttemptOutcome.BUSY,
        null,
        "not sent: "
            + how
            + " all "
            + region.slots.limit()
            + " slots were in use (maxConcurrentAttemptsPerRegion)");
  }

  private void noteFailure(String region, AttemptOutcome outcome) {
    if (failedFrom == null) {
      failedFrom = region;
      failedBecause = outcome;
    }
  }

  static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
