package dev.mrkenvelope.aws.admin;

import dev.mrkenvelope.aws.admin.KeySetState.RegionView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.MultiRegionKey;

/**
 * Compares a {@link KeySetState} with its spec: the findings, each with the changes that repair it.
 */
final class Auditor {
  private final KeySetSpec spec;
  private final KeySetState s;
  private final Kms kms;
  private final String policy;
  private final List<Finding> out = new ArrayList<>();

  private Auditor(KeySetSpec spec, KeySetState s, Kms kms) {
    this.spec = spec;
    this.s = s;
    this.kms = kms;
    this.policy = spec.policyDocument();
  }

  static List<Finding> findings(KeySetSpec spec, KeySetState state, Kms kms) {
    Auditor a = new Auditor(spec, state, kms);
    a.run();
    List<String> order = spec.regions();
    a.out.sort(
        Comparator.comparing(Finding::severity)
            .reversed()
            .thenComparingInt(f -> order.indexOf(f.region())));
    return a.out;
  }

  private void run() {
    boolean anyUnreadable = false;
    for (RegionView v : s.regions.values()) {
      if (v.error != null) {
        anyUnreadable = true;
        out.add(
            Finding.of(
                FindingKind.REGION_UNREADABLE,
                v.region,
                "readable",
                v.error,
                "make "
                    + v.region
                    + " reachable and allow DescribeKey, GetKeyPolicy and"
                    + " ListResourceTags there to the auditing identity, then audit again"));
      }
    }
    if (s.keyId == null) {
      keySetMissing(anyUnreadable);
      return;
    }
    for (RegionView v : s.regions.values()) {
      if (v.error == null) {
        region(v);
      }
    }
    primaryAndReplicas();
    rotation();
  }

  private void keySetMissing(boolean anyUnreadable) {
    if (anyUnreadable) {
      out.add(
          Finding.of(
              FindingKind.KEY_SET_MISSING,
              spec.primaryRegion(),
              spec.alias(),
              "not found in the Regions that could be read",
              "fix the unreadable Regions first: creating a key now could duplicate one"));
      return;
    }
    List<Change> create = new ArrayList<>();
    create.add(new Change(ChangeKind.CREATE_PRIMARY, spec.primaryRegion(), "no key set yet"));
    for (String r : spec.replicaRegions()) {
      create.add(new Change(ChangeKind.REPLICATE, r, "replica of the new key"));
    }
    for (String r : spec.regions()) {
      create.add(new Change(ChangeKind.CREATE_ALIAS, r, spec.alias() + " -> the new key"));
    }
    if (spec.rotation().enabled()) {
      create.add(
          new Change(
              ChangeKind.ENABLE_ROTATION,
              spec.primaryRegion(),
              "every " + spec.rotation().periodDays() + " days"));
    }
    out.add(
        new Finding(
            FindingKind.KEY_SET_MISSING,
            FindingKind.KEY_SET_MISSING.severity(),
            spec.primaryRegion(),
            spec.alias() + " in " + spec.regions(),
            "in no Region",
            "MrkAdmin.apply creates the primary, its replicas and the aliases",
            create));
  }

  private void region(RegionView v) {
    String r = v.region;
    if (v.key == null) {
      replicaMissing(v);
      return;
    }
    KeyMetadata k = v.key;
    if (!Boolean.TRUE.equals(k.multiRegion())) {
      add(
          FindingKind.KEY_NOT_MULTI_REGION,
          r,
          "a multi-Region key (mrk-…)",
          k.keyId(),
          "a key set needs a multi-Region key: create one with a new alias and migrate data to it");
      return;
    }
    if (k.keySpec() != spec.keySpec() || k.keyUsage() != spec.keyUsage()) {
      add(
          FindingKind.KEY_SPEC_MISMATCH,
          r,
          spec.keySpec() + "/" + spec.keyUsage(),
          k.keySpec() + "/" + k.keyUsage(),
          "KMS cannot change a key's spec or usage: give the spec a new alias for a new key set");
    }
    KeyState state = k.keyState();
    if (state == KeyState.DISABLED) {
      add(
          FindingKind.KEY_DISABLED,
          r,
          "Enabled",
          "Disabled",
          "enabling a key is a human decision (a disabled replica may be a deliberate regional"
              + " kill-switch); if it is not, run EnableKey on "
              + k.arn()
              + " in "
              + r);
    } else if (state == KeyState.PENDING_DELETION || state == KeyState.PENDING_REPLICA_DELETION) {
      add(
          FindingKind.KEY_PENDING_DELETION,
          r,
          "Enabled",
          state.toString(),
          "a human must decide: CancelKeyDeletion then EnableKey on "
              + k.arn()
              + " in "
              + r
              + " before the deletion date, or the key material there is gone for good");
      return;
    } else if (state == KeyState.CREATING) {
      add(
          FindingKind.REPLICA_CREATING,
          r,
          "Enabled",
          "Creating",
          "replication is still running; audit again in a minute");
    }
    alias(v);
    if (!PolicyDocuments.equivalent(policy, v.policy)) {
      policyDiffers(v);
    }
    if (!spec.description().equals(k.description())) {
      add(
          FindingKind.DESCRIPTION_DIFFERS,
          r,
          quote(spec.description()),
          quote(k.description()),
          "UpdateKeyDescription in " + r,
          new Change(ChangeKind.UPDATE_DESCRIPTION, r, "description"));
    }
    if (v.tags != null) {
      Map<String, String> missing = new java.util.TreeMap<>(spec.tags());
      missing.entrySet().removeIf(e -> e.getValue().equals(v.tags.get(e.getKey())));
      if (!missing.isEmpty()) {
        add(
            FindingKind.TAGS_DIFFER,
            r,
            missing.toString(),
            "missing or different",
            "TagResource in " + r,
            new Change(ChangeKind.TAG, r, "tags " + missing.keySet()));
      }
    }
  }

  private void replicaMissing(RegionView v) {
    String r = v.region;
    String fix = "ReplicateKey from the primary in " + s.actualPrimary + " to " + r;
    if (s.actualPrimary == null || !kms.has(s.actualPrimary)) {
      add(
          FindingKind.REPLICA_MISSING,
          r,
          "a replica",
          "none",
          fix + " (MrkAdmin has no client for the primary's Region " + s.actualPrimary + ")");
      return;
    }
    Change aliasChange =
        v.aliasTarget == null
            ? new Change(ChangeKind.CREATE_ALIAS, r, spec.alias() + " -> " + s.keyId)
            : new Change(ChangeKind.UPDATE_ALIAS, r, spec.alias() + " -> " + s.keyId);
    add(
        FindingKind.REPLICA_MISSING,
        r,
        "a replica of " + s.keyId,
        "none",
        fix,
        new Change(ChangeKind.REPLICATE, r, "no replica"),
        aliasChange);
  }

  private void alias(RegionView v) {
    String r = v.region;
    if (v.aliasTarget == null) {
      add(
          FindingKind.ALIAS_MISSING,
          r,
          spec.alias() + " -> " + s.keyId,
          "no alias",
          "CreateAlias in " + r,
          new Change(ChangeKind.CREATE_ALIAS, r, "alias missing"));
    } else if (!v.aliasTarget.equals(s.keyId)) {
      add(
          FindingKind.ALIAS_POINTS_ELSEWHERE,
          r,
          spec.alias() + " -> " + s.keyId,
          spec.alias() + " -> " + v.aliasTarget,
          "UpdateAlias in " + r + " (check first who uses the other key)",
          new Change(ChangeKind.UPDATE_ALIAS, r, "alias names " + v.aliasTarget));
    }
  }

  private void policyDiffers(RegionView v) {
    String r = v.region;
    Set<String> outside = new TreeSet<>(PolicyDocuments.replicaRegionsAllowed(v.policy));
    boolean unrestricted = outside.remove(PolicyDocuments.ANY_REGION);
    outside.removeAll(spec.replicaRegions());
    Change put = new Change(ChangeKind.PUT_POLICY, r, "policy differs from the spec");
    if (!outside.isEmpty()) {
      add(
          FindingKind.REPLICA_REGION_OUTSIDE_SPEC,
          r,
          "kms:ReplicaRegion in " + spec.replicaRegions(),
          "kms:ReplicaRegion also allows " + outside,
          "PutKeyPolicy in "
              + r
              + " with the spec's policy, so the key cannot be copied to "
              + outside,
          put);
    } else {
      add(
          FindingKind.POLICY_DIFFERS,
          r,
          "the spec's policy (normalised JSON)",
          Tables.cut(v.policy, 120)
              + (unrestricted ? " [allows kms:ReplicateKey to any Region]" : ""),
          "PutKeyPolicy in " + r + " with the spec's policy (policies are per replica)",
          put);
    }
  }

  private void primaryAndReplicas() {
    KeyMetadata primary = s.primaryKey();
    if (s.actualPrimary != null && !s.actualPrimary.equals(spec.primaryRegion())) {
      add(
          FindingKind.PRIMARY_REGION_MOVED,
          spec.primaryRegion(),
          "primary in " + spec.primaryRegion(),
          "primary in " + s.actualPrimary,
          "UpdatePrimaryRegion back to "
              + spec.primaryRegion()
              + " from "
              + s.actualPrimary
              + ", or set primaryRegion to "
              + s.actualPrimary
              + " in the spec");
    }
    if (primary == null || primary.multiRegionConfiguration() == null) {
      return;
    }
    Set<String> primaryView = members(primary.multiRegionConfiguration());
    for (String r : primaryView) {
      if (!spec.regions().contains(r)) {
        add(
            FindingKind.EXTRA_REPLICA,
            r,
            "no replica outside " + spec.regions(),
            "a replica",
            "add "
                + r
                + " to the spec, or (a human decision) ScheduleKeyDeletion on the replica in "
                + r
                + " once nothing decrypts there");
      }
    }
    for (RegionView v : s.regions.values()) {
      if (v.key == null
          || v.key.multiRegionConfiguration() == null
          || v.region.equals(s.actualPrimary)) {
        continue;
      }
      MultiRegionConfiguration c = v.key.multiRegionConfiguration();
      Set<String> view = members(c);
      if (!view.equals(primaryView) || !c.primaryKey().region().equals(s.actualPrimary)) {
        add(
            FindingKind.MULTI_REGION_CONFIG_DISAGREES,
            v.region,
            "primary " + s.actualPrimary + ", members " + primaryView,
            "primary " + c.primaryKey().region() + ", members " + view,
            "usually transient (UpdatePrimaryRegion or replication in progress): audit again in a"
                + " few minutes; if it stays, open a case with AWS Support");
      }
    }
  }

  private static Set<String> members(MultiRegionConfiguration c) {
    Set<String> m = new TreeSet<>();
    m.add(c.primaryKey().region());
    for (MultiRegionKey k : c.replicaKeys()) {
      m.add(k.region());
    }
    return m;
  }

  private void rotation() {
    if (spec.signing() || s.actualPrimary == null) {
      return;
    }
    String r = s.actualPrimary;
    if (s.rotationError != null) {
      add(
          FindingKind.REGION_UNREADABLE,
          r,
          "rotation status readable",
          s.rotationError,
          "allow GetKeyRotationStatus on the primary in " + r + ", then audit again");
      return;
    }
    if (s.rotation == null) {
      return;
    }
    boolean on = Boolean.TRUE.equals(s.rotation.keyRotationEnabled());
    Integer period = s.rotation.rotationPeriodInDays();
    KeyMetadata p = s.primaryKey();
    boolean usable = p != null && p.keyState() == KeyState.ENABLED;
    String note = usable ? "" : " (the primary must be Enabled first)";
    int want = spec.rotation().periodDays();
    if (spec.rotation().enabled() && !on) {
      add(
          FindingKind.ROTATION_DISABLED,
          r,
          "rotation every " + want + " days",
          "rotation off",
          "EnableKeyRotation on the primary in " + r + note,
          usable
              ? new Change[] {new Change(ChangeKind.ENABLE_ROTATION, r, "every " + want + " days")}
              : new Change[0]);
    } else if (spec.rotation().enabled() && period != null && period != want) {
      add(
          FindingKind.ROTATION_PERIOD_DIFFERS,
          r,
          want + " days",
          period + " days",
          "EnableKeyRotation with RotationPeriodInDays=" + want + " in " + r + note,
          usable
              ? new Change[] {new Change(ChangeKind.ENABLE_ROTATION, r, want + " days")}
              : new Change[0]);
    } else if (!spec.rotation().enabled() && on) {
      add(
          FindingKind.ROTATION_UNEXPECTED,
          r,
          "rotation off",
          "rotation every " + period + " days",
          "DisableKeyRotation on the primary in " + r + note,
          usable
              ? new Change[] {new Change(ChangeKind.DISABLE_ROTATION, r, "spec says off")}
              : new Change[0]);
    }
  }

  private void add(
      FindingKind kind,
      String region,
      String expected,
      String actual,
      String fix,
      Change... repairs) {
    out.add(Finding.of(kind, region, expected, actual, fix, repairs));
  }

  private static String quote(String s) {
    return "\"" + Tables.cut(s, 60) + "\"";
  }
}
