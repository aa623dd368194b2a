package dev.mrkenvelope.aws.admin;

/**
 * What one step of a {@link Plan} does, in the order {@link MrkAdmin#apply} runs them. None of them
 * deletes a key or schedules a deletion.
 */
public enum ChangeKind {
  /** CreateKey (multi-Region) in the primary Region, with the spec's policy, description, tags. */
  CREATE_PRIMARY,
  /** ReplicateKey from the primary to a Region, then wait until the replica leaves Creating. */
  REPLICATE,
  /** PutKeyPolicy with the spec's policy in a Region. */
  PUT_POLICY,
  /** UpdateKeyDescription in a Region. */
  UPDATE_DESCRIPTION,
  /** TagResource with the spec's tags in a Region (other tags stay). */
  TAG,
  /** CreateAlias in a Region. */
  CREATE_ALIAS,
  /** UpdateAlias in a Region, where the alias names another key. */
  UPDATE_ALIAS,
  /** EnableKeyRotation with the spec's period on the primary. */
  ENABLE_ROTATION,
  /** DisableKeyRotation on the primary. */
  DISABLE_ROTATION
}
