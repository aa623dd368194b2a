package dev.mrkenvelope.aws;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * What {@code GetPublicKey} said about a signing key in one Region: the DER {@code
 * SubjectPublicKeyInfo}, the key spec, usage and signing algorithms. Immutable.
 */
final class SigningPublicKey {
  /** The Region that answered. */
  final String region;

  /** The key ARN in that Region, as KMS returned it. */
  final String keyArn;

  final KeySpec keySpec;
  final KeyUsageType keyUsage;
  final List<SigningAlgorithmSpec> algorithms;
  private final byte[] der;

  private SigningPublicKey(
      String region,
      String keyArn,
      KeySpec keySpec,
      KeyUsageType keyUsage,
      List<SigningAlgorithmSpec> algorithms,
      byte[] der) {
    this.region = region;
    this.keyArn = keyArn;
    this.keySpec = keySpec;
    this.keyUsage = keyUsage;
    this.algorithms = List.copyOf(algorithms);
    this.der = der;
  }

  /**
   * Calls {@code GetPublicKey} through the router ({@code firstRegion} first if the routing policy
   * allows it). The answer's {@code KeyId} must be the requested key or a replica of it.
   */
  static SigningPublicKey fetch(
      KmsRouter router, KmsRouter.KeyTarget target, String firstRegion, List<String> grantTokens) {
    return router.call(
        "GetPublicKey",
        target,
        firstRegion,
        (KmsClient client, String arn, AwsRequestOverrideConfiguration timeouts) -> {
          GetPublicKeyResponse r =
              client.getPublicKey(
                  b -> b.keyId(arn).grantTokens(grantTokens).overrideConfiguration(timeouts));
          checkKeyId("GetPublicKey", r.keyId(), arn);
          byte[] der = r.publicKey() == null ? new byte[0] : r.publicKey().asByteArray();
          if (der.length == 0) {
            throw new RejectedResponseException("GetPublicKey returned no PublicKey for " + arn);
          }
          return new SigningPublicKey(
              KmsArn.parse(arn).region(),
              r.keyId(),
              r.keySpec(),
              r.keyUsage(),
              r.signingAlgorithms(),
              der);
        });
  }

  /**
   * A target for the same key that the router may call in any allowed Region but {@code region}.
   */
  static KmsRouter.KeyTarget excluding(KmsRouter.KeyTarget target, String region) {
    return new KmsRouter.KeyTarget() {
      @Override
      public String keyId() {
        return target.keyId();
      }

      @Override
      public String arnIn(String r) {
        return r.equals(region) ? null : target.arnIn(r);
      }
    };
  }

  /** The DER {@code SubjectPublicKeyInfo}; a copy. */
  byte[] der() {
    return der.clone();
  }

  /** Whether both answers describe the same public key, spec, usage and algorithms. */
  boolean sameKeyAs(SigningPublicKey o) {
    return java.util.Arrays.equals(der, o.der)
        && keySpec == o.keySpec
        && keyUsage == o.keyUsage
        && algorithms.equals(o.algorithms);
  }

  /**
   * The JCA public key.
   *
   * @throws IllegalStateException if the DER is not a {@code type} public key
   */
  PublicKey parse(SigningKeyType type) {
    PublicKey key;
    try {
      key = KeyFactory.getInstance(type.keyAlgorithm()).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException(
          "GetPublicKey in "
              + region
              + " returned a PublicKey for "
              + keyArn
              + " that is not a"
              + " DER "
              + type.keyAlgorithm()
              + " SubjectPublicKeyInfo: "
              + e.getMessage()
              + "; check that the client factory's endpoint for "
              + region
              + " is really KMS",
          e);
    }
    String problem = type.mismatch(key);
    if (problem != null) {
      throw new IllegalStateException(
          "GetPublicKey in "
              + region
              + " returned a PublicKey for "
              + keyArn
              + " that does not"
              + " fit its KeySpec "
              + keySpec
              + ": "
              + problem);
    }
    return key;
  }

  /**
   * The KeyId KMS returns must be a key ARN of the key, or of a replica of it, that was asked for.
   */
  static void checkKeyId(String operation, String returned, String requested) {
    Optional<KmsArn> a = KmsArn.tryParse(returned);
    if (a.isEmpty() || !a.get().isKey()) {
      throw new RejectedResponseException(
          operation + " answered with KeyId '" + returned + "', which is not a key ARN");
    }
    if (!KmsArn.mrkMatch(returned, requested)) {
      throw new RejectedResponseException(
          operation + " answered with KeyId " + returned + ", not the requested " + requested);
    }
  }
}
