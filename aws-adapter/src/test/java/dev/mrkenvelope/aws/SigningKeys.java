package dev.mrkenvelope.aws;

import dev.mrkenvelope.testkit.LocalKmsExtension;
import dev.mrkenvelope.testkit.SdkClients;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.function.Function;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Test helpers for signing keys on kms-local, and a verifier written straight against the JCA
 * (independent of {@link MrkSigner}'s own code).
 */
final class SigningKeys {
  private SigningKeys() {}

  /**
   * A router client factory on kms-local whose client for {@code region} runs {@code interceptor}
   * (to play an endpoint that is not the KMS it claims to be).
   */
  static Function<String, KmsClient> clientsWith(
      LocalKmsExtension kms,
      String region,
      ExecutionInterceptor interceptor,
      java.util.List<KmsClient> made) {
    return r -> {
      KmsClient c =
          KmsClient.builder()
              .endpointOverride(kms.kms().endpoint(r))
              .region(Region.of(r))
              .credentialsProvider(SdkClients.credentials())
              .httpClient(
                  UrlConnectionHttpClient.builder()
                      .connectionTimeout(Duration.ofSeconds(2))
                      .socketTimeout(Duration.ofSeconds(5))
                      .build())
              .overrideConfiguration(
                  o -> {
                    o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    if (r.equals(region)) {
                      o.addExecutionInterceptor(interceptor);
                    }
                  })
              .build();
      made.add(c);
      return c;
    };
  }

  /**
   * Verifies with nothing but the JCA and the DER public key: SHAxxxwithECDSA (DER signatures),
   * SHAxxxwithRSA, or RSASSA-PSS with MGF1 of the same hash and a hash-length salt.
   */
  static boolean jcaVerify(String kmsAlgorithm, byte[] derPublicKey, byte[] message, byte[] sig)
      throws Exception {
    String hash = "SHA-" + kmsAlgorithm.substring(kmsAlgorithm.length() - 3);
    String bare = hash.replace("-", "");
    PublicKey key;
    Signature s;
    if (kmsAlgorithm.startsWith("ECDSA")) {
      key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(derPublicKey));
      s = Signature.getInstance(bare + "withECDSA");
    } else {
      key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(derPublicKey));
      if (kmsAlgorithm.startsWith("RSASSA_PSS")) {
        s = Signature.getInstance("RSASSA-PSS");
        int saltLength = Integer.parseInt(bare.substring(3)) / 8;
        s.setParameter(
            new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLength, 1));
      } else {
        s = Signature.getInstance(bare + "withRSA");
      }
    }
    s.initVerify(key);
    s.update(message);
    return s.verify(sig);
  }
}
