package dev.mrkenvelope;

import dev.mrkenvelope.internal.WrappedManager;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.DefaultMaterialsManager;
import dev.mrkenvelope.materials.EncryptionMaterials;
import dev.mrkenvelope.materials.MaterialsManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and decrypts messages in the AWS Encryption SDK message format, so that what it writes
 * every ESDK language can read, and the other way round.
 *
 * <pre>{@code
 * Keyring keyring = RawAesKeyring.builder()
 *     .keyNamespace("my-app").keyName("key-1").wrappingKey(wrappingKeyBytes).build();
 * EnvelopeClient client = EnvelopeClient.builder().keyring(keyring).build();
 *
 * EncryptResult e = client.encrypt(plaintext, Map.of("tenant", "acme"));
 * DecryptResult d = client.decrypt(e.ciphertext());
 * }</pre>
 *
 * <p>Immutable and thread-safe: build one per configuration and share it.
 */
public final class EnvelopeClient {
  /** The default frame length, as the ESDK's. */
  public static final int DEFAULT_FRAME_LENGTH = 4096;

  /**
   * The default {@link Builder#maxHeaderSize(int)}: 1 MiB. Real headers are far smaller (one KMS
   * data key adds about 300 bytes; the largest encryption context the format allows is 64 KiB), and
   * a stream holds at most this much (plus half again while its buffer grows) before the header is
   * authenticated, so a service with a 64 MiB heap can read eight hostile streams at once with room
   * to spare.
   */
  public static final int DEFAULT_MAX_HEADER_SIZE = 1 << 20;

  /**
   * The default {@link Builder#maxFrameLength(int)}: 1 MiB, 256 times the default frame. A
   * decrypting stream holds one frame's ciphertext and plaintext, so this bounds a stream's body
   * memory to about 2 MiB whatever the sender announces.
   */
  public static final int DEFAULT_MAX_FRAME_LENGTH = 1 << 20;

  /**
   * The default {@link Builder#maxBodySize(long)}: no limit. Body size costs no memory a caller
   * does not already spend: {@code decrypt(byte[])} holds the message anyway, and a stream holds
   * one frame at a time.
   */
  public static final long DEFAULT_MAX_BODY_SIZE = Long.MAX_VALUE;

  /**
   * The default {@link Builder#maxEncryptedDataKeys(int)}: 16. Messages carry one data key per
   * wrapping key, rarely more than a few; every EDK that names one of the reader's keys costs an
   * unwrap attempt (an RSA private-key operation or a KMS call), so a finite default bounds what
   * one hostile message can make a reader spend, as the ESDK recommends.
   */
  public static final int DEFAULT_MAX_ENCRYPTED_DATA_KEYS = 16;

  private final MaterialsContract materials;
  private final AlgorithmSuite algorithmSuite;
  private final CommitmentPolicy commitmentPolicy;
  private final int frameLength;
  private final DecryptLimits limits;
  private final ClientMetrics metrics;

  private EnvelopeClient(Builder b, MaterialsManager materialsManager) {
    this.commitmentPolicy = b.commitmentPolicy;
    this.algorithmSuite =
        b.algorithmSuite != null ? b.algorithmSuite : b.commitmentPolicy.defaultSuite();
    this.frameLength = b.frameLength;
    this.materials =
        new MaterialsContract(
            materialsManager, algorithmSuite, commitmentPolicy, b.maxEncryptedDataKeys);
    this.limits =
        new DecryptLimits(b.maxHeaderSize, b.maxFrameLength, b.maxBodySize, b.maxEncryptedDataKeys);
    this.metrics = b.meterRegistry == null ? null : new ClientMetrics(b.meterRegistry);
  }

  /** Starts configuring a client; exactly one of keyring or materials manager is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The suite this client encrypts with. */
  public AlgorithmSuite algorithmSuite() {
    return algorithmSuite;
  }

  /** The commitment policy this client encrypts and decrypts under. */
  public CommitmentPolicy commitmentPolicy() {
    return commitmentPolicy;
  }

  /** Plaintext bytes per frame of the messages this client writes. */
  public int frameLength() {
    return frameLength;
  }

  /**
   * Encrypts {@code plaintext} into one message bound to {@code encryptionContext}.
   *
   * @param encryptionContext non-secret pairs authenticated with the message (stored in its header
   *     in clear); keys must not start with {@code aws-crypto-}, keys and values must be non-empty
   * @throws IllegalArgumentException if the context breaks those rules
   * @throws PolicyException if the materials break the commitment policy or the EDK limit
   */
  public EncryptResult encrypt(byte[] plaintext, Map<String, String> encryptionContext) {
    Objects.requireNonNull(plaintext, "plaintext");
    return timed(
        ClientMetrics.ENCRYPT,
        () -> {
          EncryptionMaterials m = materials.forEncrypt(encryptionContext, plaintext.length);
          byte[] ciphertext = MessageCrypto.encrypt(m, plaintext, frameLength);
          return new EncryptResult(
              ciphertext, m.encryptionContext(), m.algorithmSuite(), m.encryptedDataKeys());
        });
  }

  /**
   * Decrypts a message, releasing the plaintext only after the whole message authenticated.
   *
   * @throws DecryptionFailedException if the message is malformed, truncated, tampered with or has
   *     trailing bytes
   * @throws NoDecryptableKeyException if no keyring could unwrap any data key
   * @throws PolicyException if the commitment policy rejects the message
   * @throws LimitExceededException if the message exceeds a decrypt limit (header size, frame
   *     length, body size, EDK count)
   */
  public DecryptResult decrypt(byte[] ciphertext) {
    return decrypt(ciphertext, Map.of());
  }

  /**
   * Decrypts a message with a reproduced encryption context: each pair stored in the message must
   * have the same value; pairs not stored in the message are required pairs that were authenticated
   * but not stored (the ESDK's required encryption context).
   *
   * @see #decrypt(byte[])
   */
  public DecryptResult decrypt(byte[] ciphertext, Map<String, String> reproducedContext) {
    Objects.requireNonNull(reproducedContext, "reproducedContext");
    return decrypt(ciphertext, reproducedContext, false, limits);
  }

  /**
   * Decrypts a message with options: a reproduced encryption context, refusing signed messages, or
   * other decrypt limits for this call.
   *
   * @throws LimitExceededException if the message exceeds a limit
   * @see #decrypt(byte[])
   */
  public DecryptResult decrypt(byte[] ciphertext, DecryptOptions options) {
    Objects.requireNonNull(options, "options");
    return decrypt(
        ciphertext, options.reproducedContext(), options.isUnsignedOnly(), limits.with(options));
  }

  private DecryptResult decrypt(
      byte[] ciphertext,
      Map<String, String> reproducedContext,
      boolean unsignedOnly,
      DecryptLimits limits) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    return timed(
        ClientMetrics.DECRYPT,
        () -> {
          MessageHeader h =
              HeaderCodec.parse(new ByteArrayInput(ciphertext, limits), commitmentPolicy, limits);
          if (unsignedOnly) {
            DecryptOptions.checkUnsigned(h.suite);
          }
          DecryptionMaterials m = materials.forDecrypt(h, reproducedContext);
          SecretKeySpec key = MessageCrypto.authenticateHeader(h, m);
          byte[] plaintext = MessageCrypto.decryptBody(ciphertext, h, m, key, limits);
          return new DecryptResult(plaintext, m.encryptionContext(), h.suite, h.encryptedDataKeys);
        });
  }

  /** Runs one byte[] operation, timed by outcome when a meter registry is set. */
  private <T> T timed(String operation, Supplier<T> body) {
    if (metrics == null) {
      return body.get();
    }
    long start = System.nanoTime();
    String outcome = "error";
    try {
      T result = body.get();
      outcome = "success";
      return result;
    } catch (EnvelopeException e) {
      outcome = ClientMetrics.outcome(e);
      throw e;
    } finally {
      metrics.record(operation, outcome, start);
    }
  }

  /**
   * Returns a stream that encrypts what is written to it into {@code sink}, in memory proportional
   * to one frame. Materials (the data key) are obtained now; bytes reach the sink with the first
   * full frame, or on {@code close()}, which writes the final frame and the footer and closes the
   * sink. {@code flush()} flushes the sink but cannot emit a partial frame. Not thread-safe;
   * writing after {@code close()} throws {@code IOException}.
   */
  public OutputStream encryptingStream(OutputStream sink, Map<String, String> encryptionContext) {
    return encryptingStream(sink, encryptionContext, -1);
  }

  /**
   * As {@link #encryptingStream(OutputStream, Map)}, with the plaintext length when known in
   * advance, so a caching materials manager can apply its byte limits. Writing more than the hint
   * fails with an {@code IOException}; -1 means unknown.
   */
  public OutputStream encryptingStream(
      OutputStream sink, Map<String, String> encryptionContext, long plaintextLengthHint) {
    Objects.requireNonNull(sink, "sink");
    long start = metrics == null ? 0 : System.nanoTime();
    EncryptionMaterials m;
    try {
      m = materials.forEncrypt(encryptionContext, plaintextLengthHint);
    } catch (RuntimeException e) {
      if (metrics != null) {
        metrics.failure(ClientMetrics.ENCRYPT, e, start);
      }
      throw e;
    }
    return new EncryptingOutputStream(
        sink, m, frameLength, plaintextLengthHint < 0 ? -1 : plaintextLengthHint, metrics, start);
  }

  /**
   * Returns a stream of the plaintext of the message read from {@code source}, with this client's
   * decrypt limits ({@link LimitExceededException} from {@code read} when one is exceeded).
   */
  public DecryptingInputStream decryptingStream(InputStream source) {
    return decryptingStream(source, DecryptOptions.defaults());
  }

  /** As {@link #decryptingStream(InputStream)}, with options. */
  public DecryptingInputStream decryptingStream(InputStream source, DecryptOptions options) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    return new DecryptingInputStream(source, this, options);
  }

  MaterialsContract materials() {
    return materials;
  }

  CommitmentPolicy policy() {
    return commitmentPolicy;
  }

  DecryptLimits limits() {
    return limits;
  }

  ClientMetrics metrics() {
    return metrics;
  }

  /**
   * Configures an {@link EnvelopeClient}. Not thread-safe; {@link #build()} validates every setting
   * and names the fix when one is wrong.
   */
  public static final class Builder {
    private Keyring keyring;
    private MaterialsManager materialsManager;
    private AlgorithmSuite algorithmSuite;
    private CommitmentPolicy commitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT;
    private int frameLength = DEFAULT_FRAME_LENGTH;
    private int maxEncryptedDataKeys = DEFAULT_MAX_ENCRYPTED_DATA_KEYS;
    private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
    private int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
    private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
    private MeterRegistry meterRegistry;

    private Builder() {}

    /** The keyring to wrap data keys with, through a {@link DefaultMaterialsManager}. */
    public Builder keyring(Keyring keyring) {
      this.keyring = Objects.requireNonNull(keyring, "keyring");
      return this;
    }

    /** The materials manager to use instead of a keyring (e.g. a caching one). */
    public Builder materialsManager(MaterialsManager materialsManager) {
      this.materialsManager = Objects.requireNonNull(materialsManager, "materialsManager");
      return this;
    }

    /**
     * The suite to encrypt with. Default: {@link
     * AlgorithmSuite#AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384} (with {@link
     * CommitmentPolicy#FORBID_ENCRYPT_ALLOW_DECRYPT}: 0x0378).
     */
    public Builder algorithmSuite(AlgorithmSuite algorithmSuite) {
      this.algorithmSuite = Objects.requireNonNull(algorithmSuite, "algorithmSuite");
      return this;
    }

    /** Default: {@link CommitmentPolicy#REQUIRE_ENCRYPT_REQUIRE_DECRYPT}. */
    public Builder commitmentPolicy(CommitmentPolicy commitmentPolicy) {
      this.commitmentPolicy = Objects.requireNonNull(commitmentPolicy, "commitmentPolicy");
      return this;
    }

    /**
     * Plaintext bytes per frame, 1 to 2^31-1. Default 4096. Non-framed writing is not offered. A
     * stream buffers one frame, so it cannot write full frames longer than a Java array holds.
     */
    public Builder frameLength(int frameLength) {
      this.frameLength =
          BuilderChecks.checkFrameLength(
              frameLength,
              " (non-framed messages are read but never written; the default is 4096)");
      return this;
    }

    /**
     * The most encrypted data keys a message may carry, on encrypt and on decrypt (checked as soon
     * as the count is read, before any keyring runs), 1 to 65535 (the format's limit: no limit).
     * Default 16, see {@link EnvelopeClient#DEFAULT_MAX_ENCRYPTED_DATA_KEYS}. Exceeding it is a
     * {@link LimitExceededException}.
     */
    public Builder maxEncryptedDataKeys(int maxEncryptedDataKeys) {
      if (maxEncryptedDataKeys < 1 || maxEncryptedDataKeys > 0xFFFF) {
        throw new IllegalArgumentException(
            "maxEncryptedDataKeys must be 1 to 65535: "
                + maxEncryptedDataKeys
                + " (65535, the format's own limit, means no limit)");
      }
      this.maxEncryptedDataKeys = maxEncryptedDataKeys;
      return this;
    }

    /**
     * The largest message header a decrypt reads, in bytes, checked as soon as a length field
     * points past it (before those bytes are read or anything is allocated for them). Default 1
     * MiB, see {@link EnvelopeClient#DEFAULT_MAX_HEADER_SIZE}. Exceeding it is a {@link
     * LimitExceededException}.
     */
    public Builder maxHeaderSize(int maxHeaderSize) {
      this.maxHeaderSize = DecryptLimits.checkMaxHeaderSize(maxHeaderSize);
      return this;
    }

    /**
     * The largest frame length (plaintext bytes per frame) a decrypt accepts, checked as soon as
     * the header is read; a non-framed body counts as one frame. Default 1 MiB, see {@link
     * EnvelopeClient#DEFAULT_MAX_FRAME_LENGTH}. Exceeding it is a {@link LimitExceededException}.
     * Encrypting is not limited by it: raise it on readers of messages written with a larger {@link
     * #frameLength(int)}.
     */
    public Builder maxFrameLength(int maxFrameLength) {
      this.maxFrameLength = DecryptLimits.checkMaxFrameLength(maxFrameLength);
      return this;
    }

    /**
     * The most plaintext bytes one decrypted message may hold (the JavaScript ESDK's {@code
     * maxBodySize}), checked before each frame is read. Default: no limit, see {@link
     * EnvelopeClient#DEFAULT_MAX_BODY_SIZE}. Exceeding it is a {@link LimitExceededException}; a
     * stream releases the frames before the one that would exceed it.
     */
    public Builder maxBodySize(long maxBodySize) {
      this.maxBodySize = DecryptLimits.checkMaxBodySize(maxBodySize);
      return this;
    }

    /**
     * Where to record the {@code mrkenvelope.messages} timer {operation=encrypt|decrypt,
     * outcome=success|decryption_failed|no_decryptable_key|policy|error|incomplete}, for the byte[]
     * API and the streams alike (a stream is timed from its creation to its end; {@code
     * incomplete}: a decrypting stream closed before its message ended). Default: no metrics, no
     * cost.
     */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException if neither or both of keyring and materials manager are set, or
     *     the commitment policy does not allow the suite
     */
    public EnvelopeClient build() {
      MaterialsManager manager = WrappedManager.of(keyring, materialsManager);
      AlgorithmSuite suite =
          algorithmSuite != null ? algorithmSuite : commitmentPolicy.defaultSuite();
      if (!commitmentPolicy.allowsEncrypt(suite)) {
        throw new IllegalStateException(
            "algorithmSuite "
                + suite
                + " is not allowed by commitmentPolicy "
                + commitmentPolicy
                + (suite.isCommitting()
                    ? "; use REQUIRE_ENCRYPT_ALLOW_DECRYPT or REQUIRE_ENCRYPT_REQUIRE_DECRYPT"
                    : "; choose AES_256_GCM_HKDF_SHA512_COMMIT_KEY(_ECDSA_P384), or"
                        + " FORBID_ENCRYPT_ALLOW_DECRYPT only to write for pre-2.0 readers"));
      }
      return new EnvelopeClient(this, manager);
    }
  }
}
