package dev.mrkenvelope;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DefaultMaterialsManager;
import dev.mrkenvelope.materials.MaterialsManager;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Moves messages from one key to another: decrypts each message with the old keyring (or materials
 * manager), verifies it completely, and encrypts its plaintext again as a new message under the new
 * keyring, with the same encryption context. This is how data moves onto a multi-Region key: KMS
 * cannot turn an existing single-Region key into one.
 *
 * <pre>{@code
 * Reencrypter r = Reencrypter.builder()
 *     .decryptWith(singleRegionKeyring)
 *     .encryptWith(CachingMaterialsManager.builder().keyring(mrkKeyring)
 *         .maxAge(Duration.ofMinutes(5)).maxMessagesPerKey(1000).build())
 *     .build();
 * byte[] moved = r.reencrypt(oldMessage).ciphertext();
 * // or, in memory bounded by one frame:
 * r.reencrypt(in, out, Files.size(oldFile));
 * }</pre>
 *
 * <h2>What the new message keeps and what it changes</h2>
 *
 * <ul>
 *   <li>Kept: the plaintext and the encryption context the old message authenticated (its stored
 *       pairs, plus any required pairs given in {@link Builder#reproducedContext(Map)}), except the
 *       reserved {@code aws-crypto-} pairs, which belong to the old message's suite (a new signing
 *       key is made for the new message).
 *   <li>Changed: the data key (a new one from the new keyring or materials manager; a caching
 *       manager shares data keys between messages within its limits), the message ID, and the
 *       algorithm suite: every message is written with the configured committing suite, so legacy
 *       suites (no key commitment, v1 format) are upgraded.
 *   <li>Pairs named in {@link Builder#requiredContextKeys(Set)} are authenticated but not stored in
 *       the new message: its readers must pass them as a reproduced context.
 * </ul>
 *
 * <h2>Failures: never a usable partial message</h2>
 *
 * {@link #reencrypt(byte[])} returns nothing unless the old message decrypted and verified
 * completely. The streaming methods write the new message as the old one is read, so that memory
 * stays bounded by one frame; they write its final frame and footer only after the old message
 * verified to its last byte (for signed suites, its signature). If they throw, what was written to
 * the sink is the beginning of a message that will never be finished: <b>discard the sink's content
 * on any exception</b> (write to a temporary file and rename it into place only after the method
 * returned, as the {@code mrk-envelope} command line does). Without its final frame no reader
 * accepts it, but a caller that keeps it keeps a useless file.
 *
 * <h2>Why there is no header-only re-keying</h2>
 *
 * Replacing only the encrypted data keys in the header and keeping the body would save the body's
 * decryption and encryption, and this class deliberately does not offer it. In the committing (v2)
 * format the header is authenticated by an AES-GCM tag under the message's derived key with a fixed
 * all-zero IV. A second header for the same message (same data key, same message ID, so the same
 * derived key) would be a second GCM encryption under the same key and nonce: anyone holding both
 * versions of the message could recover the GCM authentication key and forge headers and frames.
 * (Keeping the old data key would also defeat the point of moving away from the old key: whoever
 * could unwrap it still can read the "migrated" data.) Every message is therefore re-encrypted
 * completely, under a fresh data key and message ID.
 *
 * <p>Immutable and thread-safe: one instance may serve many threads.
 */
public final class Reencrypter {
  private static final String RESERVED_PREFIX = "aws-crypto-";
  private static final int COPY_BUFFER = 64 * 1024;

  private final EnvelopeClient decryptClient;
  private final EnvelopeClient encryptClient;
  private final Set<String> requiredContextKeys;
  private final Map<String, String> reproducedContext;

  private Reencrypter(Builder b) {
    EnvelopeClient.Builder dec =
        EnvelopeClient.builder()
            .materialsManager(b.decryptWith)
            .commitmentPolicy(b.commitmentPolicy);
    if (b.maxEncryptedDataKeys > 0) {
      dec.maxEncryptedDataKeys(b.maxEncryptedDataKeys);
    }
    this.decryptClient = dec.build();
    MaterialsManager encryptWith =
        b.requiredContextKeys.isEmpty()
            ? b.encryptWith
            : new RequiredContextMaterialsManager(b.encryptWith, b.requiredContextKeys);
    this.encryptClient =
        EnvelopeClient.builder()
            .materialsManager(encryptWith)
            .commitmentPolicy(b.commitmentPolicy)
            .algorithmSuite(b.algorithmSuite)
            .frameLength(b.frameLength)
            .build();
    this.requiredContextKeys = b.requiredContextKeys;
    this.reproducedContext = b.reproducedContext;
  }

  /**
   * Starts configuring a re-encrypter; {@code decryptWith} and {@code encryptWith} are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The suite every new message is written with (always a committing suite). */
  public AlgorithmSuite algorithmSuite() {
    return encryptClient.algorithmSuite();
  }

  /**
   * Re-encrypts one message held in memory. Nothing is returned unless the old message decrypted
   * and verified completely.
   *
   * @return the new message, with the encryption context it authenticates
   * @throws DecryptionFailedException if the old message is malformed, truncated or tampered with
   * @throws NoDecryptableKeyException if the old keyring cannot unwrap any of its data keys
   * @throws PolicyException if the commitment policy refuses the old message, or a required context
   *     key is missing from it
   */
  public EncryptResult reencrypt(byte[] message) {
    Objects.requireNonNull(message, "message");
    DecryptResult old = decryptClient.decrypt(message, reproducedContext);
    byte[] plaintext = old.plaintext();
    try {
      return encryptClient.encrypt(plaintext, keptContext(old.encryptionContext()));
    } finally {
      java.util.Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * Re-encrypts the message read from {@code source} into {@code sink}, in memory bounded by one
   * frame of each message. Neither stream is closed. <b>If this throws, discard what was written to
   * the sink</b> (see the class description). A caching materials manager on the encrypting side
   * bypasses its cache for a message of unknown length; use {@link #reencrypt(InputStream,
   * OutputStream, long)} when the source's size is known.
   *
   * @return the encryption context the new message authenticates
   * @throws DecryptionFailedException if the old message is malformed, truncated or tampered with
   * @throws NoDecryptableKeyException if the old keyring cannot unwrap any of its data keys
   * @throws UncheckedIOException if reading the source or writing the sink fails
   */
  public Map<String, String> reencrypt(InputStream source, OutputStream sink) {
    return reencrypt(source, sink, -1);
  }

  /**
   * As {@link #reencrypt(InputStream, OutputStream)}, given the size of the old message in bytes
   * (e.g. its file's size), or -1 if unknown. The size bounds the plaintext length from above, so
   * the encrypting side's materials manager is asked for materials for at most that many bytes, and
   * a caching manager can serve the message from its cache (counting that many bytes against its
   * {@code maxBytesPerKey}).
   *
   * @throws IllegalArgumentException if {@code sourceLength} is below -1
   */
  public Map<String, String> reencrypt(InputStream source, OutputStream sink, long sourceLength) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sink, "sink");
    if (sourceLength < -1) {
      throw new IllegalArgumentException(
          "sourceLength must be the size of the old message in bytes, or -1 if unknown: "
              + sourceLength);
    }
    DecryptingInputStream in =
        decryptClient.decryptingStream(
            source, DecryptOptions.defaults().withReproducedContext(reproducedContext));
    Map<String, String> context = keptContext(in.encryptionContext());
    OutputStream out = encryptClient.encryptingStream(new KeepOpen(sink), context, sourceLength);
    byte[] buffer = new byte[Math.min(COPY_BUFFER, Math.max(4096, encryptClient.frameLength()))];
    try {
      int n;
      while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
        out.write(buffer, 0, n);
      }
      // Only now, with the old message verified to its end, does the new one get its final
      // frame (and footer): on any failure above, close() is never called.
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      java.util.Arrays.fill(buffer, (byte) 0);
    }
    return context;
  }

  private Map<String, String> keptContext(Map<String, String> authenticated) {
    Map<String, String> kept = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : authenticated.entrySet()) {
      if (!e.getKey().startsWith(RESERVED_PREFIX)) {
        kept.put(e.getKey(), e.getValue());
      }
    }
    for (String key : requiredContextKeys) {
      if (!kept.containsKey(key)) {
        throw new PolicyException(
            "the message's encryption context has no key '"
                + key
                + "', which requiredContextKeys"
                + " names; re-encrypt such messages with a Reencrypter without that key");
      }
    }
    return kept;
  }

  /** Lets the encrypting stream's close() finish the message without closing the caller's sink. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream sink) {
      super(sink);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }

  /**
   * Configures a {@link Reencrypter}. Not thread-safe; {@link #build()} validates every setting and
   * names the fix when one is wrong.
   */
  public static final class Builder {
    private MaterialsManager decryptWith;
    private MaterialsManager encryptWith;
    private AlgorithmSuite algorithmSuite =
        AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
    private CommitmentPolicy commitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT;
    private int frameLength = EnvelopeClient.DEFAULT_FRAME_LENGTH;
    private int maxEncryptedDataKeys;
    private Set<String> requiredContextKeys = Set.of();
    private Map<String, String> reproducedContext = Map.of();

    private Builder() {}

    /** The keyring that unwraps the old messages' data keys (e.g. the single-Region key's). */
    public Builder decryptWith(Keyring keyring) {
      return decryptWith(
          DefaultMaterialsManager.create(Objects.requireNonNull(keyring, "keyring")));
    }

    /** The materials manager that decrypts the old messages. */
    public Builder decryptWith(MaterialsManager materialsManager) {
      this.decryptWith = Objects.requireNonNull(materialsManager, "materialsManager");
      return this;
    }

    /**
     * The keyring that wraps the new messages' data keys (e.g. the multi-Region key's). Each
     * message gets its own data key; use {@link #encryptWith(MaterialsManager)} with a caching
     * materials manager to share data keys between messages within limits.
     */
    public Builder encryptWith(Keyring keyring) {
      return encryptWith(
          DefaultMaterialsManager.create(Objects.requireNonNull(keyring, "keyring")));
    }

    /** The materials manager that supplies the new messages' data keys (e.g. a caching one). */
    public Builder encryptWith(MaterialsManager materialsManager) {
      this.encryptWith = Objects.requireNonNull(materialsManager, "materialsManager");
      return this;
    }

    /**
     * The suite of the new messages; it must commit to its key. Default {@link
     * AlgorithmSuite#AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384}.
     */
    public Builder algorithmSuite(AlgorithmSuite algorithmSuite) {
      this.algorithmSuite = Objects.requireNonNull(algorithmSuite, "algorithmSuite");
      return this;
    }

    /**
     * Which old messages are accepted; new messages always commit. Default {@link
     * CommitmentPolicy#REQUIRE_ENCRYPT_ALLOW_DECRYPT}, so that legacy messages can be upgraded;
     * {@link CommitmentPolicy#REQUIRE_ENCRYPT_REQUIRE_DECRYPT} refuses them.
     */
    public Builder commitmentPolicy(CommitmentPolicy commitmentPolicy) {
      this.commitmentPolicy = Objects.requireNonNull(commitmentPolicy, "commitmentPolicy");
      return this;
    }

    /** Plaintext bytes per frame of the new messages; default 4096. */
    public Builder frameLength(int frameLength) {
      this.frameLength = BuilderChecks.checkFrameLength(frameLength, "");
      return this;
    }

    /** The most encrypted data keys an old message may carry; default: the format's 65535. */
    public Builder maxEncryptedDataKeys(int maxEncryptedDataKeys) {
      if (maxEncryptedDataKeys < 1) {
        throw new IllegalArgumentException(
            "maxEncryptedDataKeys must be at least 1: "
                + maxEncryptedDataKeys
                + " (leave it unset for no limit)");
      }
      this.maxEncryptedDataKeys = maxEncryptedDataKeys;
      return this;
    }

    /**
     * Encryption-context keys to authenticate in the new messages without storing them (required
     * context): the new messages' readers must supply these pairs. Every old message must have
     * them. Default: none, every pair is stored.
     */
    public Builder requiredContextKeys(Set<String> keys) {
      Objects.requireNonNull(keys, "keys");
      for (String k : keys) {
        if (k == null || k.isEmpty() || k.startsWith(RESERVED_PREFIX)) {
          throw new IllegalArgumentException(
              "requiredContextKeys must be non-empty keys that do not start with "
                  + RESERVED_PREFIX
                  + ": "
                  + k);
        }
      }
      this.requiredContextKeys = Set.copyOf(keys);
      return this;
    }

    /**
     * The pairs the old messages authenticated without storing them (their required context), as
     * for {@link EnvelopeClient#decrypt(byte[], Map)}. The new messages keep them. Default: none.
     */
    public Builder reproducedContext(Map<String, String> reproducedContext) {
      this.reproducedContext =
          Map.copyOf(Objects.requireNonNull(reproducedContext, "reproducedContext"));
      return this;
    }

    /**
     * Builds the re-encrypter.
     *
     * @throws IllegalStateException if a side is missing, the suite does not commit, or the
     *     commitment policy forbids committing suites
     */
    public Reencrypter build() {
      if (decryptWith == null || encryptWith == null) {
        throw new IllegalStateException(
            "set both decryptWith(...) (the old key) and encryptWith(...) (the new key) before"
                + " build()");
      }
      if (!algorithmSuite.isCommitting()) {
        throw new IllegalStateException(
            "algorithmSuite must commit to its key, as every new message does: "
                + algorithmSuite
                + "; use AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 (the default) or"
                + " AES_256_GCM_HKDF_SHA512_COMMIT_KEY");
      }
      if (commitmentPolicy == CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT) {
        throw new IllegalStateException(
            "commitmentPolicy "
                + commitmentPolicy
                + " forbids the committing suites new messages"
                + " are written with; use REQUIRE_ENCRYPT_ALLOW_DECRYPT (the default)");
      }
      return new Reencrypter(this);
    }
  }
}
