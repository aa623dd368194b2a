package dev.mrkenvelope.aws;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.AbortedException;

/**
 * One KMS request in one Region, on the calling thread or a router thread, holding one of the
 * Region's {@linkplain RegionSlots slots}. The SDK enforces its timeout (per request, {@code
 * apiCallTimeout} and {@code apiCallAttemptTimeout}), so an attempt the router stops waiting for
 * still ends, and frees its thread and slot, within that time. Its outcome feeds the Region's
 * breaker, latency estimate and the metrics, whoever is still waiting for it, before the slot goes
 * to the next waiter (so that a waiter sees a breaker this attempt opened).
 */
final class Attempt<T> implements Runnable {
  private static final long MIN_SDK_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  final RegionState region;
  final String arn;
  final long startNanos;
  final long timeoutNanos;
  private final String operation;
  private final KmsRouter.KmsCall<T> call;
  private final RoutingContext ctx;
  private final Consumer<Attempt<T>> onDone;

  private Handoff<T> result;
  private FailureClassifier.Classified failure;
  private boolean interrupted;
  private volatile boolean done;

  Attempt(
      RoutingContext ctx,
      String operation,
      KmsRouter.KmsCall<T> call,
      RegionState region,
      String arn,
      long startNanos,
      long timeoutNanos,
      Consumer<Attempt<T>> onDone) {
    this.ctx = ctx;
    this.operation = operation;
    this.call = call;
    this.region = region;
    this.arn = arn;
    this.startNanos = startNanos;
    this.timeoutNanos = timeoutNanos;
    this.onDone = onDone;
  }

  @Override
  public void run() {
    long t0 = System.nanoTime();
    AttemptOutcome outcome;
    try {
      Duration d = Duration.ofNanos(Math.max(MIN_SDK_TIMEOUT_NANOS, timeoutNanos));
      AwsRequestOverrideConfiguration timeouts =
          AwsRequestOverrideConfiguration.builder()
              .apiCallTimeout(d)
              .apiCallAttemptTimeout(d)
              .build();
      result = new Handoff<>(call.invoke(region.client, arn, timeouts));
      outcome = AttemptOutcome.SUCCESS;
    } catch (RuntimeException | Error e) {
      // An interrupt (the caller's, or close()) aborts the request: not the Region's fault.
      interrupted = e instanceof AbortedException && Thread.currentThread().isInterrupted();
      failure = FailureClassifier.classify(e);
      outcome = failure.outcome;
    }
    long now = System.nanoTime();
    boolean opened;
    try {
      opened = record(outcome, now - t0, now);
    } finally {
      region.slots.release();
    }
    if (opened) {
      region.slots.wakeWaiters(); // they move on instead of waiting for a Region now skipped
    }
    done = true;
    onDone.accept(this);
  }

  /** Returns whether the outcome opened the Region's breaker. */
  private boolean record(AttemptOutcome outcome, long elapsed, long now) {
    boolean cutShort = outcome == AttemptOutcome.TIMEOUT && timeoutNanos < ctx.attemptTimeoutNanos;
    if (interrupted || cutShort) {
      // Cut short by the call (its remaining time, or an interrupt), not by the Region: neither
      // blame its breaker nor take it as a latency sample.
      region.breaker.release();
      return false;
    }
    boolean opened = region.breaker.record(outcome, now);
    if (outcome == AttemptOutcome.SUCCESS) {
      region.latency.sample(elapsed, now);
    } else if (outcome == AttemptOutcome.TIMEOUT) {
      region.latency.sample(Math.max(elapsed, ctx.attemptTimeoutNanos), now);
    }
    if (ctx.metrics != null) {
      ctx.metrics.request(region.name, operation, outcome, elapsed);
    }
    return opened;
  }

  /** The router's deadline for this attempt's answer. */
  long deadline() {
    return startNanos + timeoutNanos;
  }

  boolean isDone() {
    return done;
  }

  /** Only after {@link #isDone()}. */
  boolean succeeded() {
    return failure == null;
  }

  /** Only after {@link #isDone()}: the thread was interrupted, so the call should stop. */
  boolean interrupted() {
    return interrupted;
  }

  /**
   * Only after {@link #isDone()} and {@link #succeeded()}: takes the success as the call's answer,
   * after which {@link #discard} leaves its value alone; false if it was discarded first.
   */
  boolean take() {
    return result.take();
  }

  /** Only after {@link #take()} returned true: the value of the success. */
  T value() {
    return result.value();
  }

  /** Only after {@link #isDone()}: why it failed. */
  FailureClassifier.Classified failure() {
    return failure;
  }

  /**
   * Destroys the value of a success nobody will use (e.g. zeroes a data key); does nothing to a
   * value the call took. The attempt thread marks itself done before it signals the call, so the
   * call may take a value whose late signal then finds the call over and discards: {@link Handoff}
   * lets only the first of the two act.
   */
  void discard() {
    if (done && result != null) {
      result.destroy(call::discard);
    }
  }
}
