package dev.mrkenvelope.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds the exception of a routed call that did not succeed. */
final class CallFailures {
  private CallFailures() {}

  /** Why the call stopped at {@code region} instead of trying the others. */
  static String failFastSummary(String region, FailureClassifier.Classified c) {
    String what = c.errorCode != null ? Untrusted.escape(c.errorCode) : c.outcome.toString();
    String why;
    switch (c.outcome) {
      case ACCESS_DENIED:
        why =
            "; other Regions were not tried because key policies are per replica and a denial"
                + " may be deliberate (set failOverOnAccessDenied(true) to try them)";
        break;
      case KEY_STATE:
        why =
            "; other Regions were not tried because failOverOnKeyState(false) honours a"
                + " disabled replica as a revocation";
        break;
      case CREDENTIALS:
        why = "; other Regions were not tried because they would need the same credentials";
        break;
      default:
        why = "; other Regions were not tried because they would answer the same";
    }
    return "failed fast in " + region + " with " + what + why;
  }

  /**
   * The exception: the Regions tried, then the attempts whose result was not taken (in flight, or
   * answered after an earlier Region decided), then the Regions not reached.
   *
   * @param callTimeoutNanos the call timeout if it has passed, else negative
   */
  static KmsCallException build(
      KmsRouter.KeyTarget target,
      String operation,
      String summary,
      boolean failedFast,
      List<RegionAttempt> tried,
      List<? extends Attempt<?>> unresolved,
      Collection<String> pending,
      long callTimeoutNanos) {
    List<RegionAttempt> all = new ArrayList<>(tried);
    for (Attempt<?> a : unresolved) {
      all.add(untaken(a, callTimeoutNanos));
    }
    for (String r : pending) {
      all.add(new RegionAttempt(r, target.arnIn(r), AttemptOutcome.NOT_TRIED, null, null));
    }
    boolean retryable = !failedFast && all.stream().anyMatch(a -> a.outcome().isTransient());
    return retryable
        ? new KmsUnavailableException(target.keyId(), operation, summary, all)
        : new KmsRejectedException(target.keyId(), operation, failedFast, summary, all);
  }

  private static RegionAttempt untaken(Attempt<?> a, long callTimeoutNanos) {
    String region = a.region.name;
    if (a.isDone() && !a.succeeded()) {
      FailureClassifier.Classified c = a.failure();
      return new RegionAttempt(region, a.arn, c.outcome, c.errorCode, c.message);
    }
    if (!a.isDone() && callTimeoutNanos >= 0) {
      return new RegionAttempt(
          region,
          a.arn,
          AttemptOutcome.TIMEOUT,
          null,
          "no answer before the call timeout of "
              + TimeUnit.NANOSECONDS.toMillis(callTimeoutNanos)
              + " ms (callTimeout)");
    }
    return new RegionAttempt(
        region,
        a.arn,
        AttemptOutcome.ABANDONED,
        null,
        a.isDone() ? "answered, after an earlier Region had decided" : "in flight");
  }
}
