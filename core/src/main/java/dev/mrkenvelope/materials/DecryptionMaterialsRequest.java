package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.internal.FrozenContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link dev.mrkenvelope.EnvelopeClient} asks a {@link MaterialsManager} for when it decrypts
 * a message: the suite and EDKs from the header, the encryption context stored in the header, the
 * context the caller reproduced, and the commitment policy.
 *
 * <p>Immutable and thread-safe.
 */
public final class DecryptionMaterialsRequest {
  private final AlgorithmSuite algorithmSuite;
  private final List<EncryptedDataKey> encryptedDataKeys;
  private final Map<String, String> encryptionContext;
  private final Map<String, String> reproducedEncryptionContext;
  private final CommitmentPolicy commitmentPolicy;

  private DecryptionMaterialsRequest(Builder b) {
    this.algorithmSuite = Objects.requireNonNull(b.algorithmSuite, "algorithmSuite");
    this.encryptedDataKeys = List.copyOf(b.encryptedDataKeys);
    this.encryptionContext = FrozenContext.of(b.encryptionContext);
    this.reproducedEncryptionContext = FrozenContext.of(b.reproducedEncryptionContext);
    this.commitmentPolicy = Objects.requireNonNull(b.commitmentPolicy, "commitmentPolicy");
  }

  public static Builder builder() {
    return new Builder();
  }

  public AlgorithmSuite algorithmSuite() {
    return algorithmSuite;
  }

  public List<EncryptedDataKey> encryptedDataKeys() {
    return encryptedDataKeys;
  }

  /** The encryption context stored in the message header. */
  public Map<String, String> encryptionContext() {
    return encryptionContext;
  }

  /** The context the caller reproduced; empty when none was given. */
  public Map<String, String> reproducedEncryptionContext() {
    return reproducedEncryptionContext;
  }

  public CommitmentPolicy commitmentPolicy() {
    return commitmentPolicy;
  }

  /** Builds {@link DecryptionMaterialsRequest}s. Not thread-safe. */
  public static final class Builder {
    private AlgorithmSuite algorithmSuite;
    private List<EncryptedDataKey> encryptedDataKeys = List.of();
    private Map<String, String> encryptionContext = Map.of();
    private Map<String, String> reproducedEncryptionContext = Map.of();
    private CommitmentPolicy commitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT;

    private Builder() {}

    public Builder algorithmSuite(AlgorithmSuite algorithmSuite) {
      this.algorithmSuite = algorithmSuite;
      return this;
    }

    public Builder encryptedDataKeys(List<EncryptedDataKey> encryptedDataKeys) {
      this.encryptedDataKeys = Objects.requireNonNull(encryptedDataKeys, "encryptedDataKeys");
      return this;
    }

    public Builder encryptionContext(Map<String, String> encryptionContext) {
      this.encryptionContext = Objects.requireNonNull(encryptionContext, "encryptionContext");
      return this;
    }

    public Builder reproducedEncryptionContext(Map<String, String> reproducedEncryptionContext) {
      this.reproducedEncryptionContext =
          Objects.requireNonNull(reproducedEncryptionContext, "reproducedEncryptionContext");
      return this;
    }

    public Builder commitmentPolicy(CommitmentPolicy commitmentPolicy) {
      this.commitmentPolicy = commitmentPolicy;
      return this;
    }

    public DecryptionMaterialsRequest build() {
      return new DecryptionMaterialsRequest(this);
    }
  }
}
