package dev.mrkenvelope.aws.admin;

/**
 * Automatic rotation of a key set's primary key (KMS rotates the key material of every replica with
 * it). Immutable and thread-safe.
 *
 * @param enabled whether automatic rotation is on
 * @param periodDays days between rotations, 90 to 2560 when enabled, 0 when off
 */
public record Rotation(boolean enabled, int periodDays) {

  /** Checks the period against the range KMS accepts. */
  public Rotation {
    if (enabled && (periodDays < 90 || periodDays > 2560)) {
      throw new IllegalArgumentException(
          "rotation periodDays must be between 90 and 2560 (KMS's range): " + periodDays);
    }
    if (!enabled && periodDays != 0) {
      throw new IllegalArgumentException(
          "rotation periodDays must be 0 when rotation is off: " + periodDays);
    }
  }

  /** Rotation every {@code periodDays} days (KMS's default is 365). */
  public static Rotation every(int periodDays) {
    return new Rotation(true, periodDays);
  }

  /** No automatic rotation. */
  public static Rotation off() {
    return new Rotation(false, 0);
  }
}
