package dev.mrkenvelope.aws;

import dev.mrkenvelope.DataKeyUnwrapException;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decrypts with whatever AWS KMS key a message names, within a discovery filter, through the {@link
 * KmsRouter}: the multi-Region-key-aware discovery keyring of the ESDK, with routing. It cannot
 * encrypt.
 *
 * <pre>{@code
 * Keyring discovery = AwsKmsMrkDiscoveryKeyring.builder()
 *     .router(router)
 *     .discoveryFilter("aws", Set.of("111122223333"))
 *     .build();
 * }</pre>
 *
 * <p>If any {@code aws-kms} EDK's provider info is not a key ARN, the message is malformed and
 * decrypt fails before any KMS request. For each EDK with provider ID {@code aws-kms} whose
 * provider info passes the discovery filter (partition equal, account in the set): an MRK is
 * decrypted in the Region the router picks, with the ARN rewritten to that Region; a single-Region
 * key only in its own Region, and only if the router allows that Region. Decrypt gets the
 * materials' encryption context, and its answer is accepted only if its {@code KeyId} equals the
 * ARN asked for. If nothing unwraps, throws {@link dev.mrkenvelope.NoDecryptableKeyException} with
 * one suppressed {@link DataKeyUnwrapException} per EDK and Region tried (its cause a {@link
 * KmsAttemptException}).
 *
 * <p>Without a discovery filter, any key of any account that the caller's credentials may use is
 * tried; set one.
 *
 * <p>Immutable and thread-safe.
 */
public final class AwsKmsMrkDiscoveryKeyring implements Keyring {
  private final KmsRouter router;
  private final String partition;
  private final Set<String> accounts;
  private final List<String> grantTokens;

  private AwsKmsMrkDiscoveryKeyring(Builder b) {
    this.router = b.router;
    this.partition = b.partition;
    this.accounts = b.accounts;
    this.grantTokens = List.copyOf(b.grantTokens);
  }

  /** Starts configuring a keyring; {@code router} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Always throws: a discovery keyring has no key to encrypt with.
   *
   * @throws EnvelopeException always
   */
  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    throw new EnvelopeException(
        "AwsKmsMrkDiscoveryKeyring only decrypts: it has no key to encrypt with; encrypt with"
            + " AwsKmsMrkKeyring (keyArn(...)) and decrypt with either");
  }

  @Override
  public DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    return KmsOperations.decryptFirst(
        router,
        grantTokens,
        materials,
        encryptedDataKeys,
        this::route,
        (failures, first) -> {
          if (failures.isEmpty()) {
            failures.add(fail("(none)", null, "the message has no aws-kms encrypted data key"));
          }
          return KmsOperations.noDecryptableKey(
              "no aws-kms encrypted data key of the message could be unwrapped through Regions "
                  + router.regions()
                  + "; see the suppressed exceptions for each key and Region",
              failures,
              first);
        });
  }

  /** The discovery filter, and single-Region keys only in their own (allowed) Region. */
  private KmsRouter.KeyTarget route(
      String info, KmsArn arn, List<DataKeyUnwrapException> failures) {
    if (partition != null
        && (!arn.partition().equals(partition) || !accounts.contains(arn.account()))) {
      failures.add(
          fail(
              Untrusted.escape(info),
              null,
              "skipped by the discovery filter (partition "
                  + partition
                  + ", accounts "
                  + accounts
                  + ")"));
      return null;
    }
    if (!arn.isMrk() && !router.regions().contains(arn.region())) {
      failures.add(
          fail(
              Untrusted.escape(info),
              arn.region(),
              "a single-Region key can only be used in "
                  + arn.region()
                  + ", which is not in the router's regions "
                  + router.regions()));
      return null;
    }
    return KmsRouter.target(arn);
  }

  private static DataKeyUnwrapException fail(String keyId, String region, String reason) {
    return new DataKeyUnwrapException(KmsOperations.PROVIDER_ID, keyId, region, reason, null);
  }

  @Override
  public String toString() {
    return "AwsKmsMrkDiscoveryKeyring{regions="
        + router.regions()
        + (partition == null ? "" : ", partition=" + partition + ", accounts=" + accounts)
        + "}";
  }

  /** Configures an {@link AwsKmsMrkDiscoveryKeyring}. Not thread-safe. */
  public static final class Builder {
    private KmsRouter router;
    private String partition;
    private Set<String> accounts = Set.of();
    private List<String> grantTokens = List.of();

    private Builder() {}

    /** The router that picks the Region of each call. */
    public Builder router(KmsRouter router) {
      this.router = Objects.requireNonNull(router, "router");
      return this;
    }

    /** Only keys in this partition (e.g. {@code aws}) and these accounts are tried. Recommended. */
    public Builder discoveryFilter(String partition, Set<String> accounts) {
      Objects.requireNonNull(partition, "partition");
      Objects.requireNonNull(accounts, "accounts");
      if (partition.isEmpty()) {
        throw new IllegalArgumentException("discoveryFilter partition must not be empty, e.g. aws");
      }
      if (accounts.isEmpty() || accounts.stream().anyMatch(a -> a == null || a.isEmpty())) {
        throw new IllegalArgumentException(
            "discoveryFilter accounts must be a non-empty set of account ids: " + accounts);
      }
      this.partition = partition;
      this.accounts = Set.copyOf(accounts);
      return this;
    }

    /** Grant tokens passed with every request; default none. */
    public Builder grantTokens(List<String> grantTokens) {
      this.grantTokens = List.copyOf(Objects.requireNonNull(grantTokens, "grantTokens"));
      return this;
    }

    /**
     * Builds the keyring.
     *
     * @throws IllegalStateException if {@code router} is missing
     */
    public AwsKmsMrkDiscoveryKeyring build() {
      if (router == null) {
        throw new IllegalStateException("AwsKmsMrkDiscoveryKeyring needs router(...)");
      }
      return new AwsKmsMrkDiscoveryKeyring(this);
    }
  }
}
