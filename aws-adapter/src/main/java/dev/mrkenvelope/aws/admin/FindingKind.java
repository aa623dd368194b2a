package dev.mrkenvelope.aws.admin;

/**
 * What an audit {@link Finding} is about, with its severity and whether {@link MrkAdmin#apply}
 * repairs it. The kinds apply leaves alone need a human decision; their finding says what to do.
 */
public enum FindingKind {
  /** No Region has the spec's alias, so there is no key set yet. Apply creates it. */
  KEY_SET_MISSING(Severity.CRITICAL, true),
  /** A Region could not be read (access denied, unreachable); the other checks skip it. */
  REGION_UNREADABLE(Severity.HIGH, false),
  /** A spec Region has no replica. Apply replicates the key there. */
  REPLICA_MISSING(Severity.HIGH, true),
  /** A replica is still being created; audit again in a minute. */
  REPLICA_CREATING(Severity.INFO, false),
  /** A replica (or the primary) is disabled. Enabling a key is a human decision. */
  KEY_DISABLED(Severity.HIGH, false),
  /** A replica (or the primary) is pending deletion. Cancelling is a human decision. */
  KEY_PENDING_DELETION(Severity.CRITICAL, false),
  /** The alias names a single-Region key; a key set needs a multi-Region key. */
  KEY_NOT_MULTI_REGION(Severity.CRITICAL, false),
  /** Key spec or usage differs from the spec; KMS cannot change either. */
  KEY_SPEC_MISMATCH(Severity.CRITICAL, false),
  /** A replica's key policy differs from the spec's (normalised JSON). Apply puts the spec's. */
  POLICY_DIFFERS(Severity.HIGH, true),
  /** A key policy lets kms:ReplicateKey reach a Region outside the spec. Apply puts the spec's. */
  REPLICA_REGION_OUTSIDE_SPEC(Severity.HIGH, true),
  /** The alias is missing in a Region. Apply creates it. */
  ALIAS_MISSING(Severity.MEDIUM, true),
  /** The alias names another key in a Region. Apply points it at the key set's key. */
  ALIAS_POINTS_ELSEWHERE(Severity.HIGH, true),
  /** The spec wants rotation and it is off. Apply enables it. */
  ROTATION_DISABLED(Severity.MEDIUM, true),
  /** Rotation is on with another period. Apply sets the spec's period. */
  ROTATION_PERIOD_DIFFERS(Severity.LOW, true),
  /** The spec wants rotation off and it is on. Apply disables it. */
  ROTATION_UNEXPECTED(Severity.LOW, true),
  /** The primary is not in the spec's primary Region (after UpdatePrimaryRegion). */
  PRIMARY_REGION_MOVED(Severity.MEDIUM, false),
  /** A replica's MultiRegionConfiguration disagrees with the primary's. */
  MULTI_REGION_CONFIG_DISAGREES(Severity.MEDIUM, false),
  /** The key has a replica in a Region outside the spec. Deleting keys is a human decision. */
  EXTRA_REPLICA(Severity.MEDIUM, false),
  /** The description differs. Apply updates it. */
  DESCRIPTION_DIFFERS(Severity.LOW, true),
  /** A spec tag is missing or has another value. Apply tags the key. */
  TAGS_DIFFER(Severity.LOW, true);

  private final Severity severity;
  private final boolean repairedByApply;

  FindingKind(Severity severity, boolean repairedByApply) {
    this.severity = severity;
    this.repairedByApply = repairedByApply;
  }

  /** How urgent findings of this kind are. */
  public Severity severity() {
    return severity;
  }

  /** Whether {@link MrkAdmin#apply} repairs findings of this kind. */
  public boolean repairedByApply() {
    return repairedByApply;
  }
}
