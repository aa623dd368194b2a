package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.internal.FrozenContext;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@link dev.mrkenvelope.EnvelopeClient} asks a {@link MaterialsManager} for when it encrypts
 * a message: the caller's encryption context, the requested suite, the commitment policy, and the
 * plaintext length when known (a caching manager needs it to enforce byte limits), and the required
 * encryption context keys: keys of the context that are authenticated but not stored in the message
 * (see {@link RequiredEncryptionContextMaterialsManager}).
 *
 * <p>Immutable and thread-safe.
 */
public final class EncryptionMaterialsRequest {
  private final Map<String, String> encryptionContext;
  private final AlgorithmSuite algorithmSuite;
  private final CommitmentPolicy commitmentPolicy;
  private final long plaintextLength;
  private final Set<String> requiredEncryptionContextKeys;

  private EncryptionMaterialsRequest(Builder b) {
    this.encryptionContext = FrozenContext.of(b.encryptionContext);
    this.requiredEncryptionContextKeys = Set.copyOf(b.requiredEncryptionContextKeys);
    for (String key : requiredEncryptionContextKeys) {
      if (!encryptionContext.containsKey(key)) {
        throw new IllegalArgumentException(
            "required encryption context key '"
                + key
                + "' is not in the request's encryption"
                + " context; every required key must be in it");
      }
    }
    this.algorithmSuite = b.algorithmSuite;
    this.commitmentPolicy = Objects.requireNonNull(b.commitmentPolicy, "commitmentPolicy");
    this.plaintextLength = b.plaintextLength;
  }

  /** Starts a request: empty context, no suite, the strictest commitment policy, unknown length. */
  public static Builder builder() {
    return new Builder();
  }

  /** The full encryption context of the message, required pairs included. */
  public Map<String, String> encryptionContext() {
    return encryptionContext;
  }

  /**
   * Keys of {@link #encryptionContext()} that must be authenticated but not stored in the message;
   * a materials manager must keep them in {@link
   * EncryptionMaterials#requiredEncryptionContextKeys()}. Empty by default.
   */
  public Set<String> requiredEncryptionContextKeys() {
    return requiredEncryptionContextKeys;
  }

  /** The suite the caller asked for, if any; otherwise the policy's default applies. */
  public Optional<AlgorithmSuite> algorithmSuite() {
    return Optional.ofNullable(algorithmSuite);
  }

  /** The caller's commitment policy; the materials' suite must satisfy it. */
  public CommitmentPolicy commitmentPolicy() {
    return commitmentPolicy;
  }

  /** The plaintext length, when known before encryption (never for streams without a hint). */
  public OptionalLong plaintextLength() {
    return plaintextLength < 0 ? OptionalLong.empty() : OptionalLong.of(plaintextLength);
  }

  /** Builds {@link EncryptionMaterialsRequest}s. Not thread-safe. */
  public static final class Builder {
    private Map<String, String> encryptionContext = Map.of();
    private AlgorithmSuite algorithmSuite;
    private CommitmentPolicy commitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT;
    private long plaintextLength = -1;
    private Set<String> requiredEncryptionContextKeys = Set.of();

    private Builder() {}

    /** The message's encryption context; copied. Default empty. */
    public Builder encryptionContext(Map<String, String> encryptionContext) {
      this.encryptionContext = Objects.requireNonNull(encryptionContext, "encryptionContext");
      return this;
    }

    /** The suite to encrypt with, or {@code null} for the commitment policy's default. */
    public Builder algorithmSuite(AlgorithmSuite algorithmSuite) {
      this.algorithmSuite = algorithmSuite;
      return this;
    }

    /**
     * Keys of the encryption context to authenticate without storing them; each must be in the
     * context (checked by {@link #build()}). Copied. Default empty.
     */
    public Builder requiredEncryptionContextKeys(Set<String> requiredEncryptionContextKeys) {
      this.requiredEncryptionContextKeys =
          Objects.requireNonNull(requiredEncryptionContextKeys, "requiredEncryptionContextKeys");
      return this;
    }

    /** The caller's commitment policy. Default {@code REQUIRE_ENCRYPT_REQUIRE_DECRYPT}. */
    public Builder commitmentPolicy(CommitmentPolicy commitmentPolicy) {
      this.commitmentPolicy = commitmentPolicy;
      return this;
    }

    /** The plaintext length in bytes, or -1 when unknown. */
    public Builder plaintextLength(long plaintextLength) {
      this.plaintextLength = plaintextLength < 0 ? -1 : plaintextLength;
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalArgumentException if a required key is not in the encryption context
     */
    public EncryptionMaterialsRequest build() {
      return new EncryptionMaterialsRequest(this);
    }
  }
}
