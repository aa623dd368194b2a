package dev.mrkenvelope.keyring;

import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Combines keyrings: on encrypt the generator makes the data key and every keyring (generator and
 * children) wraps it, so any of them can decrypt; on decrypt the keyrings are tried in order
 * (generator first) and the first data key found wins.
 *
 * <p>As the ESDK specification requires, {@code onEncrypt} of a multi-keyring with a generator
 * fails if the materials it is given already carry a data key, and fails if the generator returns
 * none; one without a generator only wraps the data key it is given (and fails if there is none).
 *
 * <pre>{@code
 * Keyring both = MultiKeyring.builder()
 *     .generator(primaryKeyring)
 *     .children(backupKeyring)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe if its keyrings are.
 */
public final class MultiKeyring implements Keyring {
  private final Keyring generator;
  private final List<Keyring> children;

  private MultiKeyring(Builder b) {
    this.generator = b.generator;
    this.children = List.copyOf(b.children);
  }

  /** Starts configuring a {@link MultiKeyring}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    EncryptionMaterials m = materials;
    if (generator != null) {
      // The generator must be the one that makes the data key: a key that arrives from elsewhere,
      // or one a child makes after a generator that made none, would not be protected by it.
      if (m.hasPlaintextDataKey()) {
        throw new EnvelopeException(
            "the materials given to this MultiKeyring already carry a plaintext data key, but it"
                + " has a generator, which must generate the key; build it without generator(...)"
                + " to wrap an existing data key with children(...) only");
      }
      m = generator.onEncrypt(m);
      if (m == null || !m.hasPlaintextDataKey()) {
        throw new EnvelopeException(
            "the generator keyring "
                + generator
                + " of this MultiKeyring returned materials"
                + " without a plaintext data key; a generator's onEncrypt must generate one");
      }
    } else if (!m.hasPlaintextDataKey()) {
      throw new EnvelopeException(
          "this MultiKeyring has no generator and the materials have no data key; set"
              + " generator(...) to encrypt");
    }
    for (Keyring child : children) {
      m = child.onEncrypt(m);
    }
    return m;
  }

  @Override
  public DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    if (materials.hasPlaintextDataKey()) {
      return materials;
    }
    List<Throwable> failures = new ArrayList<>();
    for (Keyring k : all()) {
      try {
        DecryptionMaterials result = k.onDecrypt(materials, encryptedDataKeys);
        if (result.hasPlaintextDataKey()) {
          return result;
        }
      } catch (NoDecryptableKeyException e) {
        failures.addAll(Arrays.asList(e.getSuppressed()));
        if (e.getSuppressed().length == 0) {
          failures.add(e);
        }
      } catch (RuntimeException e) {
        // A failing child must not stop the next one from trying (e.g. one region is down, or a
        // child's own bug).
        failures.add(e);
      }
    }
    NoDecryptableKeyException e =
        new NoDecryptableKeyException(
            "none of the "
                + all().size()
                + " keyrings of this MultiKeyring could unwrap a data key;"
                + " see the suppressed exceptions for each attempt");
    failures.forEach(e::addSuppressed);
    throw e;
  }

  private List<Keyring> all() {
    if (generator == null) {
      return children;
    }
    List<Keyring> all = new ArrayList<>(children.size() + 1);
    all.add(generator);
    all.addAll(children);
    return all;
  }

  /** Configures a {@link MultiKeyring}. Not thread-safe. */
  public static final class Builder {
    private Keyring generator;
    private final List<Keyring> children = new ArrayList<>();

    private Builder() {}

    /** The keyring that generates the data key; required to encrypt. */
    public Builder generator(Keyring generator) {
      this.generator = Objects.requireNonNull(generator, "generator");
      return this;
    }

    /** Keyrings that also wrap the data key (and are tried on decrypt after the generator). */
    public Builder children(Keyring... children) {
      for (Keyring k : children) {
        this.children.add(Objects.requireNonNull(k, "child keyring"));
      }
      return this;
    }

    /** As {@link #children(Keyring...)}. */
    public Builder children(List<? extends Keyring> children) {
      return children(children.toArray(new Keyring[0]));
    }

    /**
     * Builds the keyring.
     *
     * @throws IllegalStateException if neither a generator nor children are set
     * @throws IllegalArgumentException if two keyrings stand for the same key
     */
    public MultiKeyring build() {
      if (generator == null && children.isEmpty()) {
        throw new IllegalStateException("a MultiKeyring needs a generator(...) or children(...)");
      }
      rejectDuplicateKeys();
      return new MultiKeyring(this);
    }

    /** Two keyrings for the same key (e.g. two replicas of one MRK) would only look redundant. */
    private void rejectDuplicateKeys() {
      Map<String, Integer> seen = new HashMap<>();
      List<Keyring> all = new ArrayList<>();
      if (generator != null) {
        all.add(generator);
      }
      all.addAll(children);
      for (int i = 0; i < all.size(); i++) {
        String identity = all.get(i).keyIdentity().orElse(null);
        if (identity == null) {
          continue;
        }
        Integer first = seen.putIfAbsent(identity, i);
        if (first != null) {
          throw new IllegalArgumentException(
              "MultiKeyring keyrings #"
                  + first
                  + " and #"
                  + i
                  + " (counting the generator as #0 when set) wrap with the same key ("
                  + identity
                  + "), so the second adds no redundancy: every call it would make reaches the"
                  + " same key material. Keep one of them; to survive a Region outage, configure"
                  + " the KmsRouter's regions(...) instead of one keyring per replica");
        }
      }
    }
  }
}
