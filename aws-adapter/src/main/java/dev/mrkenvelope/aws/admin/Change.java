package dev.mrkenvelope.aws.admin;

import java.util.Objects;

/**
 * One step of a {@link Plan}: a KMS call in one Region. Immutable and thread-safe.
 *
 * @param kind what the step does
 * @param region the Region whose KMS endpoint receives the call
 * @param reason why the step is needed, for people reading the plan
 */
public record Change(ChangeKind kind, String region, String reason) {

  /** Checks that nothing is null. */
  public Change {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return kind + " in " + region + ": " + reason;
  }
}
