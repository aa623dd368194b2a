package dev.mrkenvelope.aws.admin;

import dev.mrkenvelope.EnvelopeException;
import java.util.List;

/**
 * {@link MrkAdmin#apply} stopped (a KMS call failed, or a replica did not finish creating in time),
 * or {@link MrkAdmin#plan} could not read every Region. The message names the change, the KMS error
 * and the fix; {@link #applied()} lists what was done before it. Apply never leaves anything
 * half-deleted (it deletes nothing): plan again and apply the new plan once the cause is fixed.
 */
public final class MrkAdminException extends EnvelopeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Change> applied;

  MrkAdminException(String message, List<Change> applied, Throwable cause) {
    super(message, cause);
    this.applied = List.copyOf(applied);
  }

  /** The changes that were applied before the failure. */
  public List<Change> applied() {
    return applied;
  }
}
