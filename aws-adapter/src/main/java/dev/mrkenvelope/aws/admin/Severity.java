package dev.mrkenvelope.aws.admin;

/** How urgent an audit {@link Finding} is. */
public enum Severity {
  /** For information; nothing is wrong yet (e.g. a replica still being created). */
  INFO,
  /** Cosmetic or bookkeeping drift (description, tags). */
  LOW,
  /** Drift that weakens operations (rotation, one alias, the primary moved). */
  MEDIUM,
  /** Drift that breaks decryption in a Region or widens access (policy, disabled replica). */
  HIGH,
  /** The key set cannot be used as specified (wrong key spec, missing, pending deletion). */
  CRITICAL
}
