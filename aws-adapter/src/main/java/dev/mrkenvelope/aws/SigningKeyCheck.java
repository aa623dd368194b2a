package dev.mrkenvelope.aws;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Checks, at {@link MrkSigner.Builder#build()}, that the key {@code GetPublicKey} described can
 * sign with the requested algorithm; its errors name the key spec and the algorithms that fit.
 */
final class SigningKeyCheck {
  private SigningKeyCheck() {}

  /**
   * The key's type, once its usage, spec and algorithms fit {@code scheme}.
   *
   * @throws IllegalArgumentException if they do not
   */
  static SigningKeyType check(KmsArn keyArn, SigningPublicKey k, SignatureScheme scheme) {
    if (k.keyUsage != KeyUsageType.SIGN_VERIFY) {
      throw new IllegalArgumentException(
          "key "
              + keyArn
              + " has KeyUsage "
              + k.keyUsage
              + " (KeySpec "
              + k.keySpec
              + "), not"
              + " SIGN_VERIFY; MrkSigner needs a signing key of KeySpec "
              + supportedSpecs());
    }
    SigningKeyType type = SigningKeyType.of(k.keySpec);
    if (type == null) {
      throw new IllegalArgumentException(
          "key "
              + keyArn
              + " has KeySpec "
              + k.keySpec
              + ", which MrkSigner does not sign"
              + " with; use a key of KeySpec "
              + supportedSpecs());
    }
    List<SigningAlgorithmSpec> fits =
        k.algorithms.stream()
            .filter(
                a -> SignatureScheme.of(a) != null && type.schemes.contains(SignatureScheme.of(a)))
            .collect(Collectors.toList());
    if (!fits.contains(scheme.spec)) {
      throw new IllegalArgumentException(
          "signingAlgorithm "
              + scheme.spec
              + " does not fit key "
              + keyArn
              + ": its KeySpec "
              + k.keySpec
              + " signs with "
              + fits
              + "; set signingAlgorithm(...) to one of those");
    }
    return type;
  }

  /** The key specs MrkSigner signs with, comma-separated, for error messages. */
  static String supportedSpecs() {
    return Arrays.stream(SigningKeyType.values())
        .map(t -> t.spec.toString())
        .collect(Collectors.joining(", "));
  }
}
