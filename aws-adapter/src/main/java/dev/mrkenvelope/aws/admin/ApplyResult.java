package dev.mrkenvelope.aws.admin;

import java.util.List;
import java.util.Objects;

/**
 * What {@link MrkAdmin#apply} did. Immutable and thread-safe.
 *
 * @param keyId the key set's key ID (new when the plan created the key)
 * @param applied the changes made, in order
 */
public record ApplyResult(String keyId, List<Change> applied) {

  /** Checks the fields and copies the list. */
  public ApplyResult {
    Objects.requireNonNull(keyId, "keyId");
    applied = List.copyOf(applied);
  }
}
