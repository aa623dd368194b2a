package dev.mrkenvelope.aws.admin;

import java.util.List;
import java.util.Objects;

/**
 * One way a key set differs from its spec, found by {@link MrkAdmin#audit}. Immutable and
 * thread-safe.
 *
 * @param kind what the finding is about
 * @param severity how urgent it is
 * @param region the Region it concerns
 * @param expected what the spec says
 * @param actual what KMS says
 * @param fix what to do about it, in words (the call to make, or why it needs a human)
 * @param repairs the changes {@link MrkAdmin#apply} makes for it; empty when a human must act
 */
public record Finding(
    FindingKind kind,
    Severity severity,
    String region,
    String expected,
    String actual,
    String fix,
    List<Change> repairs) {

  /** Checks that nothing is null and copies the repairs. */
  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(actual, "actual");
    Objects.requireNonNull(fix, "fix");
    repairs = List.copyOf(repairs);
  }

  static Finding of(
      FindingKind kind,
      String region,
      String expected,
      String actual,
      String fix,
      Change... repairs) {
    return new Finding(kind, kind.severity(), region, expected, actual, fix, List.of(repairs));
  }
}
