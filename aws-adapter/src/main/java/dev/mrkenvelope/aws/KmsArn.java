package dev.mrkenvelope.aws;

import java.util.Objects;
import java.util.Optional;

/**
 * A parsed AWS KMS ARN, {@code arn:<partition>:kms:<region>:<account>:<type>/<id>} with type {@code
 * key} or {@code alias}, following the ESDK specification ({@code aws-kms-key-arn.md}): six {@code
 * :}-separated parts, none empty, service {@code kms}; the resource is split at its first {@code /}
 * only, so an alias id may itself contain {@code /}.
 *
 * <p>An ARN is a multi-Region key (MRK) iff its type is {@code key} and its id starts with {@code
 * mrk-}; an alias is never an MRK, whatever its name.
 *
 * <p>Immutable and thread-safe.
 */
final class KmsArn {
  private final String partition;
  private final String region;
  private final String account;
  private final String resourceType;
  private final String resourceId;

  private KmsArn(
      String partition, String region, String account, String resourceType, String resourceId) {
    this.partition = partition;
    this.region = region;
    this.account = account;
    this.resourceType = resourceType;
    this.resourceId = resourceId;
  }

  /**
   * Parses {@code s}.
   *
   * @throws IllegalArgumentException naming what is wrong, if {@code s} is not a KMS ARN
   */
  /** A builder's {@code keyArn(...)}: a key ARN, never an alias, or a message naming the fix. */
  static KmsArn parseKeyArn(String keyArn) {
    KmsArn a = parse(java.util.Objects.requireNonNull(keyArn, "keyArn"));
    if (!a.isKey()) {
      throw new IllegalArgumentException(
          "keyArn must be a key ARN (…:key/<id>), not an alias: "
              + keyArn
              + "; use the ARN of the key the alias points to");
    }
    return a;
  }

  static KmsArn parse(String s) {
    Objects.requireNonNull(s, "arn");
    String problem = problem(s);
    if (problem != null) {
      throw new IllegalArgumentException(
          "not a KMS key ARN: '"
              + Untrusted.escape(s)
              + "' ("
              + problem
              + "); expected arn:<partition>:kms:<region>:"
              + "<account>:key/<key-id>");
    }
    return split(s);
  }

  /** Parses {@code s}, or returns empty if it is not a KMS ARN. */
  static Optional<KmsArn> tryParse(String s) {
    return s == null || problem(s) != null ? Optional.empty() : Optional.of(split(s));
  }

  private static KmsArn split(String s) {
    String[] p = s.split(":", 6);
    int slash = p[5].indexOf('/');
    return new KmsArn(p[1], p[3], p[4], p[5].substring(0, slash), p[5].substring(slash + 1));
  }

  /** Why {@code s} is not a KMS ARN, or null if it is one. */
  private static String problem(String s) {
    String[] p = s.split(":", -1);
    if (p.length != 6) {
      // An alias or key id may not contain ':' in KMS, so exactly six parts (as the ESDK's split).
      return "it has " + p.length + " ':'-separated parts, not 6";
    }
    if (!p[0].equals("arn")) {
      return "it does not start with 'arn:'";
    }
    if (p[1].isEmpty()) {
      return "the partition is empty";
    }
    if (!p[2].equals("kms")) {
      return "the service is '" + Untrusted.escape(p[2]) + "', not 'kms'";
    }
    if (p[3].isEmpty()) {
      return "the region is empty";
    }
    if (p[4].isEmpty()) {
      return "the account is empty";
    }
    int slash = p[5].indexOf('/');
    if (slash < 0) {
      return "the resource '" + Untrusted.escape(p[5]) + "' is not key/<id> or alias/<name>";
    }
    String type = p[5].substring(0, slash);
    if (!type.equals("key") && !type.equals("alias")) {
      return "the resource type is '" + Untrusted.escape(type) + "', not 'key' or 'alias'";
    }
    if (slash == p[5].length() - 1) {
      return "the resource id is empty";
    }
    return null;
  }

  /**
   * Whether a key identifier (ARN, {@code alias/…}, or bare key id) names a multi-Region key: an
   * ARN by its parts; {@code alias/…} never; anything else iff it starts with {@code mrk-}.
   *
   * @throws IllegalArgumentException if {@code id} starts with {@code arn:} but is not a KMS ARN
   *     (as the ESDK specification requires: an invalid ARN is an error, not "not an MRK")
   */
  static boolean isMrkIdentifier(String id) {
    if (id.startsWith("arn:")) {
      return parse(id).isMrk();
    }
    if (id.startsWith("alias/")) {
      return false;
    }
    return id.startsWith("mrk-");
  }

  /**
   * The ESDK's "MRK match for decrypt": the identifiers are equal, or both are MRK ARNs equal in
   * everything but the Region.
   */
  static boolean mrkMatch(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    Optional<KmsArn> x = tryParse(a);
    Optional<KmsArn> y = tryParse(b);
    if (x.isEmpty() || y.isEmpty() || !x.get().isMrk() || !y.get().isMrk()) {
      return false;
    }
    return x.get().sameKeyIgnoringRegion(y.get());
  }

  boolean sameKeyIgnoringRegion(KmsArn o) {
    return partition.equals(o.partition)
        && account.equals(o.account)
        && resourceType.equals(o.resourceType)
        && resourceId.equals(o.resourceId);
  }

  boolean isMrk() {
    return resourceType.equals("key") && resourceId.startsWith("mrk-");
  }

  boolean isKey() {
    return resourceType.equals("key");
  }

  /**
   * This ARN in another Region.
   *
   * @throws IllegalStateException if this is not an MRK (a single-Region key exists in one Region
   *     only)
   */
  KmsArn inRegion(String otherRegion) {
    Objects.requireNonNull(otherRegion, "region");
    if (otherRegion.equals(region)) {
      return this;
    }
    if (!isMrk()) {
      throw new IllegalStateException(
          this + " is not a multi-Region key; it exists only in " + region);
    }
    return new KmsArn(partition, otherRegion, account, resourceType, resourceId);
  }

  String partition() {
    return partition;
  }

  String region() {
    return region;
  }

  String account() {
    return account;
  }

  String resourceType() {
    return resourceType;
  }

  String resourceId() {
    return resourceId;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KmsArn)) {
      return false;
    }
    KmsArn a = (KmsArn) o;
    return region.equals(a.region) && sameKeyIgnoringRegion(a);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, region, account, resourceType, resourceId);
  }

  @Override
  public String toString() {
    return "arn:"
        + partition
        + ":kms:"
        + region
        + ":"
        + account
        + ":"
        + resourceType
        + "/"
        + resourceId;
  }
}
