package dev.mrkenvelope.aws.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * One cell of a drill's N×N matrix: a data key generated in {@code from} (or a signature made
 * there) decrypted (verified) in {@code to}, by {@code to}'s own KMS endpoint and replica ARN.
 * Immutable and thread-safe.
 *
 * @param from the Region that generated the data key or signature
 * @param to the Region that decrypted or verified it
 * @param passed whether it worked
 * @param latency how long the call in {@code to} took (zero when no call was made)
 * @param error the KMS error or why no call was made; empty when passed
 * @param fix what to do about the error; empty when passed
 */
public record DrillCell(
    String from, String to, boolean passed, Duration latency, String error, String fix) {

  /** Checks that nothing is null. */
  public DrillCell {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(fix, "fix");
  }
}
