package dev.mrkenvelope.kmslocal.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The KMS itself: a {@link KmsStore} holding the keys, aliases, policies and grants of every
 * Region, the operation groups that work on it (key lifecycle, aliases, policies and tags,
 * multi-Region, rotation, symmetric crypto, signing, grants), and the one {@link OperationTable}
 * that maps each X-Amz-Target name to its group's handler. Dispatch and {@link #operations()} both
 * read that table, so the supported-operation list cannot disagree with what is answered.
 *
 * <p>Thread safety: safe for any number of concurrent callers. Management operations (those that
 * change state) run under the store lock, since they are rare and must keep a key family consistent
 * across Regions; the data path (Encrypt, Decrypt, GenerateDataKey, Sign, Verify) reads volatile
 * state without locking.
 */
public final class KmsService {
  private final KmsStore store;
  private final OperationTable table = new OperationTable();
  private final MultiRegionOperations multiRegion;

  /**
   * A store serving {@code regionNames} for {@code account}; a new replica stays {@code Creating}
   * for {@code replicaCreation} (zero: enabled at once).
   */
  public KmsService(String account, List<String> regionNames, Duration replicaCreation) {
    this.store = new KmsStore(account, regionNames, replicaCreation);
    Access access = new Access(store);
    KeyLifecycleOperations lifecycle = new KeyLifecycleOperations(store, access);
    AliasOperations aliases = new AliasOperations(store, access);
    PolicyAndTagOperations policies = new PolicyAndTagOperations(store, access);
    RotationOperations rotation = new RotationOperations(store, access);
    SymmetricCryptoOperations crypto = new SymmetricCryptoOperations(store, access);
    SigningOperations signing = new SigningOperations(store, access);
    GrantOperations grants = new GrantOperations(store, access);
    this.multiRegion = new MultiRegionOperations(store, access);
    // The one table: every operation kms-local answers, by X-Amz-Target name, and its handler.
    table.add("CreateKey", lifecycle::createKey);
    table.add("DescribeKey", lifecycle::describeKey);
    table.add("ListKeys", lifecycle::listKeys);
    table.add("EnableKey", (r, q) -> lifecycle.setEnabled(r, q, true));
    table.add("DisableKey", (r, q) -> lifecycle.setEnabled(r, q, false));
    table.add("ScheduleKeyDeletion", lifecycle::scheduleKeyDeletion);
    table.add("CancelKeyDeletion", lifecycle::cancelKeyDeletion);
    table.add("UpdateKeyDescription", lifecycle::updateKeyDescription);
    table.add("CreateAlias", aliases::createAlias);
    table.add("UpdateAlias", aliases::updateAlias);
    table.add("DeleteAlias", aliases::deleteAlias);
    table.add("ListAliases", aliases::listAliases);
    table.add("GetKeyPolicy", policies::getKeyPolicy);
    table.add("PutKeyPolicy", policies::putKeyPolicy);
    table.add("ListKeyPolicies", policies::listKeyPolicies);
    table.add("TagResource", policies::tagResource);
    table.add("UntagResource", policies::untagResource);
    table.add("ListResourceTags", policies::listResourceTags);
    table.add("ReplicateKey", multiRegion::replicateKey);
    table.add("UpdatePrimaryRegion", multiRegion::updatePrimaryRegion);
    table.add("EnableKeyRotation", (r, q) -> rotation.setRotation(r, q, true));
    table.add("DisableKeyRotation", (r, q) -> rotation.setRotation(r, q, false));
    table.add("GetKeyRotationStatus", rotation::getKeyRotationStatus);
    table.add("RotateKeyOnDemand", rotation::rotateKeyOnDemand);
    table.add("ListKeyRotations", rotation::listKeyRotations);
    table.add("Encrypt", crypto::encrypt);
    table.add("Decrypt", crypto::decrypt);
    table.add("ReEncrypt", crypto::reEncrypt);
    table.add("GenerateDataKey", (r, q) -> crypto.generateDataKey(r, q, true));
    table.add("GenerateDataKeyWithoutPlaintext", (r, q) -> crypto.generateDataKey(r, q, false));
    table.add("GenerateRandom", (r, q) -> crypto.generateRandom(q));
    table.add("Sign", signing::sign);
    table.add("Verify", signing::verify);
    table.add("GetPublicKey", signing::getPublicKey);
    table.add("CreateGrant", grants::createGrant);
    table.add("ListGrants", grants::listGrants);
    table.add("RetireGrant", grants::retireGrant);
    table.add("RevokeGrant", grants::revokeGrant);
  }

  /** Every operation kms-local implements, by X-Amz-Target name, sorted. */
  public Set<String> operations() {
    return table.names();
  }

  /** Whether {@code operation} (an X-Amz-Target name such as {@code Decrypt}) is implemented. */
  public boolean supports(String operation) {
    return table.get(operation) != null;
  }

  /**
   * Runs one operation in one Region.
   *
   * @throws KmsError for every KMS-level failure, to be written as an error response
   */
  public ObjectNode handle(String region, String operation, JsonRequest req) {
    Operation op = table.get(operation);
    if (op == null) {
      throw KmsError.of(
          "UnknownOperationException",
          "Operation " + operation + " is not supported by kms-local; supported: " + table.names());
    }
    return op.run(region, req);
  }

  /** The ARN of {@code keyId} in {@code region}. */
  public String keyArn(String region, String keyId) {
    return store.keyArn(region, keyId);
  }

  /**
   * ReplicateKey whose new replica is Enabled at once, for {@code LocalKms}'s test conveniences
   * (the wire operation leaves it Creating for the configured moment).
   */
  public ObjectNode replicateInstantly(String region, JsonRequest req) {
    return multiRegion.replicateInstantly(region, req);
  }
}
