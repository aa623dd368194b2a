package dev.mrkenvelope.kmslocal.internal;

/** The key-state and request checks every operation group shares. Stateless. */
final class Checks {
  private Checks() {}

  /** Crypto operations need an enabled key (Updating is transient and still works, as on AWS). */
  static void requireUsable(RegionalKey k) {
    String s = k.state();
    switch (s) {
      case "Enabled":
      case "Updating":
        return;
      case "Disabled":
        throw KmsError.of("DisabledException", k.arn + " is disabled.");
      case RegionalKey.CREATING:
        throw KmsError.invalidState(
            k.arn + " is Creating; retry when DescribeKey in " + k.region + " reports Enabled.");
      case "PendingDeletion":
      case "PendingReplicaDeletion":
        throw KmsError.invalidState(k.arn + " is pending deletion.");
      default:
        throw KmsError.invalidState(k.arn + " is " + s + ".");
    }
  }

  /** Management changes need a settled key: not pending deletion, not a replica still Creating. */
  static void requireNotPendingDeletion(RegionalKey k) {
    String s = k.state();
    if (s.startsWith("Pending")) {
      throw KmsError.invalidState(k.arn + " is pending deletion.");
    }
    if (s.equals(RegionalKey.CREATING)) {
      throw KmsError.invalidState(
          k.arn + " is Creating; retry when DescribeKey in " + k.region + " reports Enabled.");
    }
  }

  static void requireUsage(RegionalKey k, String usage, String operation) {
    if (!k.family.spec.usage.equals(usage)) {
      throw KmsError.of(
          "InvalidKeyUsageException",
          k.arn
              + " key usage is "
              + k.family.spec.usage
              + " which is not valid for "
              + operation
              + ".");
    }
  }

  static void requirePrimary(RegionalKey k) {
    if (!k.family.multiRegion || !k.isPrimary()) {
      throw KmsError.unsupported(k.arn + " is not a multi-region primary key.");
    }
  }

  static void requireSymmetricAlgorithm(RegionalKey k, String algorithm) {
    if (algorithm != null && !algorithm.equals("SYMMETRIC_DEFAULT")) {
      throw KmsError.of(
          "InvalidKeyUsageException",
          "Algorithm " + algorithm + " is incompatible with key spec " + k.family.spec + ".");
    }
  }

  static String encryptionAlgorithm(JsonRequest req, String member) {
    return req.enumValue(
        member,
        "SYMMETRIC_DEFAULT",
        "SYMMETRIC_DEFAULT",
        "RSAES_OAEP_SHA_1",
        "RSAES_OAEP_SHA_256",
        "SM2PKE");
  }

  static void dryRun(JsonRequest req) {
    dryRun(req.bool("DryRun"));
  }

  /** DryRun is checked last, after every check a real call would fail, as on AWS. */
  static void dryRun(boolean set) {
    if (set) {
      throw KmsError.of(
          "DryRunOperationException",
          "The request would have succeeded, but the DryRun option is set.");
    }
  }

  static void validateDescription(String description) {
    if (description != null && description.length() > 8192) {
      throw KmsError.validation(
          "Description", "Member must have length less than or equal to 8192");
    }
  }
}
