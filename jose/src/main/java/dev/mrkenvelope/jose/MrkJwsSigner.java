package dev.mrkenvelope.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.aws.MrkSigner;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * A Nimbus JOSE+JWT {@link JWSSigner} backed by an {@link MrkSigner}: each JWS is signed by AWS KMS
 * in the first healthy allowed replica of the key, and verifies anywhere with one public key.
 *
 * <pre>{@code
 * MrkJwsSigner jws = new MrkJwsSigner(signer);
 * SignedJWT jwt = new SignedJWT(
 *     new JWSHeader.Builder(jws.algorithm()).keyID(jws.keyId()).build(), claims);
 * jwt.sign(jws);
 * JWKSet jwks = new JWKSet(jws.publicJwk());   // publish for verifiers
 * }</pre>
 *
 * <p>Algorithms, by the signer's KMS algorithm: {@code ECDSA_SHA_256/384/512} → {@code
 * ES256/384/512} (the DER signature KMS returns is converted to the JOSE {@code R‖S} form of 64, 96
 * or 132 bytes), {@code RSASSA_PSS_SHA_256/384/512} → {@code PS256/384/512} (KMS uses MGF1 with the
 * same hash and a salt as long as the hash, as JOSE does), {@code
 * RSASSA_PKCS1_V1_5_SHA_256/384/512} → {@code RS256/384/512}. A signer supports exactly one
 * algorithm; a header asking for another is refused.
 *
 * <p>The key ID ({@link #keyId()}) is the KMS key ID ({@code mrk-…}), which is the same in every
 * Region; it names neither the account nor a Region.
 *
 * <p>Immutable and thread-safe.
 */
public final class MrkJwsSigner implements JWSSigner {
  private final MrkSigner signer;
  private final JWSAlgorithm algorithm;
  private final int ecFieldLength;
  private final JCAContext jcaContext = new JCAContext();

  /**
   * A JWS signer on {@code signer}'s key and algorithm.
   *
   * @throws IllegalArgumentException if the signer's algorithm has no JOSE equivalent
   */
  public MrkJwsSigner(MrkSigner signer) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.algorithm = jwsAlgorithm(signer.signingAlgorithm());
    this.ecFieldLength = ecFieldLength(algorithm);
  }

  /** The JOSE algorithm of a KMS signing algorithm. */
  static JWSAlgorithm jwsAlgorithm(SigningAlgorithmSpec spec) {
    switch (spec) {
      case ECDSA_SHA_256:
        return JWSAlgorithm.ES256;
      case ECDSA_SHA_384:
        return JWSAlgorithm.ES384;
      case ECDSA_SHA_512:
        return JWSAlgorithm.ES512;
      case RSASSA_PSS_SHA_256:
        return JWSAlgorithm.PS256;
      case RSASSA_PSS_SHA_384:
        return JWSAlgorithm.PS384;
      case RSASSA_PSS_SHA_512:
        return JWSAlgorithm.PS512;
      case RSASSA_PKCS1_V1_5_SHA_256:
        return JWSAlgorithm.RS256;
      case RSASSA_PKCS1_V1_5_SHA_384:
        return JWSAlgorithm.RS384;
      case RSASSA_PKCS1_V1_5_SHA_512:
        return JWSAlgorithm.RS512;
      default:
        throw new IllegalArgumentException(
            "KMS signing algorithm "
                + spec
                + " has no JOSE equivalent; use ECDSA_SHA_*,"
                + " RSASSA_PSS_SHA_* or RSASSA_PKCS1_V1_5_SHA_*");
    }
  }

  /** The byte length of r and s in a JOSE ECDSA signature, or 0 for RSA. */
  private static int ecFieldLength(JWSAlgorithm a) {
    if (a.equals(JWSAlgorithm.ES256)) {
      return 32;
    }
    if (a.equals(JWSAlgorithm.ES384)) {
      return 48;
    }
    return a.equals(JWSAlgorithm.ES512) ? 66 : 0;
  }

  /**
   * Signs the JWS signing input in KMS.
   *
   * @throws JOSEException if the header's algorithm is not {@link #algorithm()}, or KMS could not
   *     sign in any allowed Region (the cause is then the router's exception, which names every
   *     Region tried)
   */
  @Override
  public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(signingInput, "signingInput");
    if (!algorithm.equals(header.getAlgorithm())) {
      throw new JOSEException(
          "MrkJwsSigner for key "
              + signer.keyArn()
              + " signs "
              + algorithm
              + ", not "
              + header.getAlgorithm()
              + "; build the header with "
              + algorithm
              + " or use a signer on a key and algorithm that give "
              + header.getAlgorithm());
    }
    byte[] signature;
    try {
      signature = signer.sign(signingInput);
    } catch (EnvelopeException e) {
      throw new JOSEException("KMS could not sign the JWS: " + e.getMessage(), e);
    }
    if (ecFieldLength == 0) {
      return Base64URL.encode(signature);
    }
    try {
      return Base64URL.encode(EcdsaSignatures.derToConcat(signature, ecFieldLength));
    } catch (IllegalArgumentException e) {
      // MrkSigner has verified this signature, so this means a bug, not bad input.
      throw new JOSEException(
          "KMS returned an ECDSA signature that is not DER: " + e.getMessage(), e);
    }
  }

  /** The one algorithm this signer supports. */
  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(algorithm);
  }

  /** A JCA context; unused, as the private key never leaves KMS. */
  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }

  /** The JOSE algorithm, e.g. {@code ES384}. */
  public JWSAlgorithm algorithm() {
    return algorithm;
  }

  /** The JWK key ID: the KMS key ID, the same in every Region. */
  public String keyId() {
    return signer.keyId();
  }

  /** The {@link MrkSigner} this signer uses. */
  public MrkSigner signer() {
    return signer;
  }

  /**
   * The public key as a JWK for a JWKS: {@code kid} = {@link #keyId()}, {@code use=sig}, {@code
   * alg} = {@link #algorithm()}. No private part.
   */
  public JWK publicJwk() {
    if (ecFieldLength != 0) {
      ECPublicKey key = (ECPublicKey) signer.publicKey();
      return new ECKey.Builder(Curve.forJWSAlgorithm(algorithm).iterator().next(), key)
          .keyID(keyId())
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(algorithm)
          .build();
    }
    return new RSAKey.Builder((RSAPublicKey) signer.publicKey())
        .keyID(keyId())
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(algorithm)
        .build();
  }

  /** A Nimbus verifier for this signer's JWSs, on the cached public key (no KMS call). */
  public JWSVerifier verifier() {
    if (ecFieldLength == 0) {
      return new RSASSAVerifier((RSAPublicKey) signer.publicKey());
    }
    try {
      return new ECDSAVerifier((ECPublicKey) signer.publicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException(
          "Nimbus refused the public key of " + signer.keyArn() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "MrkJwsSigner{" + signer.keyArn() + ", " + algorithm + "}";
  }
}
