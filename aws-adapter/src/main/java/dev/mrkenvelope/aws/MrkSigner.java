package dev.mrkenvelope.aws;

import dev.mrkenvelope.EnvelopeException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Signs with an asymmetric AWS KMS key, usually a multi-Region key (MRK), in whichever allowed
 * replica the {@link KmsRouter} picks, and verifies locally with the key's public key. Replicas of
 * an MRK share their key material, so a signature made in any Region verifies with the one public
 * key.
 *
 * <pre>{@code
 * MrkSigner signer = MrkSigner.builder()
 *     .keyArn("arn:aws:kms:us-east-1:111122223333:key/mrk-…")   // KeyUsage SIGN_VERIFY
 *     .router(router)                                            // the same router as encryption
 *     .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)
 *     .build();
 * byte[] signature = signer.sign(message);
 * boolean ok = signer.verify(message, signature);                // local, no KMS call
 * }</pre>
 *
 * <p><b>Keys and algorithms.</b> {@code ECC_NIST_P256} with {@code ECDSA_SHA_256}, {@code
 * ECC_NIST_P384} with {@code ECDSA_SHA_384}, {@code ECC_NIST_P521} with {@code ECDSA_SHA_512};
 * {@code RSA_2048}, {@code RSA_3072} and {@code RSA_4096} with {@code RSASSA_PSS_SHA_256/384/512}
 * and {@code RSASSA_PKCS1_V1_5_SHA_256/384/512}. ECDSA signatures are DER, as KMS returns them;
 * RSASSA-PSS uses MGF1 with the same hash and a salt as long as the hash.
 *
 * <p><b>Public key.</b> {@link Builder#build()} calls {@code GetPublicKey} once, the key's own
 * Region first, and checks the key spec, the usage and the algorithm against the answer. It then
 * asks a second allowed Region for the same key's public key: the two must be identical, or {@code
 * build()} throws {@link IllegalStateException} (the ARN does not name what the caller thinks, or
 * an endpoint is not the KMS it claims to be). If no second Region can answer right now (an outage,
 * or no replica there yet), {@code build()} succeeds and {@link #sign} repeats that check at most
 * once a minute until it completes; a mismatch found then makes every later call throw. The public
 * key is never fetched again: build one signer per key and share it.
 *
 * <p><b>Sign.</b> {@code Sign} goes to the configured key's Region first (under {@link
 * RoutingPolicy#PREFERENCE_ORDER}), then fails over, hedges and circuit-breaks across the router's
 * other Regions exactly like {@code Decrypt}: throttling, server faults, transport errors and
 * timeouts move on; disabled or missing replicas are skipped; access denials and invalid requests
 * fail fast. The answer's {@code KeyId} must be the key or a replica of it and its {@code
 * SigningAlgorithm} the one requested; {@link #sign} also verifies each signature with the public
 * key before returning it, so a signature it returns always verifies. Messages of 1 to 4096 bytes
 * are sent as {@code RAW}; others are hashed here and sent as {@code DIGEST}, which gives the same
 * signature. Metrics: the router's {@code mrkenvelope.kms.requests} with operation {@code
 * GetPublicKey} or {@code Sign}, failovers and hedges.
 *
 * <p><b>Verify</b> is local JCA: no KMS request, no quota.
 *
 * <p>Thread-safe; immutable but for the pending public-key check.
 */
public final class MrkSigner {
  /** KMS accepts RAW messages of at most this many bytes. */
  static final int MAX_RAW_MESSAGE = 4096;

  private final KmsArn keyArn;
  private final KmsRouter router;
  private final SignatureScheme scheme;
  private final SigningKeyType type;
  private final List<String> grantTokens;
  private final KmsRouter.KeyTarget target;
  private final SigningPublicKey fetched;
  private final PublicKey publicKey;
  private final LocalVerifier verifier;
  private final ReplicaKeyCheck replicaCheck;

  private MrkSigner(Builder b, SigningKeyType type, SigningPublicKey fetched, PublicKey publicKey) {
    this.keyArn = b.keyArn;
    this.router = b.router;
    this.scheme = b.scheme;
    this.type = type;
    this.grantTokens = b.grantTokens;
    this.target = KmsRouter.target(keyArn);
    this.fetched = fetched;
    this.publicKey = publicKey;
    this.verifier = new LocalVerifier(scheme, type, fetched, publicKey);
    this.replicaCheck =
        new ReplicaKeyCheck(router, target, fetched, grantTokens, b.crossCheckRetryNanos);
  }

  /**
   * Starts configuring a signer; {@code keyArn}, {@code router} and {@code signingAlgorithm} are
   * required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Signs {@code message} with the key in the first allowed Region that answers. Messages of 1 to
   * 4096 bytes go to KMS as {@code RAW}; empty and longer ones are hashed here and sent as {@code
   * DIGEST}. Either way the result is a signature of {@code message} that {@link #verify} and any
   * standard verifier accept.
   *
   * @return the signature as KMS returns it (DER for ECDSA)
   * @throws EnvelopeException if no allowed Region signed: the router's exception (e.g. {@link
   *     KmsUnavailableException}), which names every Region tried with its outcome
   * @throws IllegalStateException if the public keys of two replicas turned out to differ
   */
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    replicaCheck.checkUsable();
    replicaCheck.retryIfDue();
    boolean raw = message.length >= 1 && message.length <= MAX_RAW_MESSAGE;
    byte[] signed = raw ? message : scheme.digest(message);
    return signWith(raw ? MessageType.RAW : MessageType.DIGEST, signed, message);
  }

  /**
   * Signs a message digest computed by the caller ({@code MessageType=DIGEST}): SHA-256, SHA-384 or
   * SHA-512 as the signing algorithm says. The signature verifies as a signature of the message the
   * digest came from.
   *
   * @throws IllegalArgumentException if the digest's length does not fit the algorithm
   * @throws EnvelopeException if no allowed Region signed (the router's exception)
   */
  public byte[] signDigest(byte[] digest) {
    Objects.requireNonNull(digest, "digest");
    if (digest.length != scheme.digestLength) {
      throw new IllegalArgumentException(
          "digest is "
              + digest.length
              + " bytes; "
              + scheme.spec
              + " signs a "
              + scheme.digestLength
              + "-byte "
              + scheme.digestAlgorithm
              + " digest; hash the message with "
              + scheme.digestAlgorithm
              + " or call sign(message)");
    }
    replicaCheck.checkUsable();
    replicaCheck.retryIfDue();
    return signWith(MessageType.DIGEST, digest.clone(), null);
  }

  /**
   * Checks {@code signature} over {@code message} with the cached public key, locally (no KMS
   * request). Malformed signatures are simply invalid.
   *
   * @return whether the signature is valid
   */
  public boolean verify(byte[] message, byte[] signature) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(signature, "signature");
    replicaCheck.checkUsable();
    return verifier.verify(message, signature);
  }

  /** The key's public key, from {@code GetPublicKey} at build time. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** The DER {@code SubjectPublicKeyInfo} of the public key, as KMS returned it; a copy. */
  public byte[] publicKeyDer() {
    return fetched.der();
  }

  /** The configured key ARN. */
  public String keyArn() {
    return keyArn.toString();
  }

  /** The key ID ({@code mrk-…} for a multi-Region key), the same in every Region. */
  public String keyId() {
    return keyArn.resourceId();
  }

  /** The signing algorithm. */
  public SigningAlgorithmSpec signingAlgorithm() {
    return scheme.spec;
  }

  /** The key spec KMS reported, e.g. {@code ECC_NIST_P384}. */
  public KeySpec keySpec() {
    return type.spec;
  }

  @Override
  public String toString() {
    return "MrkSigner{" + keyArn + ", " + scheme.spec + "}";
  }

  /**
   * The Region whose public key matched the first one, or null if no second replica answered yet.
   */
  String crossCheckedWith() {
    return replicaCheck.matchedRegion();
  }

  /** The Region the cached public key came from. */
  String publicKeyRegion() {
    return fetched.region;
  }

  private byte[] signWith(MessageType type, byte[] toSign, byte[] originalMessage) {
    byte[] signature =
        router.call(
            "Sign",
            target,
            keyArn.region(),
            (KmsClient client, String arn, AwsRequestOverrideConfiguration timeouts) -> {
              SignResponse r =
                  client.sign(
                      b ->
                          b.keyId(arn)
                              .message(SdkBytes.fromByteArrayUnsafe(toSign))
                              .messageType(type)
                              .signingAlgorithm(scheme.spec)
                              .grantTokens(grantTokens)
                              .overrideConfiguration(timeouts));
              return verifier.checkedSignature(r, arn, originalMessage);
            });
    return signature;
  }

  /** Configures an {@link MrkSigner}. Not thread-safe. */
  public static final class Builder {
    private KmsArn keyArn;
    private KmsRouter router;
    private SignatureScheme scheme;
    private List<String> grantTokens = List.of();
    private long crossCheckRetryNanos = TimeUnit.MINUTES.toNanos(1);

    private Builder() {}

    /**
     * The key's full ARN, {@code arn:<partition>:kms:<region>:<account>:key/<id>}: an asymmetric
     * key with {@code KeyUsage=SIGN_VERIFY}. An MRK ({@code key/mrk-…}) is usable in every allowed
     * Region, a single-Region key only in its own. Its Region is tried first.
     */
    public Builder keyArn(String keyArn) {
      this.keyArn = KmsArn.parseKeyArn(keyArn);
      return this;
    }

    /** The router that picks the Region of each call; share the one used for encryption. */
    public Builder router(KmsRouter router) {
      this.router = Objects.requireNonNull(router, "router");
      return this;
    }

    /**
     * The KMS signing algorithm: {@code ECDSA_SHA_256/384/512}, {@code RSASSA_PSS_SHA_256/384/512}
     * or {@code RSASSA_PKCS1_V1_5_SHA_256/384/512}. {@link #build()} checks it against the key.
     */
    public Builder signingAlgorithm(SigningAlgorithmSpec algorithm) {
      Objects.requireNonNull(algorithm, "signingAlgorithm");
      SignatureScheme s = SignatureScheme.of(algorithm);
      if (s == null) {
        throw new IllegalArgumentException(
            "signingAlgorithm "
                + algorithm
                + " is not supported by MrkSigner; use one of "
                + Arrays.stream(SignatureScheme.values())
                    .map(x -> x.spec.toString())
                    .collect(Collectors.joining(", ")));
      }
      this.scheme = s;
      return this;
    }

    /** Grant tokens passed with every request; default none. */
    public Builder grantTokens(List<String> grantTokens) {
      this.grantTokens = List.copyOf(Objects.requireNonNull(grantTokens, "grantTokens"));
      return this;
    }

    /** How long {@link #sign} waits between attempts at a pending public-key check (tests). */
    Builder crossCheckRetry(java.time.Duration interval) {
      this.crossCheckRetryNanos = interval.toNanos();
      return this;
    }

    /**
     * Fetches the public key ({@code GetPublicKey}, the key's Region first), checks the key against
     * the algorithm, compares the public key with a second allowed replica's, and builds the
     * signer.
     *
     * @throws IllegalStateException if a setting is missing, the key is a single-Region key in a
     *     Region the router does not allow, or two replicas' public keys differ
     * @throws IllegalArgumentException if the key is not a signing key of a supported spec, or the
     *     algorithm does not fit it (the message names the key spec and its algorithms)
     * @throws EnvelopeException if no allowed Region answered {@code GetPublicKey} (the router's
     *     exception, naming every Region tried)
     */
    public MrkSigner build() {
      if (keyArn == null || router == null || scheme == null) {
        throw new IllegalStateException(
            "MrkSigner needs keyArn(...), router(...) and signingAlgorithm(...); missing: "
                + ((keyArn == null ? "keyArn " : "")
                        + (router == null ? "router " : "")
                        + (scheme == null ? "signingAlgorithm" : ""))
                    .trim());
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
      SigningPublicKey first;
      try {
        first =
            SigningPublicKey.fetch(router, KmsRouter.target(keyArn), keyArn.region(), grantTokens);
      } catch (EnvelopeException e) {
        // KMS answers GetPublicKey on a symmetric key with UnsupportedOperationException.
        if (String.valueOf(e.getMessage()).contains("UnsupportedOperationException")) {
          throw new IllegalArgumentException(
              "key "
                  + keyArn
                  + " has no public key: it is not an asymmetric key. MrkSigner needs"
                  + " a KeyUsage=SIGN_VERIFY key of KeySpec "
                  + SigningKeyCheck.supportedSpecs(),
              e);
        }
        throw e;
      }
      SigningKeyType type = SigningKeyCheck.check(keyArn, first, scheme);
      MrkSigner signer = new MrkSigner(this, type, first, first.parse(type));
      signer.replicaCheck.run();
      return signer;
    }
  }
}
