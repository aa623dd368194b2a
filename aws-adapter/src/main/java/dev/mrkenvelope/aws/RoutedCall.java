package dev.mrkenvelope.aws;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One routed call: the state the calling thread keeps while it tries the candidate Regions.
 *
 * <p>Every attempt needs one of its Region's {@linkplain RegionSlots slots}. When none is free the
 * call waits for one, spending call time, not attempt time; it gives up on that Region (outcome
 * {@link AttemptOutcome#BUSY}) when its breaker opens, or when another Region is left and no slot
 * came within the attempt timeout (with hedging: within {@code hedgeAfter}) or no attempt there has
 * ended for eight typical latencies (at least 100 ms: its requests hang), and comes back to it if
 * every other Region is gone. So a call never fails for lack of a slot while time remains.
 *
 * <p>Without hedging, each attempt runs on the calling thread, one Region after the other. With
 * hedging, attempts run on router threads (at most one per slot), and after {@code hedgeAfter}
 * without an answer the next Region is called in parallel (at most two attempts in flight).
 *
 * <p>Results are taken in candidate order, whichever attempt answers first: a later Region's answer
 * counts only once every earlier Region has failed in a way that moves on (or run out of its
 * attempt timeout). So hedging changes how soon a call ends, never how it ends: a denial by the
 * preferred Region is honoured even if a hedge already succeeded, and a hedge's fail-fast answer
 * does not end a call whose earlier Region is still in flight. A Region never sent the request
 * (still waiting for a slot) has no answer to wait for. One exception, when no answer could be
 * honoured as a refusal ({@code failOverOnAccessDenied(true)}, {@code failOverOnKeyState(true)}): a
 * later Region's success then ends the call at once.
 */
final class RoutedCall<T> {
  /** Below this much remaining call time an attempt is not worth starting. */
  private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final int MAX_IN_FLIGHT_WHEN_HEDGING = 2;

  /** A Region none of whose attempts ended for this long (at least) is taken as stalled. */
  private static final long MIN_STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final int STALL_LATENCIES = 8;

  /** What a granted slot or a woken Region puts in {@link #signals}. */
  private static final Object WAKE = new Object();

  private final RoutingContext ctx;
  private final String operation;
  private final KmsRouter.KeyTarget target;
  private final KmsRouter.KmsCall<T> kmsCall;

  /** Wakes the calling thread: an attempt ended, a slot was granted, or a breaker opened. */
  private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();

  private final CallRecord record = new CallRecord();

  /** Launched attempts whose result has not been taken, in candidate order. */
  private final List<Attempt<T>> unresolved = new ArrayList<>(MAX_IN_FLIGHT_WHEN_HEDGING);

  private final List<Attempt<T>> launched = new ArrayList<>(MAX_IN_FLIGHT_WHEN_HEDGING);
  private final Deque<String> pending = new ArrayDeque<>();

  private final Object lock = new Object();
  private boolean finished;
  private long deadline;
  private long lastLaunch;
  private Attempt<T> winner;

  /** The Region whose slot this call waits for, or null; always after every attempt launched. */
  private Waiting waiting;

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
      long now = System.nanoTime();
      Attempt<T> w = resolveInOrder(now);
      if (w != null) {
        if (w.take()) {
          winner = w;
          return w.value();
        }
        continue; // discarded first, which only a finished call does: not reached in practice
      }
      if (waiting != null && advanceWaiting(now)) {
        continue;
      }
      if (unresolved.isEmpty() && waiting == null) {
        if (!launchNext(false)) {
          throw exhausted();
        }
        continue;
      }
      if (now - deadline >= 0) {
        throw failure(
            "ran out of its call timeout of " + CallRecord.millis(ctx.callTimeoutNanos) + " ms",
            false);
      }
      long wake = deadline;
      if (!unresolved.isEmpty()) {
        wake = earlier(wake, unresolved.get(0).deadline());
      }
      if (waiting != null && mayGiveUpWaiting()) {
        wake = earlier(wake, giveUpAt());
      }
      if (mayHedge()) {
        long hedgeAt = lastLaunch + ctx.hedgeAfterNanos;
        if (now - hedgeAt >= 0) {
          launchNext(true);
          continue;
        }
        wake = earlier(wake, hedgeAt);
      }
      signals.poll(Math.max(0, wake - now), TimeUnit.NANOSECONDS);
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
          return ctx.rules.laterSuccessDecides() ? laterSuccess() : null;
        }
        unresolved.remove(0); // it still ends within the SDK's timeout; its result is dropped
        record.timedOut(head);
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
      RegionAttempt failed =
          new RegionAttempt(head.region.name, head.arn, c.outcome, c.errorCode, c.message);
      if (ctx.rules.failsFast(c.outcome)) {
        record.failedFast(failed);
        throw failure(CallFailures.failFastSummary(head.region.name, c), true);
      }
      record.failed(failed);
    }
    return null;
  }

  /** A later attempt that succeeded (taken out of the unresolved list), or null. */
  private Attempt<T> laterSuccess() {
    for (int i = 1; i < unresolved.size(); i++) {
      Attempt<T> a = unresolved.get(i);
      if (a.isDone() && a.succeeded()) {
        return unresolved.remove(i);
      }
    }
    return null;
  }

  /** Hedge only while every attempt in flight is still running and a Region is left. */
  private boolean mayHedge() {
    if (!ctx.hedging()
        || waiting != null
        || pending.isEmpty()
        || unresolved.size() >= MAX_IN_FLIGHT_WHEN_HEDGING) {
      return false;
    }
    for (Attempt<T> a : unresolved) {
      if (a.isDone()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Starts the next candidate whose breaker allows it, or queues for its slot; false if none is
   * left (a Region given up on for want of a slot is taken up again when nothing else is).
   */
  private boolean launchNext(boolean hedge) {
    while (!pending.isEmpty()) {
      String r = pending.poll();
      RegionState region = ctx.regions.get(r);
      String arn = target.arnIn(r);
      long now = System.nanoTime();
      RegionBreaker.Permit permit = region.breaker.acquire(now);
      if (permit == RegionBreaker.Permit.DENIED) {
        record.breakerOpen(region, arn, now, hedge);
        continue;
      }
      if (deadline - now < MIN_ATTEMPT_NANOS) {
        pending.addFirst(r);
        giveBack(region, permit);
        return false; // no time left for a meaningful attempt; r is reported as not tried
      }
      lastLaunch = now;
      RegionSlots.Ticket ticket = region.slots.take(deadline, this::wake);
      if (ticket.claim()) {
        start(region, arn, now, hedge);
      } else {
        waiting = new Waiting(region, arn, ticket, permit, now, hedge);
      }
      return true;
    }
    if (!hedge && unresolved.isEmpty() && record.hasBusy()) {
      pending.add(record.takeBusy());
      return launchNext(false);
    }
    return false;
  }

  /**
   * Moves the wait for a slot on: starts the attempt once granted, or gives the Region up when its
   * breaker opened or it kept every slot for too long.
   *
   * @return whether anything changed
   */
  private boolean advanceWaiting(long now) {
    Waiting wt = waiting;
    RegionState region = wt.region();
    if (wt.ticket().claim()) {
      waiting = null;
      RegionBreaker.Permit permit =
          wt.permit() == RegionBreaker.Permit.PROBE ? wt.permit() : region.breaker.acquire(now);
      if (permit == RegionBreaker.Permit.DENIED) {
        region.slots.release();
        record.breakerOpen(region, wt.arn(), now, wt.hedge());
      } else if (deadline - now < MIN_ATTEMPT_NANOS) {
        region.slots.release();
        giveBack(region, permit);
        pending.addFirst(region.name);
      } else {
        start(region, wt.arn(), now, wt.hedge());
      }
      return true;
    }
    if (wt.permit() != RegionBreaker.Permit.PROBE && region.breaker.state() == BreakerState.OPEN) {
      stopWaiting();
      record.breakerOpen(region, wt.arn(), now, wt.hedge());
      return true;
    }
    if (mayGiveUpWaiting() && now - giveUpAt() >= 0) {
      stopWaiting();
      record.gaveUpWaiting(region, wt.arn(), now - wt.since(), wt.hedge());
      return true;
    }
    return false;
  }

  /** A wait may be given up only for another Region, and only when nothing is in flight. */
  private boolean mayGiveUpWaiting() {
    return unresolved.isEmpty() && !pending.isEmpty();
  }

  /**
   * When to stop waiting for a slot: after the attempt timeout (with hedging, {@code hedgeAfter}),
   * or sooner when no attempt in the Region has ended for {@link #stallNanos} (every slot is held
   * by a request that hangs, as in a blackholed Region, while a Region busy with answers keeps
   * ending attempts).
   */
  private long giveUpAt() {
    Waiting wt = waiting;
    long limit = wt.since() + (ctx.hedging() ? ctx.hedgeAfterNanos : ctx.attemptTimeoutNanos);
    long quietSince = later(wt.since(), wt.region().slots.lastRelease());
    return earlier(limit, quietSince + stallNanos(wt.region()));
  }

  /** Eight typical answers, at least {@link #MIN_STALL_NANOS}. */
  private static long stallNanos(RegionState region) {
    double typical = region.latency.nanos();
    return Double.isNaN(typical)
        ? MIN_STALL_NANOS
        : Math.max(MIN_STALL_NANOS, (long) (STALL_LATENCIES * typical));
  }

  private void stopWaiting() {
    Waiting wt = waiting;
    waiting = null;
    wt.ticket().cancel();
    giveBack(wt.region(), wt.permit());
  }

  /** Runs an attempt that holds a slot of {@code region}. */
  private void start(RegionState region, String arn, long now, boolean hedge) {
    long timeout = Math.min(ctx.attemptTimeoutNanos, deadline - now);
    boolean pooled = ctx.hedging();
    Attempt<T> a =
        new Attempt<>(ctx, operation, kmsCall, region, arn, now, timeout, this::answered);
    record.started(ctx.metrics, operation, region.name, hedge);
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
      region.slots.release();
      region.breaker.release();
      throw new IllegalStateException("this KmsRouter is closed", e);
    }
  }

  private static void giveBack(RegionState region, RegionBreaker.Permit permit) {
    if (permit == RegionBreaker.Permit.PROBE) {
      region.breaker.release();
    }
  }

  private void wake() {
    signals.add(WAKE);
  }

  private void answered(Attempt<T> a) {
    synchronized (lock) {
      if (!finished) {
        signals.add(a);
        return;
      }
    }
    a.discard(); // the call is over: nobody will use this result
  }

  private void finish() {
    synchronized (lock) {
      finished = true;
    }
    if (waiting != null) {
      stopWaiting();
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
          "ran out of its call timeout of " + CallRecord.millis(ctx.callTimeoutNanos) + " ms",
          false);
    }
    return failure(
        record.allBreakersOpen()
            ? "was not attempted: the circuit breaker of every allowed Region is open"
            : "failed in every allowed Region",
        false);
  }

  /** The call's exception: every Region considered, including those still in flight. */
  private KmsCallException failure(String summary, boolean failedFast) {
    List<RegionAttempt> all =
        waiting == null
            ? record.seen()
            : record.withWaiting(
                waiting.region(), waiting.arn(), System.nanoTime() - waiting.since());
    return CallFailures.build(
        target,
        operation,
        summary,
        failedFast,
        all,
        unresolved,
        pending,
        System.nanoTime() - deadline >= 0 ? ctx.callTimeoutNanos : -1);
  }

  private static long later(long a, long b) {
    return a - b >= 0 ? a : b;
  }

  private static long earlier(long a, long b) {
    return a - b <= 0 ? a : b;
  }

  /** A Region this call has queued for. */
  private record Waiting(
      RegionState region,
      String arn,
      RegionSlots.Ticket ticket,
      RegionBreaker.Permit permit,
      long since,
      boolean hedge) {}
}
