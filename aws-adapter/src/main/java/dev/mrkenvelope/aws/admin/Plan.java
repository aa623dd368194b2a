package dev.mrkenvelope.aws.admin;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What {@link MrkAdmin#apply} would change to make the key set match its spec, computed by {@link
 * MrkAdmin#plan}. An empty plan means the key set already matches (as far as apply can make it
 * match: what needs a human, such as a disabled replica, shows up in {@link MrkAdmin#audit} only).
 * Immutable and thread-safe.
 *
 * @param spec the spec the plan was computed for
 * @param keyId the key set's key ID, or null when the plan creates the key
 * @param primaryRegion the Region the primary key is in now (replication is called there), or the
 *     spec's primary Region when the plan creates the key
 * @param changes the steps, in the order apply runs them
 */
public record Plan(KeySetSpec spec, String keyId, String primaryRegion, List<Change> changes) {

  /** Checks the fields and puts the changes in apply's order (by kind, then the spec's Regions). */
  public Plan {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(primaryRegion, "primaryRegion");
    List<String> regions = spec.regions();
    changes =
        changes.stream()
            .sorted(
                Comparator.comparing(Change::kind)
                    .thenComparingInt(c -> regions.indexOf(c.region())))
            .toList();
    if (keyId == null && changes.stream().noneMatch(c -> c.kind() == ChangeKind.CREATE_PRIMARY)) {
      throw new IllegalArgumentException("a plan without a key ID must create the primary key");
    }
  }

  /** True when there is nothing to change. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("plan for ").append(spec.alias()).append(": ");
    if (changes.isEmpty()) {
      return sb.append("nothing to change").toString();
    }
    sb.append(changes.size()).append(" change(s)");
    for (Change c : changes) {
      sb.append(System.lineSeparator()).append("  ").append(c);
    }
    return sb.toString();
  }
}
