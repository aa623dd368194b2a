package dev.mrkenvelope.kmslocal.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One grant on one replica: who may use the key for which operations, under which encryption
 * context constraints. Immutable except for its set of issued tokens (CreateGrant with the same
 * name and parameters returns the same grant with a new token).
 */
final class Grant {
  /** The operations a grant may allow, as the KMS model lists them. */
  static final String[] OPERATIONS = {
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "GetPublicKey",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret"
  };

  final String grantId;
  final RegionalKey key;
  final long sequence;
  final String name;
  final String granteePrincipal;
  final String retiringPrincipal;
  final List<String> operations;
  final Map<String, String> contextSubset;
  final Map<String, String> contextEquals;
  final Instant created = Instant.now();
  final Set<String> tokens = ConcurrentHashMap.newKeySet();

  Grant(
      String grantId,
      RegionalKey key,
      long sequence,
      String name,
      String granteePrincipal,
      String retiringPrincipal,
      List<String> operations,
      Map<String, String> contextSubset,
      Map<String, String> contextEquals) {
    this.grantId = grantId;
    this.key = key;
    this.sequence = sequence;
    this.name = name;
    this.granteePrincipal = granteePrincipal;
    this.retiringPrincipal = retiringPrincipal;
    this.operations = List.copyOf(operations);
    this.contextSubset = contextSubset;
    this.contextEquals = contextEquals;
  }

  /** Whether a retried CreateGrant asks for exactly this grant (then it gets the same id). */
  boolean sameRequest(Grant other) {
    return Objects.equals(name, other.name)
        && granteePrincipal.equals(other.granteePrincipal)
        && Objects.equals(retiringPrincipal, other.retiringPrincipal)
        && Set.copyOf(operations).equals(Set.copyOf(other.operations))
        && Objects.equals(contextSubset, other.contextSubset)
        && Objects.equals(contextEquals, other.contextEquals);
  }

  /** Whether this grant allows {@code operation} for a call with encryption context {@code ec}. */
  boolean allows(String operation, Map<String, String> ec) {
    if (!operations.contains(operation)) {
      return false;
    }
    if (contextEquals != null && !contextEquals.equals(ec)) {
      return false;
    }
    if (contextSubset != null) {
      for (Map.Entry<String, String> e : contextSubset.entrySet()) {
        if (!e.getValue().equals(ec.get(e.getKey()))) {
          return false;
        }
      }
    }
    return true;
  }
}
