package dev.mrkenvelope.aws.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * A drill's checks in one Region: the replica's key state, its key policy compared with the other
 * Regions', and whether GenerateDataKey (Sign for signing keys) works there. Immutable and
 * thread-safe.
 *
 * @param region the Region
 * @param keyState the replica's KeyState from DescribeKey, or "unknown" when it could not be read
 * @param policy how the replica's key policy compares with the first readable Region's
 * @param generated whether GenerateDataKey (or Sign) succeeded
 * @param latency how long GenerateDataKey (or Sign) took (zero when not attempted)
 * @param error the first KMS error in this Region; empty when none
 * @param fix what to do about it; empty when none
 */
public record RegionProbe(
    String region,
    String keyState,
    PolicyCheck policy,
    boolean generated,
    Duration latency,
    String error,
    String fix) {

  /** Checks that nothing is null. */
  public RegionProbe {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(keyState, "keyState");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(fix, "fix");
  }

  /** Whether the Region is ready: the key is Enabled and GenerateDataKey (or Sign) worked. */
  public boolean ready() {
    return generated && keyState.equals("Enabled");
  }

  /** The key policy check of one Region. */
  public enum PolicyCheck {
    /** Same policy (normalised JSON) as the first readable Region's. */
    CONSISTENT,
    /** A different policy: policies are per replica, so one Region may deny what others allow. */
    DIFFERS,
    /** GetKeyPolicy failed (not allowed to the drilling identity, or the Region is down). */
    UNREADABLE
  }
}
