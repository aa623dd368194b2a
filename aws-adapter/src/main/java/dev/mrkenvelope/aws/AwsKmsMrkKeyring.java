package dev.mrkenvelope.aws;

import dev.mrkenvelope.DataKeyUnwrapException;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Encrypts and decrypts with one AWS KMS key, usually a multi-Region key (MRK), through the {@link
 * KmsRouter}, and writes exactly what the ESDK's MRK-aware keyring writes.
 *
 * <pre>{@code
 * Keyring keyring = AwsKmsMrkKeyring.builder()
 *     .keyArn("arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab")
 *     .router(router)
 *     .build();
 * }</pre>
 *
 * <p><b>Encrypt.</b> With no data key yet: GenerateDataKey with {@code NumberOfBytes} = the suite's
 * data key length and {@code EncryptionContext} = the full materials encryption context; as a child
 * of a multi-keyring (a data key already set): Encrypt of that data key. By default ({@link
 * EncryptRegion#KEY_REGION}) the configured key's own Region is called first when the router allows
 * it and its breaker lets it, so the EDK names exactly the configured ARN; on a failure that moves
 * on (see {@link AttemptOutcome}) the router's other Regions follow, with the ARN rewritten to
 * each, and the EDK then names the replica that answered (any replica decrypts it). {@link
 * Builder#encryptIn} chooses router order instead. The EDK has provider ID {@code aws-kms},
 * provider info = the key ARN KMS returned, ciphertext = the KMS ciphertext blob. The returned data
 * key length and key ARN are checked. Failures throw a {@link KmsCallException}.
 *
 * <p><b>Decrypt.</b> If any {@code aws-kms} EDK's provider info is not a key ARN, the message is
 * malformed and decrypt fails before any KMS request. Otherwise considers the EDKs whose provider
 * info "MRK-matches for decrypt" the configured ARN (equal, or the same MRK in another Region);
 * calls Decrypt with {@code KeyId} = the replica ARN in the Region the router picks and the
 * materials' encryption context, and accepts the answer only if its {@code KeyId} equals that ARN.
 * A single-Region key is called only in its own Region. If nothing unwraps, throws {@link
 * dev.mrkenvelope.NoDecryptableKeyException} with one suppressed {@link DataKeyUnwrapException} per
 * Region tried (its cause a {@link KmsAttemptException}) and the {@link KmsCallException} as cause.
 *
 * <p>Immutable and thread-safe.
 */
public final class AwsKmsMrkKeyring implements Keyring {
  private final KmsArn keyArn;
  private final KmsRouter router;
  private final List<String> grantTokens;
  private final KmsRouter.KeyTarget target;
  private final EncryptRegion encryptRegion;

  private AwsKmsMrkKeyring(Builder b) {
    this.keyArn = b.keyArn;
    this.encryptRegion = b.encryptRegion;
    this.router = b.router;
    this.grantTokens = List.copyOf(b.grantTokens);
    this.target = KmsRouter.target(keyArn);
  }

  /** Starts configuring a keyring; {@code keyArn} and {@code router} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configured key ARN. */
  public String keyArn() {
    return keyArn.toString();
  }

  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    Objects.requireNonNull(materials, "materials");
    return KmsOperations.wrap(router, keyArn, encryptRegion, grantTokens, materials);
  }

  /**
   * For an MRK, its partition, account and key ID without the Region ({@code
   * aws-kms-mrk:aws:111122223333:mrk-…}), so that two keyrings for replicas of one MRK are seen as
   * the same key (they reach the same key material through the same router); for a single-Region
   * key, its full ARN.
   */
  @Override
  public Optional<String> keyIdentity() {
    return Optional.of(
        keyArn.isMrk()
            ? "aws-kms-mrk:"
                + keyArn.partition()
                + ":"
                + keyArn.account()
                + ":"
                + keyArn.resourceId()
            : keyArn.toString());
  }

  @Override
  public DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    return KmsOperations.decryptFirst(
        router,
        grantTokens,
        materials,
        encryptedDataKeys,
        // Any replica's EDK: Decrypt goes to this key's replica in the Region the router picks.
        (info, arn, failures) -> KmsArn.mrkMatch(info, keyArn.toString()) ? target : null,
        (failures, first) -> {
          if (failures.isEmpty()) {
            failures.add(
                new DataKeyUnwrapException(
                    KmsOperations.PROVIDER_ID,
                    keyArn.toString(),
                    null,
                    "no encrypted data key was wrapped by this key or a replica of it; the message"
                        + " was encrypted for other keys",
                    null));
            return KmsOperations.noDecryptableKey(
                "KMS key "
                    + keyArn
                    + " matches none of the message's "
                    + encryptedDataKeys.size()
                    + " encrypted data keys",
                failures,
                null);
          }
          return KmsOperations.noDecryptableKey(
              "KMS key "
                  + keyArn
                  + " (any allowed replica) could not unwrap a data key; see the"
                  + " suppressed exceptions for each Region",
              failures,
              first);
        });
  }

  @Override
  public String toString() {
    return "AwsKmsMrkKeyring{" + keyArn + "}";
  }

  /** Configures an {@link AwsKmsMrkKeyring}. Not thread-safe. */
  public static final class Builder {
    private KmsArn keyArn;
    private KmsRouter router;
    private List<String> grantTokens = List.of();
    private EncryptRegion encryptRegion = EncryptRegion.KEY_REGION;

    private Builder() {}

    /**
     * Where encrypt asks for data keys first; default {@link EncryptRegion#KEY_REGION}, the
     * configured key's own Region, so that readers that are not MRK-aware can decrypt.
     */
    public Builder encryptIn(EncryptRegion where) {
      this.encryptRegion = Objects.requireNonNull(where, "encryptIn");
      return this;
    }

    /**
     * The key's full ARN, {@code arn:<partition>:kms:<region>:<account>:key/<id>}; an MRK ({@code
     * key/mrk-…}) is usable in every allowed Region, a single-Region key only in its own. Aliases
     * and bare key ids are not accepted: an EDK must name the key for decrypt to find it.
     */
    public Builder keyArn(String keyArn) {
      this.keyArn = KmsArn.parseKeyArn(keyArn);
      return this;
    }

    /** The router that picks the Region of each call. */
    public Builder router(KmsRouter router) {
      this.router = Objects.requireNonNull(router, "router");
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
     * @throws IllegalStateException if {@code keyArn} or {@code router} is missing, or the key is a
     *     single-Region key in a Region the router does not allow
     */
    public AwsKmsMrkKeyring build() {
      if (keyArn == null || router == null) {
        throw new IllegalStateException(
            "AwsKmsMrkKeyring needs keyArn(...) and router(...); missing: "
                + (keyArn == null ? "keyArn " : "")
                + (router == null ? "router" : ""));
      }
      if (!keyArn.isMrk() && !router.regions().contains(keyArn.region())) {
        throw new IllegalStateException(
            "key "
                + keyArn
                + " is a single-Region key in "
                + keyArn.region()
                + ", which is not in the router's regions "
                + router.regions()
                + "; add the Region or use a multi-Region key");
      }
      return new AwsKmsMrkKeyring(this);
    }
  }
}
