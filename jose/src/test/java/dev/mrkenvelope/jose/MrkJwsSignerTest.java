package dev.mrkenvelope.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.aws.MrkSigner;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * JWTs signed by {@link MrkJwsSigner} on kms-local, checked by Nimbus's own verifiers built from a
 * published JWKS (not by this module's code).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MrkJwsSignerTest {
  private static final String US = "us-east-1";
  private static final String EU = "eu-west-1";

  @RegisterExtension static final LocalKmsExtension kms = JoseKms.extension(US, EU);

  private KmsRouter usRouter;
  private final Map<KeySpec, String> keys = new HashMap<>();

  @BeforeAll
  void start() {
    usRouter = JoseKms.router(kms, US, EU);
  }

  static Stream<Arguments> algorithms() {
    return Stream.of(
        Arguments.of(KeySpec.ECC_NIST_P256, SigningAlgorithmSpec.ECDSA_SHA_256, "ES256"),
        Arguments.of(KeySpec.ECC_NIST_P384, SigningAlgorithmSpec.ECDSA_SHA_384, "ES384"),
        Arguments.of(KeySpec.ECC_NIST_P521, SigningAlgorithmSpec.ECDSA_SHA_512, "ES512"),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PSS_SHA_256, "PS256"),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PSS_SHA_384, "PS384"),
        Arguments.of(KeySpec.RSA_3072, SigningAlgorithmSpec.RSASSA_PSS_SHA_512, "PS512"),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, "RS256"),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384, "RS384"),
        Arguments.of(KeySpec.RSA_4096, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_512, "RS512"));
  }

  private String key(KeySpec spec) {
    return keys.computeIfAbsent(spec, s -> kms.createSigningMultiRegionKey(s, US, EU));
  }

  private MrkJwsSigner jws(String arn, SigningAlgorithmSpec alg, KmsRouter router) {
    return new MrkJwsSigner(
        MrkSigner.builder().keyArn(arn).router(router).signingAlgorithm(alg).build());
  }

  private static SignedJWT token(MrkJwsSigner jws, String subject) throws JOSEException {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .issuer("https://issuer.example")
            .expirationTime(new Date(System.currentTimeMillis() + 600_000))
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(jws.algorithm()).keyID(jws.keyId()).build(), claims);
    jwt.sign(jws);
    return jwt;
  }

  /** Nimbus's own verifier for a JWK taken from a parsed JWKS document. */
  private static JWSVerifier nimbusVerifier(JWK jwk) throws JOSEException {
    return jwk.getKeyType() == KeyType.EC
        ? new ECDSAVerifier(jwk.toECKey())
        : new RSASSAVerifier(jwk.toRSAKey());
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void jwtSignedInUsEast1_verifiesWithNimbusAndTheJwksFromEuWest1(
      KeySpec spec, SigningAlgorithmSpec alg, String jose) throws Exception {
    MrkJwsSigner us = jws(key(spec), alg, usRouter);
    MrkJwsSigner eu = jws(kms.arnIn(EU, key(spec)), alg, JoseKms.router(kms, EU));
    String published = new JWKSet(eu.publicJwk()).toString();

    SignedJWT jwt = token(us, "alice");
    SignedJWT received = SignedJWT.parse(jwt.serialize());

    assertThat(received.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.parse(jose));
    JWK jwk = JWKSet.parse(published).getKeyByKeyId(received.getHeader().getKeyID());
    assertThat(jwk).isNotNull();
    assertThat(jwk.isPrivate()).isFalse();
    assertThat(received.verify(nimbusVerifier(jwk))).isTrue();
    assertThat(received.verify(us.verifier())).isTrue();
    if (jose.startsWith("ES")) {
      int n = jose.equals("ES256") ? 32 : jose.equals("ES384") ? 48 : 66;
      assertThat(received.getSignature().decode()).hasSize(2 * n);
    }
    // The same JWS checked by Nimbus's full JWT pipeline: key chosen from the JWKS by kid and alg.
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.parse(jose), new ImmutableJWKSet<>(JWKSet.parse(published))));
    assertThat(processor.process(jwt.serialize(), null).getSubject()).isEqualTo("alice");
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void tamperedClaims_failNimbusVerification(KeySpec spec, SigningAlgorithmSpec alg, String jose)
      throws Exception {
    MrkJwsSigner us = jws(key(spec), alg, usRouter);
    String[] parts = token(us, "alice").serialize().split("\\.");
    String forgedPayload =
        com.nimbusds.jose.util.Base64URL.encode("{\"sub\":\"mallory\"}").toString();

    SignedJWT forged = SignedJWT.parse(parts[0] + "." + forgedPayload + "." + parts[2]);

    assertThat(forged.verify(nimbusVerifier(us.publicJwk()))).isFalse();
  }

  @Test
  void jwkAndKid_areTheSameInEveryRegion() {
    MrkJwsSigner us = jws(key(KeySpec.ECC_NIST_P256), SigningAlgorithmSpec.ECDSA_SHA_256, usRouter);
    MrkJwsSigner eu =
        jws(
            kms.arnIn(EU, key(KeySpec.ECC_NIST_P256)),
            SigningAlgorithmSpec.ECDSA_SHA_256,
            JoseKms.router(kms, EU));

    assertThat(us.keyId()).isEqualTo(eu.keyId()).startsWith("mrk-").doesNotContain(US);
    assertThat(us.publicJwk()).isEqualTo(eu.publicJwk());
    assertThat(us.publicJwk().toJSONObject()).doesNotContainKey("d").containsEntry("use", "sig");
  }

  @Test
  void usEast1Down_jwtIsSignedInEuWest1AndVerifies() throws Exception {
    MrkJwsSigner us = jws(key(KeySpec.ECC_NIST_P384), SigningAlgorithmSpec.ECDSA_SHA_384, usRouter);
    long euSigns = kms.kms().requestCount(EU, "Sign");
    kms.kms().faults(US).outage();

    SignedJWT jwt = token(us, "bob");

    assertThat(kms.kms().requestCount(EU, "Sign")).isEqualTo(euSigns + 1);
    assertThat(SignedJWT.parse(jwt.serialize()).verify(nimbusVerifier(us.publicJwk()))).isTrue();
  }

  @Test
  void headerWithAnotherAlgorithm_isRefusedWithoutAKmsCall() {
    MrkJwsSigner us = jws(key(KeySpec.ECC_NIST_P384), SigningAlgorithmSpec.ECDSA_SHA_384, usRouter);
    long signs = kms.kms().requestCount(US, "Sign");

    assertThat(us.supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.ES384);
    assertThatThrownBy(() -> us.sign(new JWSHeader(JWSAlgorithm.RS256), new byte[] {1}))
        .isInstanceOf(JOSEException.class)
        .hasMessageContaining("signs ES384, not RS256");
    assertThat(kms.kms().requestCount(US, "Sign")).isEqualTo(signs);
  }

  @Test
  void signingInputOver4096Bytes_isSignedAndVerifies() throws Exception {
    MrkJwsSigner us = jws(key(KeySpec.ECC_NIST_P256), SigningAlgorithmSpec.ECDSA_SHA_256, usRouter);
    JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("blob", "x".repeat(10_000)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);

    jwt.sign(us);

    assertThat(SignedJWT.parse(jwt.serialize()).verify(nimbusVerifier(us.publicJwk()))).isTrue();
  }

  @Test
  void allRegionsDown_signFailsWithJoseExceptionCausedByTheRoutersException() {
    MrkJwsSigner us = jws(key(KeySpec.ECC_NIST_P256), SigningAlgorithmSpec.ECDSA_SHA_256, usRouter);
    kms.kms().faults(US).outage();
    kms.kms().faults(EU).outage();
    try {
      assertThatThrownBy(() -> token(us, "carol"))
          .isInstanceOf(JOSEException.class)
          .hasCauseInstanceOf(dev.mrkenvelope.EnvelopeException.class)
          .hasMessageContaining(US)
          .hasMessageContaining(EU);
    } finally {
      kms.kms().faults(EU).heal();
    }
  }
}
