package dev.mrkenvelope.aws;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One routed call: the state the calling thread keeps while it tries the candidate Regions.
 *
 * <p>Without hedging, each attempt runs on the calling thread, one Region after the other, so a
 * call never waits for a router thread. With hedging, attempts run on router threads within each
 * Region's bulkhead (a full bulkhead skips the Region; when no other Region is left, the attempt
 * runs on the calling thread instead), and after {@code hedgeAfter} without an answer the next
 * Region is called in parallel (at most two attempts in flight).
 *
 * <p>Results are taken in candidate order, whichever attempt answers first: a later Region's answer
 * counts only once every earlier Region has failed in a way that moves on (or run out of its
 * attempt timeout). So hedging changes how soon a call ends, never how it ends: a denial by the
 * preferred Region is honoured even if a hedge already succeeded, and a hedge's fail-fast answer
 * does not end a call whose earlier Region is still in flight.
 */
final class RoutedCall<T> {
  /** Below this much remaining call time an attempt is not worth starting. */
  private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final int MAX_IN_FLIGHT_WHEN_HEDGING = 2;

  private final RoutingContext ctx;
  private final String operation;
  private final KmsRouter.KeyTarget target;
  private final KmsRouter.KmsCall<T> kmsCall;
  private final BlockingQueue<Attempt<T>> answers = new LinkedBlockingQueue<>();
  private final List<RegionAttempt> tried = new ArrayList<>();

  /** Launched attempts whose result has not been taken, in candidate order. */
  private final List<Attempt<T>> unresolved = new ArrayList<>(MAX_IN_FLIGHT_WHEN_HEDGING);

  private final List<Attempt<T>> launched = new ArrayList<>(MAX_IN_FLIGHT_WHEN_HEDGING);
  private final Deque<String> pending = new ArrayDeque<>();

  /** Regions skipped for a full bulkhead, to run on the calling thread if nothing else is left. */
  private final Deque<RegionAttempt> busy = new ArrayDeque<>();

  private final Object lock = new Object();
  private boolean finished;
  private long deadline;
  private long lastLaunch;
  private String failedFrom;
  private AttemptOutcome failedBecause;
  private Attempt<T> winner;

  RoutedCall(
      RoutingContext ctx, String operation, KmsRouter.KeyTarget target, KmsRouter.KmsCall<T> call) {
    this.ctx = ctx;
    this.operation = operation;
    this.target = target;
    this.kmsCall = call;
  }

  T run(String firstRegion) {
    long start = System.nanoTime();
    deadline = start + ctx.callTimeoutNanos;
    pending.addAll(ctx.order.order(target, firstRegion, start));
    if (pending.isEmpty()) {
      throw new KmsRejectedException(
          target.keyId(),
          operation,
          false,
          "cannot be called in any allowed Region: a single-Region key is only usable in its own"
              + " Region; add that Region to regions(...) or use a multi-Region key",
          List.of());
    }
    try {
      return loop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("was interrupted while waiting for KMS", false);
    } finally {
      finish();
    }
  }

  private T loop() throws InterruptedException {
    while (true) {
      Attempt<T> w = resolveInOrder(System.nanoTime());
      if (w != null) {
        winner = w;
        return w.value();
      }
      if (unresolved.isEmpty()) {
        if (!launchNext(false)) {
          throw exhausted();
        }
        continue;
      }
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        throw failure(
            "ran out of its call timeout of " + millis(ctx.callTimeoutNanos) + " ms", false);
      }
      long wake = earlier(deadline, unresolved.get(0).deadline());
      if (mayHedge()) {
        long hedgeAt = lastLaunch + ctx.hedgeAfterNanos;
        if (now - hedgeAt >= 0) {
          launchNext(true);
          continue;
        }
        wake = earlier(wake, hedgeAt);
      }
      answers.poll(Math.max(0, wake - now), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Takes the results of finished attempts in candidate order, up to the first still running.
   *
   * @return the attempt that succeeded, or null if the call is not decided yet
   * @throws KmsCallException if an attempt's outcome ends the call
   */
  private Attempt<T> resolveInOrder(long now) throws InterruptedException {
    while (!unresolved.isEmpty()) {
      Attempt<T> head = unresolved.get(0);
      if (!head.isDone()) {
        if (now - head.deadline() < 0) {
          return null;
        }
        unresolved.remove(0); // it still ends within the SDK's timeout; its result is dropped
        tried.add(
            new RegionAttempt(
                head.region.name,
                head.arn,
                AttemptOutcome.TIMEOUT,
                null,
                "no answer within " + millis(head.timeoutNanos) + " ms (attemptTimeout)"));
        noteFailure(head.region.name, AttemptOutcome.TIMEOUT);
        continue;
      }
      unresolved.remove(0);
      if (head.succeeded()) {
        return head;
      }
      if (head.interrupted()) {
        throw new InterruptedException();
      }
      FailureClassifier.Classified c = head.failure();
      tried.add(new RegionAttempt(head.region.name, head.arn, c.outcome, c.errorCode, c.message));
      if (ctx.rules.failsFast(c.outcome)) {
        throw failure(CallFailures.failFastSummary(head.region.name, c), true);
      }
      noteFailure(head.region.name, c.outcome);
    }
    return null;
  }

  /** Hedge only while every attempt in flight is still running and a Region is left. */
  private boolean mayHedge() {
    if (!ctx.hedging() || pending.isEmpty() || unresolved.size() >= MAX_IN_FLIGHT_WHEN_HEDGING) {
      return false;
    }
    for (Attempt<T> a : unresolved) {
      if (a.isDone()) {
        return false;
      }
    }
    return true;
  }

  /** Starts the next candidate whose breaker and bulkhead allow it; false if none is left. */
  private boolean launchNext(boolean hedge) {
    while (!pending.isEmpty()) {
      String r = pending.poll();
      RegionState region = ctx.regions.get(r);
      String arn = target.arnIn(r);
      long now = System.nanoTime();
      RegionBreaker.Permit permit = region.breaker.acquire(now);
      if (permit == RegionBreaker.Permit.DENIED) {
        long wait = region.breaker.coolDownRemaining(now);
        tried.add(
            new RegionAttempt(
                r,
                arn,
                AttemptOutcome.BREAKER_OPEN,
                null,
                wait > 0 ? "next probe in " + millis(wait) + " ms" : "a probe is in flight"));
        if (!hedge) {
          noteFailure(r, AttemptOutcome.BREAKER_OPEN);
        }
        continue;
      }
      if (deadline - now < MIN_ATTEMPT_NANOS) {
        pending.addFirst(r);
        giveBack(region, permit);
        return false; // no time left for a meaningful attempt; r is reported as not tried
      }
      boolean pooled = ctx.hedging();
      if (pooled && !region.tryEnterBulkhead()) {
        giveBack(region, permit);
        RegionAttempt skipped =
            new RegionAttempt(
                r,
                arn,
                AttemptOutcome.BUSY,
                null,
                ctx.bulkheadSize + " attempts already in flight there");
        tried.add(skipped);
        busy.add(skipped);
        continue;
      }
      start(region, arn, now, pooled, hedge);
      return true;
    }
    return !hedge && unresolved.isEmpty() && runBusyRegionInline();
  }

  /**
   * Nothing else is left: run a Region skipped for its full bulkhead on the calling thread, the one
   * that has answered fastest lately (a Region whose attempts hang fills its bulkhead first).
   */
  private boolean runBusyRegionInline() {
    while (!busy.isEmpty()) {
      RegionAttempt skipped = busy.stream().min(Comparator.comparingDouble(this::latency)).get();
      busy.remove(skipped);
      RegionState region = ctx.regions.get(skipped.region());
      long now = System.nanoTime();
      if (deadline - now < MIN_ATTEMPT_NANOS) {
        return false;
      }
      if (region.breaker.acquire(now) != RegionBreaker.Permit.DENIED) {
        tried.remove(skipped);
        start(region, target.arnIn(skipped.region()), now, false, false);
        return true;
      }
    }
    return false;
  }

  private double latency(RegionAttempt a) {
    double nanos = ctx.regions.get(a.region()).latency.nanos();
    return Double.isNaN(nanos) ? Double.MAX_VALUE : nanos;
  }

  private void start(RegionState region, String arn, long now, boolean pooled, boolean hedge) {
    long timeout = Math.min(ctx.attemptTimeoutNanos, deadline - now);
    Attempt<T> a =
        new Attempt<>(ctx, operation, kmsCall, region, arn, now, timeout, pooled, this::answered);
    if (ctx.metrics != null) {
      if (hedge) {
        ctx.metrics.hedge(operation);
      } else if (failedFrom != null) {
        ctx.metrics.failover(operation, failedFrom, region.name, failedBecause);
      }
    }
    if (!hedge) {
      failedFrom = null;
      failedBecause = null;
    }
    lastLaunch = now;
    unresolved.add(a);
    launched.add(a);
    if (!pooled) {
      a.run();
      return;
    }
    try {
      ctx.threads.execute(a);
    } catch (RejectedExecutionException e) {
      region.leaveBulkhead();
      region.breaker.release();
      throw new IllegalStateException("this KmsRouter is closed", e);
    }
  }

  private static void giveBack(RegionState region, RegionBreaker.Permit permit) {
    if (permit == RegionBreaker.Permit.PROBE) {
      region.breaker.release();
    }
  }

  private void noteFailure(String region, AttemptOutcome outcome) {
    if (failedFrom == null) {
      failedFrom = region;
      failedBecause = outcome;
    }
  }

  private void answered(Attempt<T> a) {
    synchronized (lock) {
      if (!finished) {
        answers.add(a);
        return;
      }
    }
    a.discard(); // the call is over: nobody will use this result
  }

  private void finish() {
    synchronized (lock) {
      finished = true;
    }
    for (Attempt<T> a : launched) {
      if (a != winner) {
        a.discard();
      }
    }
  }

  private KmsCallException exhausted() {
    if (!pending.isEmpty()) {
      return failure(
          "ran out of its call timeout of " + millis(ctx.callTimeoutNanos) + " ms", false);
    }
    boolean allSkipped = tried.stream().allMatch(r -> r.outcome() == AttemptOutcome.BREAKER_OPEN);
    return failure(
        allSkipped
            ? "was not attempted: the circuit breaker of every allowed Region is open"
            : "failed in every allowed Region",
        false);
  }

  /** The call's exception: every Region considered, including those still in flight. */
  private KmsCallException failure(String summary, boolean failedFast) {
    return CallFailures.build(
        target,
        operation,
        summary,
        failedFast,
        tried,
        unresolved,
        pending,
        System.nanoTime() - deadline >= 0 ? ctx.callTimeoutNanos : -1);
  }

  private static long earlier(long a, long b) {
    return a - b <= 0 ? a : b;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
