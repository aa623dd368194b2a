package dev.mrkenvelope.aws.admin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * What a multi-Region key set should look like: one primary key, its replicas, the same key policy
 * in every Region, the same alias in every Region, and rotation on the primary. {@link MrkAdmin}
 * plans, applies and audits against it; {@link #fromJson} and {@link #toJson} read and write the
 * JSON form documented in {@code docs/keyset-spec.md}.
 *
 * <p>The alias identifies the key set: {@link MrkAdmin#plan} finds the key through it, so an alias
 * that exists in no Region means "create the key set".
 *
 * <p>Immutable and thread-safe; the constructor checks every field and throws {@link
 * IllegalArgumentException} naming the field, the value and the fix.
 *
 * @param alias the alias name, {@code alias/…}, the same in every Region
 * @param primaryRegion the Region of the primary key
 * @param replicaRegions the Regions of the replicas, in order, without the primary's
 * @param keySpec {@code SYMMETRIC_DEFAULT}, or an ECC/RSA spec for signing keys
 * @param keyUsage {@code ENCRYPT_DECRYPT} for symmetric keys, {@code SIGN_VERIFY} for signing keys
 * @param description the key description, the same in every Region ("" for none)
 * @param tags tags every replica must carry (other tags are left alone)
 * @param rotation automatic rotation of the primary (symmetric keys only)
 * @param policy the key policy of every replica: a document, or a template to generate it from
 */
public record KeySetSpec(
    String alias,
    String primaryRegion,
    List<String> replicaRegions,
    KeySpec keySpec,
    KeyUsageType keyUsage,
    String description,
    Map<String, String> tags,
    Rotation rotation,
    KeyPolicySpec policy) {

  private static final Pattern ALIAS = Pattern.compile("^alias/[a-zA-Z0-9:/_-]{1,250}$");
  static final Pattern REGION = Pattern.compile("^([a-z]+-){2,3}\\d+$");
  private static final Set<KeySpec> SIGNING_SPECS =
      Set.of(
          KeySpec.ECC_NIST_P256,
          KeySpec.ECC_NIST_P384,
          KeySpec.ECC_NIST_P521,
          KeySpec.ECC_SECG_P256_K1,
          KeySpec.RSA_2048,
          KeySpec.RSA_3072,
          KeySpec.RSA_4096);

  /** Checks every field and copies the collections. */
  public KeySetSpec {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(primaryRegion, "primaryRegion");
    Objects.requireNonNull(keySpec, "keySpec");
    Objects.requireNonNull(keyUsage, "keyUsage");
    Objects.requireNonNull(rotation, "rotation");
    Objects.requireNonNull(policy, "policy");
    description = description == null ? "" : description;
    if (!ALIAS.matcher(alias).matches() || alias.startsWith("alias/aws/")) {
      throw new IllegalArgumentException(
          "alias must look like alias/my-key (letters, digits, :/_-; not alias/aws/…): " + alias);
    }
    checkRegion("primaryRegion", primaryRegion);
    Set<String> seen = new LinkedHashSet<>();
    seen.add(primaryRegion);
    for (String r : Objects.requireNonNull(replicaRegions, "replicaRegions")) {
      checkRegion("replicaRegions", r);
      if (!seen.add(r)) {
        throw new IllegalArgumentException(
            "replicaRegions must not repeat a Region or contain the primary's: " + r);
      }
    }
    replicaRegions = List.copyOf(replicaRegions);
    boolean symmetric = keySpec == KeySpec.SYMMETRIC_DEFAULT;
    if (symmetric && keyUsage != KeyUsageType.ENCRYPT_DECRYPT) {
      throw new IllegalArgumentException(
          "keyUsage must be ENCRYPT_DECRYPT for keySpec SYMMETRIC_DEFAULT: " + keyUsage);
    }
    if (!symmetric && !(SIGNING_SPECS.contains(keySpec) && keyUsage == KeyUsageType.SIGN_VERIFY)) {
      throw new IllegalArgumentException(
          "keySpec/keyUsage must be SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT or an ECC_* or RSA_* spec with"
              + " SIGN_VERIFY: "
              + keySpec
              + "/"
              + keyUsage);
    }
    if (!symmetric && rotation.enabled()) {
      throw new IllegalArgumentException(
          "rotation must be off for keySpec " + keySpec + ": KMS rotates only symmetric keys");
    }
    if (description.length() > 8192) {
      throw new IllegalArgumentException(
          "description must be at most 8192 characters: " + description.length());
    }
    Map<String, String> t = new LinkedHashMap<>(Objects.requireNonNull(tags, "tags"));
    if (t.size() > 50) {
      throw new IllegalArgumentException("tags must be at most 50 per key: " + t.size());
    }
    t.forEach(
        (k, v) -> {
          if (k == null || k.isEmpty() || k.length() > 128 || v == null || v.length() > 256) {
            throw new IllegalArgumentException(
                "tags need keys of 1-128 characters and values of at most 256: " + k + "=" + v);
          }
        });
    tags = Collections.unmodifiableMap(t);
  }

  private static void checkRegion(String field, String region) {
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          field + " must hold Region names like eu-west-1: " + region);
    }
  }

  /** The primary Region followed by the replica Regions. */
  public List<String> regions() {
    List<String> all = new ArrayList<>(1 + replicaRegions.size());
    all.add(primaryRegion);
    all.addAll(replicaRegions);
    return Collections.unmodifiableList(all);
  }

  /** Whether this is a signing key set ({@code SIGN_VERIFY}) rather than an encryption one. */
  public boolean signing() {
    return keyUsage == KeyUsageType.SIGN_VERIFY;
  }

  /** The key policy document every replica must have: the given one or the generated one. */
  public String policyDocument() {
    return policy.documentFor(this);
  }

  /**
   * Reads a spec from its JSON form ({@code docs/keyset-spec.md}).
   *
   * @throws IllegalArgumentException naming the field and the fix when the JSON is malformed, has
   *     unknown or duplicate fields, or a value fails the checks of the constructor
   */
  public static KeySetSpec fromJson(String json) {
    return KeySetSpecJson.read(json);
  }

  /** This spec in its JSON form; {@link #fromJson} reads it back to an equal spec. */
  public String toJson() {
    return KeySetSpecJson.write(this);
  }

  /** Starts a spec; alias, primary Region and policy are required, the rest has defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link KeySetSpec}. Defaults: no replicas, {@code SYMMETRIC_DEFAULT} / {@code
   * ENCRYPT_DECRYPT}, empty description, no tags, rotation every 365 days for symmetric keys and
   * off for signing keys. Not thread-safe.
   */
  public static final class Builder {
    private String alias;
    private String primaryRegion;
    private List<String> replicaRegions = List.of();
    private KeySpec keySpec = KeySpec.SYMMETRIC_DEFAULT;
    private KeyUsageType keyUsage = KeyUsageType.ENCRYPT_DECRYPT;
    private String description = "";
    private Map<String, String> tags = Map.of();
    private Rotation rotation;
    private KeyPolicySpec policy;

    private Builder() {}

    /** The alias name, e.g. {@code alias/orders}. */
    public Builder alias(String alias) {
      this.alias = alias;
      return this;
    }

    /** The primary key's Region. */
    public Builder primaryRegion(String region) {
      this.primaryRegion = region;
      return this;
    }

    /** The replica Regions. */
    public Builder replicaRegions(String... regions) {
      this.replicaRegions = List.of(regions);
      return this;
    }

    /** The replica Regions. */
    public Builder replicaRegions(List<String> regions) {
      this.replicaRegions = List.copyOf(regions);
      return this;
    }

    /** A signing key set: the asymmetric key spec, with usage {@code SIGN_VERIFY}. */
    public Builder signing(KeySpec spec) {
      this.keySpec = spec;
      this.keyUsage = KeyUsageType.SIGN_VERIFY;
      return this;
    }

    /** The key spec and usage. */
    public Builder keySpec(KeySpec spec, KeyUsageType usage) {
      this.keySpec = spec;
      this.keyUsage = usage;
      return this;
    }

    /** The key description. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Tags every replica must carry. */
    public Builder tags(Map<String, String> tags) {
      this.tags = Map.copyOf(tags);
      return this;
    }

    /** Automatic rotation of the primary. */
    public Builder rotation(Rotation rotation) {
      this.rotation = rotation;
      return this;
    }

    /** The key policy: {@link KeyPolicySpec#document} or {@link KeyPolicySpec#generated}. */
    public Builder policy(KeyPolicySpec policy) {
      this.policy = policy;
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws IllegalStateException if alias, primary Region or policy is missing
     * @throws IllegalArgumentException if a value fails the spec's checks
     */
    public KeySetSpec build() {
      if (alias == null || primaryRegion == null || policy == null) {
        throw new IllegalStateException(
            "alias, primaryRegion and policy are required; set them on KeySetSpec.builder()");
      }
      Rotation r =
          rotation != null
              ? rotation
              : keySpec == KeySpec.SYMMETRIC_DEFAULT ? Rotation.every(365) : Rotation.off();
      return new KeySetSpec(
          alias, primaryRegion, replicaRegions, keySpec, keyUsage, description, tags, r, policy);
    }
  }
}
