package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link dev.mrkenvelope.EnvelopeClient} asks a {@link MaterialsManager} for when it encrypts
 * a message: the caller's encryption context, the requested suite, the commitment policy, and the
 * plaintext length when known (a caching manager needs it to enforce byte limits).
 *
 * <p>Immutable and thread-safe.
 */
public final class EncryptionMaterialsRequest {
  private final Map<String, String> encryptionContext;
  private final AlgorithmSuite algorithmSuite;
  private final CommitmentPolicy commitmentPolicy;
  private final long plaintextLength;

  private EncryptionMaterialsRequest(Builder b) {
    this.encryptionContext = Collections.unmodifiableMap(new LinkedHashMap<>(b.encryptionContext));
    this.algorithmSuite = b.algorithmSuite;
    this.commitmentPolicy = Objects.requireNonNull(b.commitmentPolicy, "commitmentPolicy");
    this.plaintextLength = b.plaintextLength;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, String> encryptionContext() {
    return encryptionContext;
  }

  /** The suite the caller asked for, if any; otherwise the policy's default applies. */
  public Optional<AlgorithmSuite> algorithmSuite() {
    return Optional.ofNullable(algorithmSuite);
  }

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

    private Builder() {}

    public Builder encryptionContext(Map<String, String> encryptionContext) {
      this.encryptionContext = Objects.requireNonNull(encryptionContext, "encryptionContext");
      return this;
    }

    public Builder algorithmSuite(AlgorithmSuite algorithmSuite) {
      this.algorithmSuite = algorithmSuite;
      return this;
    }

    public Builder commitmentPolicy(CommitmentPolicy commitmentPolicy) {
      this.commitmentPolicy = commitmentPolicy;
      return this;
    }

    /** The plaintext length in bytes, or -1 when unknown. */
    public Builder plaintextLength(long plaintextLength) {
      this.plaintextLength = plaintextLength < 0 ? -1 : plaintextLength;
      return this;
    }

    public EncryptionMaterialsRequest build() {
      return new EncryptionMaterialsRequest(this);
    }
  }
}
